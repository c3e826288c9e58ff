"""Health of the parts the app needs: database, Redis, migrations."""

from __future__ import annotations

from sqlalchemy import text

from app import db
from app.jobruns.queue import redis_connection
from app.migrations import alembic_config


def head_revision() -> str:
    """The head revisions, comma-joined in a fixed order. Domains built side by side each branch off the
    same parent, so the chain may have several heads; the database is current when it carries all of them."""
    # Imported here: alembic announces its plugins at import, which every CLI command would print.
    from alembic.script import ScriptDirectory

    return ",".join(sorted(ScriptDirectory.from_config(alembic_config()).get_heads()))


def health() -> dict:
    report: dict = {"database": {"ok": False}, "redis": {"ok": False}, "migrations": {"ok": False}}
    try:
        current = ",".join(sorted(db.session.execute(text("select version_num from alembic_version")).scalars()))
        report["database"] = {"ok": True}
        head = head_revision()
        report["migrations"] = {"ok": current == head, "current": current, "head": head}
    except Exception as exc:  # noqa: BLE001 - health reports the failure instead of raising it
        report["database"] = {"ok": False, "error": type(exc).__name__}
        db.session.rollback()
    try:
        report["redis"] = {"ok": bool(redis_connection().ping())}
    except Exception as exc:  # noqa: BLE001
        report["redis"] = {"ok": False, "error": type(exc).__name__}
    report["status"] = "ok" if all(part["ok"] for part in report.values()) else "degraded"
    return report
