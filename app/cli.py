"""flask commands: db upgrade/current, seed, oneroster import/export."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app


def register(app) -> None:
    @app.cli.group("db")
    def db_group() -> None:
        """Database migrations (run as the owner role in DATABASE_URL)."""

    @db_group.command("upgrade")
    def db_upgrade() -> None:
        from app.migrations import upgrade

        upgrade(current_app.config["DATABASE_URL"])
        click.echo("database is at head")

    @db_group.command("current")
    def db_current() -> None:
        from app.system.services import health

        click.echo(health()["migrations"])

    @app.cli.command("seed")
    @click.option("--size", type=click.Choice(["demo", "small", "large"]), default="demo", show_default=True)
    @click.option("--if-empty", is_flag=True, help="Do nothing when any district exists already.")
    def seed_command(size: str, if_empty: bool) -> None:
        """Make deterministic data: the same size always makes the same data."""
        from app.migrations import analyze
        from app.seed import SeedRefused, run_seed

        try:
            summary = run_seed(size, if_empty=if_empty)
        except SeedRefused as exc:
            raise click.ClickException(str(exc)) from None
        analyze(current_app.config["DATABASE_URL"])
        click.echo(summary)

    @app.cli.group("oneroster")
    def oneroster_group() -> None:
        """OneRoster 1.1 CSV import and export for one district (scriptable for district IT)."""

    def _district_actor(slug: str):
        from sqlalchemy import text

        from app import db
        from app.identity.data import SystemActor

        # No tenant is set yet: a narrow definer function maps the slug to an id and nothing else.
        district_id = db.session.execute(text("select district_id_by_slug(:slug)"), {"slug": slug}).scalar()
        if district_id is None:
            raise click.ClickException(f"no district with slug {slug!r}")
        db.set_tenant(district_id, None, "system")
        return SystemActor(district_id)

    @oneroster_group.command("import")
    @click.argument("path", type=click.Path(exists=True, path_type=Path))
    @click.option("--district", "slug", required=True, help="The district's slug.")
    @click.option("--apply", "do_apply", is_flag=True, help="Write the changes (without it, only the preview).")
    def oneroster_import(path: Path, slug: str, do_apply: bool) -> None:
        """Check PATH (a ZIP, one CSV or a directory of CSVs) and print the preview; with --apply, import it."""
        from app.oneroster import services

        actor = _district_actor(slug)
        check = services.apply_path if do_apply else services.check_path
        errors, preview = check(actor, path)
        if errors:
            for error in errors:
                click.echo(services.error_line(error), err=True)
            raise click.ClickException(f"{len(errors)} error(s); nothing was imported")
        for line in services.preview_lines(preview):
            click.echo(line)
        click.echo("imported" if do_apply else "dry run: nothing was written (add --apply to import)")

    @oneroster_group.command("export")
    @click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
    @click.option("--district", "slug", required=True, help="The district's slug.")
    def oneroster_export(directory: Path, slug: str) -> None:
        """Write the district's roster as OneRoster 1.1 CSV files into DIRECTORY."""
        from app.oneroster import services

        actor = _district_actor(slug)
        for written in services.export_roster(actor, directory):
            click.echo(str(written))
