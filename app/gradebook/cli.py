"""`flask --app wsgi gradebook import|export`: the same import pipeline and export as the pages."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import text

from app import db

group = AppGroup("gradebook", help="Gradebook CSV import and export for one section (Canvas or plain layout).")
SHOWN = 30


def _teacher(email: str):
    """The actor for a teacher's email (the district comes with it, through the sign-in lookup)."""
    from app.accounts.services import actor_for_user

    db.set_tenant(None)
    row = db.session.execute(text("select user_id, district_id from auth_lookup_user(:e)"), {"e": email}).first()
    if row is None:
        raise click.ClickException(f"no account with email {email!r}")
    return actor_for_user(row[1], row[0])


@group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--section", "section_id", type=int, required=True, help="The section's id.")
@click.option("--as", "email", required=True, help="The email of a teacher of the section.")
@click.option("--apply", "do_apply", is_flag=True, help="Write the changes (else only the preview).")
def gradebook_import(path: Path, section_id: int, email: str, do_apply: bool) -> None:
    """Check PATH (a Canvas or plain gradebook CSV) against the section and print every change, unmatched row
    and column and refused value; with --apply, write the changes. Each run is an import record like an upload's."""
    from app.errors import Invalid, NotFound
    from app.gradebook import services

    actor = _teacher(email)
    try:
        record = services.start_import(actor, section_id, path.name, path.read_bytes())
    except NotFound:
        raise click.ClickException(f"{email} does not teach section {section_id}") from None
    except Invalid as error:
        raise click.ClickException(str(error)) from None
    preview = record.preview
    for problem in preview["problems"]:
        click.echo(f"line {problem['line']}: {problem['message']}", err=True)
    for row in preview["unmatched_rows"]:
        click.echo(f"line {row['line']}: no student matches {row['name']!r}")
    for column in preview["unmatched_columns"]:
        click.echo(f"no assignment matches the column {column['title']!r}")
    for refused in preview["refused"][:SHOWN]:
        click.echo(f"line {refused['line']}: {refused['student']}, {refused['assignment']}: {refused['message']}")
    for change in preview["changes"][:SHOWN]:
        cell = f"{change['student']}, {change['assignment']}"
        click.echo(f"line {change['line']}: {cell}: {change['old'] or '-'} -> {change['new']}")
    click.echo(
        f"{len(preview['changes'])} change(s), {len(preview['refused'])} refused, {preview['unchanged']} unchanged,"
        f" {len(preview['unmatched_rows'])} unmatched row(s), {len(preview['unmatched_columns'])} unmatched column(s)"
    )
    if record.status == "invalid":
        raise click.ClickException(f"the file cannot be imported (import {record.id})")
    if not do_apply:
        click.echo(f"dry run: nothing was written (import {record.id}; add --apply to write)")
        return
    result = services.apply_import(actor, record.id)
    click.echo(f"applied {result['applied']} change(s) (import {record.id})")


@group.command("export")
@click.option("--section", "section_id", type=int, required=True, help="The section's id.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The CSV to write.")
@click.option("--as", "email", help="A teacher of the section (else --district acts for the platform).")
@click.option("--district", "slug", help="The district's slug, to export as the platform.")
@click.option("--layout", type=click.Choice(["canvas", "plain"]), default="canvas", show_default=True)
def gradebook_export(section_id: int, out: Path, email: str | None, slug: str | None, layout: str) -> None:
    """Write the section's gradebook as CSV (Canvas's layout by default)."""
    from app.errors import NotFound
    from app.gradebook import services
    from app.org.services import system_actor_for

    if email:
        actor = _teacher(email)
    elif slug:
        actor = system_actor_for(slug)
        if actor is None:
            raise click.ClickException(f"no district with slug {slug!r}")
    else:
        raise click.ClickException("give --as EMAIL (a teacher of the section) or --district SLUG")
    try:
        _name, data = services.export_gradebook(actor, section_id, layout)
    except NotFound:
        raise click.ClickException(f"no section {section_id} to export") from None
    out.write_bytes(data)
    click.echo(f"wrote {out} ({len(data):,} bytes)")
