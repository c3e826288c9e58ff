"""`flask --app wsgi standards import FILE --district SLUG [--apply]`: the same pipeline as the import page."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.org.services import system_actor_for

group = AppGroup("standards", help="Import standards frameworks (CASE 1.0 JSON or CSV) for one district.")
SHOWN = 20


@group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--district", "slug", required=True, help="The district's slug.")
@click.option("--name", "framework_name", help="The framework's name (a CSV file; default: the file's name).")
@click.option("--apply", "do_apply", is_flag=True, help="Write the changes, warnings included (else only the preview).")
def standards_import(path: Path, slug: str, framework_name: str | None, do_apply: bool) -> None:
    """Check PATH (a CASE package or a CSV file) and print the preview; with --apply, import it."""
    from app.errors import Invalid
    from app.standards import services

    actor = system_actor_for(slug)
    if actor is None:
        raise click.ClickException(f"no district with slug {slug!r}")
    try:
        record = services.import_path(actor, path, framework_name, apply=do_apply)
    except Invalid as error:
        raise click.ClickException(str(error)) from None
    preview = record.preview or {}
    if record.status in ("invalid", "failed"):
        for problem in (record.errors or [])[:SHOWN]:
            click.echo(services.problem_line(problem), err=True)
        count = preview.get("error_count") or len(record.errors or [])
        raise click.ClickException(f"{count} error(s); nothing was imported (import {record.id})")
    if record.warnings:
        click.echo(f"{preview.get('warning_count', 0):,} warning(s):")
        for problem in record.warnings[:SHOWN]:
            click.echo(services.problem_line(problem))
    framework, items = preview.get("framework", {}), preview.get("items", {})
    click.echo(f"framework: {framework.get('title')} ({framework.get('action')})")
    click.echo(
        "standards: "
        + ", ".join(f"{items.get(k, 0):,} {k}" for k in ("create", "update", "unretire", "retire", "unchanged"))
    )
    edges = preview.get("edges", {})
    click.echo("tree: " + ", ".join(f"{edges.get(k, 0):,} {k}" for k in ("add", "change", "remove")))
    for node in preview.get("tree", [])[:SHOWN]:
        click.echo("  " + "  " * node["depth"] + " ".join(x for x in (node["code"], node["statement"][:70]) if x))
    if record.status != "applied":
        click.echo(f"dry run: nothing was written (import {record.id}; add --apply to import)")
        return
    click.echo(f"imported (import {record.id})")
