"""flask commands: db upgrade/current and seed here; each domain's own group (oneroster, ...) from its cli.py."""

from __future__ import annotations

import click
from flask import current_app

# Domains with a command group of their own (`app/<domain>/cli.py` defines `group`).
CLI_DOMAINS = ("oneroster", "gradebook")


def register(app) -> None:
    from importlib import import_module

    for name in CLI_DOMAINS:
        app.cli.add_command(import_module(f"app.{name}.cli").group)

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
