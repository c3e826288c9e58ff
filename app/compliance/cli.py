"""`flask --app wsgi records export|scan`: a student's record as a ZIP, and the auditor's scan after a deletion."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from flask.cli import AppGroup

group = AppGroup("records", help="Students' education records: export one, scan for what remains of one.")


def _find(email: str):
    """The student with this email (any district) and a system actor of their district, or an error."""
    from sqlalchemy import text

    from app import db
    from app.accounts import services as accounts
    from app.identity.data import SystemActor

    db.set_tenant(None)
    found = db.session.execute(text("select user_id, district_id from auth_lookup_user(:e)"), {"e": email}).first()
    if found is None:
        return None, None
    db.set_tenant(found.district_id, None, "system")
    student = accounts.get_user(found.user_id)
    if student is None or not accounts.is_student(student.id):
        return None, None
    return student, SystemActor(found.district_id)


@group.command("export")
@click.option("--student", "email", required=True, help="The student's email.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="ZIP to write.")
@click.option("--by", "staff_email", default="", help="The staff member asking (recorded in the access audit).")
def records_export(email: str, out: Path, staff_email: str) -> None:
    """Write the complete record of one student as a ZIP (recorded as an access, purpose: records request)."""
    from app import db
    from app.audit import services as audit
    from app.compliance import services
    from app.storage import services as storage

    student, actor = _find(email)
    if student is None:
        raise click.ClickException(f"no student with email {email!r}")
    audit.set_origin("cli records export")
    audit.record_access(actor, student.id, "student.export", "records_request", f"cli {staff_email}".strip()[:200])
    tables, _people = services.collect(student, None)
    key, size = services.write_zip(student, tables, student.locale or "en")
    db.session.commit()
    with storage.path_of(key).open("rb") as source, out.open("wb") as target:
        shutil.copyfileobj(source, target)
    storage.delete(key)
    click.echo(f"wrote {out} ({size:,} bytes, {sum(len(t.rows) for t in tables):,} rows)")


@group.command("scan")
@click.option("--student", "email", required=True, help="The student's email.")
@click.option("--name", "names", multiple=True, help="Names to look for too (after a deletion the row is gone).")
@click.option("--id", "student_id", type=int, default=None, help="The student's id, if known.")
@click.option("--district", "slug", default="", help="The district's slug (needed once the student is deleted).")
def records_scan(email: str, names: tuple[str, ...], student_id: int | None, slug: str) -> None:
    """Look for a student's name, email and ids in every table and in stored files; exit 1 when any is found."""
    from app import db
    from app.compliance import services

    student, _actor = _find(email)
    if student is not None:
        terms, student_id = services.scan_terms(student), student.id
    else:
        from app.org.services import system_actor_for

        actor = system_actor_for(slug) if slug else None
        if actor is None:
            raise click.ClickException("the student is not found: give --district to scan after a deletion")
        db.set_tenant(actor.district_id, None, "system")
        terms = [email]
    terms = list(dict.fromkeys([*terms, *names]))
    hits = services.scan(student_id, terms)
    for hit in hits:
        click.echo(f"{hit.table}.{hit.column}: {hit.rows} row(s) with {hit.term!r}")
    click.echo(f"{len(hits)} place(s) found for {len(terms)} term(s)")
    if hits:
        raise SystemExit(1)


def _district(slug: str):
    from app import db
    from app.org.services import system_actor_for

    actor = system_actor_for(slug)
    if actor is None:
        raise click.ClickException(f"no district with slug {slug!r}")
    db.set_tenant(actor.district_id, None, "system")
    return actor


@group.command("district-export")
@click.option("--district", "slug", required=True, help="The district's slug.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="ZIP to write.")
def district_export(slug: str, out: Path) -> None:
    """Export every table and every student's record of a district (the end of a contract)."""
    from app.audit import services as audit
    from app.compliance.services.district import district_zip

    actor = _district(slug)
    audit.set_origin("cli records district-export")
    size = 0
    with out.open("wb") as target:
        for chunk in district_zip(actor):
            target.write(chunk)
            size += len(chunk)
    click.echo(f"wrote {out} ({size:,} bytes)")


@group.command("district-delete")
@click.option("--district", "slug", required=True, help="The district's slug.")
@click.option("--confirm", "confirmation", required=True, help="Type the slug again: this cannot be undone.")
def district_delete(slug: str, confirmation: str) -> None:
    """Delete every row and file of a district, leaving one receipt (after district-export)."""
    from app.compliance.services.district import delete_district
    from app.errors import Invalid

    actor = _district(slug)
    try:
        deletion = delete_district(actor, confirmation, slug)
    except Invalid as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"deleted: {sum(deletion.receipt['rows'].values()):,} rows, {deletion.receipt['files']} files")
