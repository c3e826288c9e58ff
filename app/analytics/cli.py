"""`flask --app wsgi analytics rebuild --district SLUG`: rebuild one district's rollups now, in this process."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.org.services import system_actor_for

group = AppGroup("analytics", help="Analytics rollups (the dashboards read only these).")


@group.command("rebuild")
@click.option("--district", "slug", required=True, help="The district's slug.")
def rebuild(slug: str) -> None:
    """Replace the district's rollups with ones computed now (the job the worker runs every 15 minutes)."""
    from app.analytics.services import rebuild_district
    from app.errors import NotFound

    actor = system_actor_for(slug)
    if actor is None:
        raise click.ClickException(f"no district with slug {slug!r}")
    try:
        result = rebuild_district(actor)
    except NotFound:
        raise click.ClickException(f"district {slug!r} has no school year to report on") from None
    click.echo(f"{slug}: {result['cells']:,} cells from {result['facts']:,} person-weeks in {result['seconds']:.1f}s")
