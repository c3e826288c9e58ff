"""`flask --app wsgi oneroster import|export`: the same import pipeline and export as the pages, for district IT."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.org.services import system_actor_for

group = AppGroup("oneroster", help="OneRoster 1.1 and 1.2 CSV import and export for one district (for district IT).")
SHOWN = 20


def _district_actor(slug: str):
    actor = system_actor_for(slug)
    if actor is None:
        raise click.ClickException(f"no district with slug {slug!r}")
    return actor


def _problems(services, record, kept: list[dict], groups: list[dict], err: bool) -> None:
    for group_ in groups:
        click.echo(f"  {group_['count']:>7,}  {services.kind_text(group_['code'])} ({group_['file'] or '-'})", err=err)
    for problem in kept[:SHOWN]:
        click.echo(services.error_line(problem), err=err)
    if len(kept) > SHOWN:
        click.echo(f"... the rest are listed on the import's page (import {record.id})", err=err)


@group.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--district", "slug", required=True, help="The district's slug.")
@click.option("--apply", "do_apply", is_flag=True, help="Write the changes, warnings included (else only the preview).")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Write the import report (CSV) here.")
def oneroster_import(path: Path, slug: str, do_apply: bool, report: Path | None) -> None:
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
    preview = record.preview or {}
    groups = preview.get("problems", [])
    if record.status in ("invalid", "failed"):
        _problems(services, record, record.errors or [], [g for g in groups if g["level"] == "error"], err=True)
        count = preview.get("error_count") or len(record.errors or [])
        raise click.ClickException(f"{count} error(s); nothing was imported (import {record.id})")
    if record.warnings:
        click.echo(f"{preview.get('warning_count', 0):,} warning(s):")
        _problems(services, record, record.warnings, [g for g in groups if g["level"] == "warning"], err=False)
    for line in services.preview_lines(preview):
        click.echo(line)
    if record.status != "applied":
        click.echo(f"dry run: nothing was written (import {record.id}; add --apply to import)")
        return
    click.echo(f"imported (import {record.id})")
    if report:
        _name, lines = services.import_report(actor, record.id)
        with report.open("w", encoding="utf-8", newline="") as handle:
            handle.writelines(lines)
        click.echo(f"report: {report}")


@group.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--district", "slug", required=True, help="The district's slug.")
@click.option("--version", "version", type=click.Choice(["1.1", "1.2"]), default="1.1", show_default=True)
def oneroster_export(directory: Path, slug: str, version: str) -> None:
    """Write the district's roster as OneRoster CSV files into DIRECTORY."""
    from app.oneroster import services

    actor = _district_actor(slug)
    for written in services.export_roster(actor, directory, version):
        click.echo(str(written))
