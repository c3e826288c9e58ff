"""`flask --app wsgi questions import FILE --district SLUG --owner EMAIL [--apply]`: the same import pipeline as the
pages, for a teacher's file brought in by district IT (a preview without --apply)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

group = AppGroup("questions", help="Question banks: import QTI, Moodle XML or GIFT files (and export as QTI 2.1).")
SHOWN = 20


def _owner(slug: str, email: str):
    from app.accounts.services import actor_for_user, user_id_by_email
    from app.org.services import system_actor_for

    district = system_actor_for(slug)
    if district is None:
        raise click.ClickException(f"no district with slug {slug!r}")
    user_id = user_id_by_email(district, email)
    if user_id is None:
        raise click.ClickException(f"no user {email!r} in district {slug!r}")
    return actor_for_user(district.district_id, user_id)


@group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--district", "slug", required=True, help="The district's slug.")
@click.option("--owner", "email", required=True, help="The teacher whose bank receives the questions.")
@click.option("--bank", "bank_id", type=int, help="Import into this bank of theirs (default: a new bank).")
@click.option("--apply", "do_apply", is_flag=True, help="Import the questions (else only the preview).")
def questions_import(path: Path, slug: str, email: str, bank_id: int | None, do_apply: bool) -> None:
    """Check PATH and print each question with its type, points and problems; with --apply, import them.

    Each run is an import record like an upload's (listed on the owner's import page)."""
    from app.errors import Invalid, NotFound
    from app.questions import services

    actor = _owner(slug, email)
    try:
        record = services.import_path(actor, path, bank_id=bank_id, apply=do_apply)
    except Invalid as error:
        raise click.ClickException(str(error)) from None
    except NotFound:
        raise click.ClickException(f"{email} cannot import into that bank") from None
    preview = record.preview or {}
    for problem in record.problems or []:
        level = "error" if problem.get("fatal") else "warning"
        click.echo(f"{level}: {problem.get('source_id') or '-'}: {problem.get('message')}", err=True)
    for row in (preview.get("questions") or [])[:SHOWN]:
        mark = "ok  " if row["ok"] else "skip"
        name = (row["title"] or row.get("text") or "")[:60]
        click.echo(f"{mark} {row['type']:<16} {row['points']:>6}  {row['source_id'] or '-'}  {name}")
        for problem in row["problems"]:
            click.echo(f"       {'error' if problem['fatal'] else 'warning'}: {problem['message']}")
    if preview.get("count", 0) > SHOWN:
        click.echo(f"... {preview['count'] - SHOWN} more (import {record.id})")
    click.echo(
        f"{preview.get('format', 'unknown')}: {preview.get('count', 0)} question(s), "
        f"{preview.get('importable', 0)} importable, {preview.get('skipped', 0)} skipped"
    )
    if record.status == "invalid":
        raise click.ClickException(f"nothing can be imported (import {record.id})")
    if record.status == "failed":
        raise click.ClickException(f"the import failed; nothing was imported (import {record.id})")
    if record.status != "applied":
        click.echo(f"dry run: nothing was written (import {record.id}; add --apply to import)")
        return
    click.echo(f"imported {record.created_count} question(s) into bank {record.bank_id} (import {record.id})")
