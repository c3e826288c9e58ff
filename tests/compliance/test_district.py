"""The end of a contract: the whole district exported, then deleted, leaving only its receipt."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import text

from app import db
from app.compliance.services import district as contract
from app.identity.data import SystemActor


def test_a_district_is_exported_then_deleted_with_only_a_receipt_left(family, actor_of, make_district, make_user):
    from app.audit import services as audit

    other = make_district()
    neighbour = make_user("student", district=other, display_name="Neighbour Kid")
    db.set_tenant(family.student.district_id, None, "system")
    audit.record_access(actor_of(family.teacher), family.student.id, "student.record")
    db.session.commit()
    actor = SystemActor(family.student.district_id)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(contract.district_zip(actor))))
    names = set(archive.namelist())
    assert {"tables/users.csv", "tables/enrollments.csv", f"students/{family.student.id}.json"} <= names
    assert "Zora Quill" in archive.read("tables/users.csv").decode()
    deletion = contract.delete_district(actor, family.district_slug, family.district_slug)
    for table in contract.tenant_tables():
        if table in contract.KEEP:
            continue
        assert db.session.scalar(text(f"select count(*) from {table}")) == 0, table
    assert deletion.receipt["rows"]["users"] == 6
    db.set_tenant(other.id, None, "system")
    assert db.session.scalar(text("select count(*) from users where id = :i"), {"i": neighbour.id}) == 1


def test_a_district_with_a_held_student_is_not_deleted(family, actor_of):
    import pytest

    from app.compliance import services
    from app.errors import Invalid

    services.place_hold(actor_of(family.admin), family.student.id, "Litigation")
    with pytest.raises(Invalid, match="held"):
        contract.delete_district(SystemActor(family.student.district_id), family.district_slug, family.district_slug)
