"""Importing crafted packages through the pipeline, in-process (the CLI's path) or through the jobs."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app import db
from app.identity.data import SystemActor
from app.standards import services
from tests.curriculum.conftest import planning  # noqa: F401 - a course taught by a teacher, as curriculum tests use
from tests.standards.packages import grade6, to_bytes


def run_import(actor, data: bytes, name: str = "framework.json", framework_name: str | None = None, apply=True):
    """Store, check and (when it has no errors and `apply`) apply one file; returns the import record."""
    from app.standards.services.imports import store_upload

    record = store_upload(actor, name, data, framework_name)
    db.session.commit()
    services.validate_import(actor, record.id)
    record = services.get_import(actor, record.id)
    if apply and record.status == "ready":
        record.status = "applying"
        db.session.commit()
        services.apply_import(actor, record.id)
        record = services.get_import(actor, record.id)
    return record


def row_versions() -> set:
    """Every standards row with its physical version: an update of any row changes this set."""
    rows = set()
    for table in ("standard_frameworks", "standard_items", "standard_edges", "standard_links"):
        rows |= {(table, *row) for row in db.session.execute(text(f"select id, ctid::text, xmin::text from {table}"))}
    return rows


@pytest.fixture
def system(district):
    db.set_tenant(district.id, None, "system")
    return SystemActor(district.id)


@pytest.fixture
def imported(system):
    """The grade-6 package imported into the district: (actor, import record)."""
    record = run_import(system, to_bytes(grade6()))
    assert record.status == "applied", record.errors
    return system, record
