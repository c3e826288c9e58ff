"""Running Alembic as the owner role, from code (the CLI, `make run` and the tests share this)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config as AlembicConfig

from app.config import ROOT


def alembic_config(owner_url: str | None = None) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option(
        "file_template", "%%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d_%%(rev)s_%%(slug)s"
    )
    if owner_url:
        config.set_main_option("sqlalchemy.url", owner_url.replace("%", "%%"))
    return config


def upgrade(owner_url: str, revision: str = "heads") -> None:
    from app.db import owner_url as as_owner

    command.upgrade(alembic_config(as_owner(owner_url).render_as_string(hide_password=False)), revision)


def analyze(owner_url: str) -> None:
    """Refresh planner statistics after a bulk load; only a table's owner may, so it runs as the owner.

    Without it the first minutes after `seed` or a restore plan queries on empty statistics (autovacuum has
    not caught up yet), which turns index lookups into scans of whole districts."""
    import psycopg

    from app.db import owner_url as as_owner

    url = as_owner(owner_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("analyze")
