"""`flask --app wsgi oneroster import|export`: the same import pipeline and export as the pages, for district IT."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.org.services import system_actor_for

group = AppGroup("oneroster", help="OneRoster 1.1 CSV import and export for one district (scriptable for district IT).")


def _district_actor(slug: str):
    actor = system_actor_for(slug)
    if actor is None:
        raise click.ClickException(f"no district with slug {slug!r}")
    return actor


@group.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--district", "slug", required=True, help="The district's slug.")
@click.option("--apply", "do_apply", is_flag=True, help="Write the changes (without it, only the preview).")
def oneroster_import(path: Path, slug: str, do_apply: bool) -> None:
    """Check PATH (a ZIP, one CSV or a directory of CSVs) and print the preview; with --apply, import it.

    Each run is an import record like an upload's (listed on the Roster import page); a checked one that was
    not applied can still be applied there."""
    from app.errors import Invalid
    from app.oneroster import services

    actor = _district_actor(slug)
    try:
        record = services.import_path(actor, path, apply=do_apply)
    except Invalid as error:
        raise click.ClickException(str(error)) from None
    if record.status in ("invalid", "failed"):
        for error in record.errors or []:
            click.echo(services.error_line(error), err=True)
        count = (record.preview or {}).get("error_count") or len(record.errors or [])
        raise click.ClickException(f"{count} error(s); nothing was imported (import {record.id})")
    for line in services.preview_lines(record.preview or {}):
        click.echo(line)
    if record.status == "applied":
        click.echo(f"imported (import {record.id})")
    else:
        click.echo(f"dry run: nothing was written (import {record.id}; add --apply to import)")


@group.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--district", "slug", required=True, help="The district's slug.")
def oneroster_export(directory: Path, slug: str) -> None:
    """Write the district's roster as OneRoster 1.1 CSV files into DIRECTORY."""
    from app.oneroster import services

    actor = _district_actor(slug)
    for written in services.export_roster(actor, directory):
        click.echo(str(written))
