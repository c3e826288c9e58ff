"""The import pipeline against the database: create, re-import unchanged, re-import with a removed item and a
replacedBy, all or nothing, events, and through the jobs."""

from __future__ import annotations

from sqlalchemy import func, select

from app import db
from app.events.models import Event
from app.standards import services
from app.standards.models import Framework, StandardEdge, StandardItem, StandardLink
from tests.jobqueue import empty_queues, run_jobs
from tests.standards.conftest import row_versions, run_import
from tests.standards.packages import DOC, generated, grade6, ident, to_bytes, without


def _item(n: int) -> StandardItem:
    return db.session.scalar(select(StandardItem).where(StandardItem.identifier == ident(n)))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_package_imports_its_framework_items_edges_and_links(imported):
    _actor, record = imported
    framework = db.session.scalar(select(Framework))
    assert (framework.identifier, framework.title, framework.subject, framework.item_count) == (
        DOC,
        "State Mathematics Standards",
        "Mathematics",
        8,
    )
    assert _count(StandardItem) == 8
    assert _count(StandardEdge) == 9  # eight items, one of them with two parents
    assert _count(StandardLink) == 1
    assert record.preview["items"] == {"create": 8, "update": 0, "unretire": 0, "retire": 0, "unchanged": 0}
    assert record.framework_id == framework.id
    two = select(StandardEdge.parent_id).where(StandardEdge.child_id == _item(5).id)
    assert set(db.session.scalars(two)) == {_item(3).id, _item(8).id}
    top = db.session.scalar(select(StandardEdge).where(StandardEdge.child_id == _item(1).id))
    assert top.parent_id is None


def test_an_unchanged_reimport_plans_nothing_and_writes_no_row(imported):
    actor, _record = imported
    before = row_versions()
    record = run_import(actor, to_bytes(grade6()))
    assert record.status == "applied"
    assert record.preview["items"] == {"create": 0, "update": 0, "unretire": 0, "retire": 0, "unchanged": 8}
    assert record.preview["edges"] == {"add": 0, "change": 0, "remove": 0}
    assert record.preview["framework"]["action"] == "unchanged"
    assert row_versions() == before


def test_a_reimport_updates_by_identifier_and_retires_what_disappeared_with_its_replacement(imported):
    actor, _record = imported
    # 6.RP.A.3 and its component removed, 6.RP.A.3 replaced by 6.RP.A.1; 6.RP.A.1 reworded.
    newer = without(without(grade6(), 7), 6, replaced_by=4)
    newer["CFItems"][3]["fullStatement"] = "Understand ratios (revised)."
    record = run_import(actor, to_bytes(newer))
    assert record.status == "applied", record.errors
    items = record.preview["items"]
    # Updated: 6.RP.A.1's statement, and the cluster after the removed ones moves up in the tree order.
    assert (items["create"], items["update"], items["retire"], items["unchanged"]) == (0, 2, 2, 4)
    retired = _item(6)
    assert retired.retired_at is not None and retired.replaced_by_id == _item(4).id
    assert _item(7).retired_at is not None
    assert _item(4).full_statement == "Understand ratios (revised)."
    assert _count(StandardItem) == 8  # nothing deleted
    # The retired standard keeps its place in the tree, so it can still be shown where it was.
    assert db.session.scalar(select(StandardEdge.parent_id).where(StandardEdge.child_id == retired.id)) == _item(3).id
    assert record.preview["examples"]["retire"][0]["replaced_by"].startswith("6.RP.A.1")
    events = db.session.scalars(select(Event).where(Event.type == "standard.retired").order_by(Event.id)).all()
    assert sorted((e.subject_id, e.payload["replaced_by"] or "") for e in events) == [
        (_item(6).id, ident(4)),
        (_item(7).id, ""),
    ]


def test_a_retired_standard_that_comes_back_is_brought_back(imported):
    actor, _record = imported
    run_import(actor, to_bytes(without(grade6(), 7)))
    assert _item(7).retired_at is not None
    record = run_import(actor, to_bytes(grade6()))
    assert record.preview["items"]["unretire"] == 1
    assert _item(7).retired_at is None


def test_an_import_records_the_imported_event(imported):
    _actor, record = imported
    event = db.session.scalar(select(Event).where(Event.type == "standards.imported"))
    assert event.subject_type == "standard_framework" and event.payload["import_id"] == record.id
    assert event.payload["counts"]["create"] == 8


def test_a_package_with_errors_writes_nothing(system):
    package = grade6()
    package["CFItems"].append(dict(package["CFItems"][0]))
    record = run_import(system, to_bytes(package))
    assert record.status == "invalid"
    assert record.errors[0]["code"] == "duplicate_identifier" and record.errors[0]["item"] == ident(1)
    assert _count(Framework) == 0 and _count(StandardItem) == 0


def test_a_failed_write_leaves_nothing_half_imported(system, monkeypatch):
    from app.standards.services import apply as apply_module

    real = apply_module._links

    def broken(*args):
        real(*args)
        raise RuntimeError("disk full")

    monkeypatch.setattr(apply_module, "_links", broken)
    try:
        run_import(system, to_bytes(grade6()))
    except RuntimeError:
        pass
    record = services.recent_imports(system)[0]
    assert record.status == "failed" and "disk full" in record.errors[0]["value"]
    assert _count(Framework) == 0 and _count(StandardItem) == 0 and _count(StandardEdge) == 0


def test_two_frameworks_live_side_by_side_in_a_district(imported):
    actor, _record = imported
    record = run_import(actor, to_bytes(generated(20, doc="c5fb0d1a-0000-4000-8000-ffffffffffff")))
    assert record.status == "applied"
    assert _count(Framework) == 2 and _count(StandardItem) == 28


def test_the_jobs_check_then_apply_an_uploaded_package(system, make_actor, district, tenant):
    admin = make_actor("district_admin")
    empty_queues()
    record = services.upload_import(admin, "state-math.json", to_bytes(grade6()))
    run_jobs()
    tenant(district)  # the in-process worker's app context ended the test's scoped session
    record = services.get_import(admin, record.id)
    assert record.status == "ready"
    services.start_apply(admin, record.id, record.preview["warning_count"])
    run_jobs()
    tenant(district)
    assert services.get_import(admin, record.id).status == "applied"
    assert _count(StandardItem) == 8


def test_another_district_sees_none_of_it(imported, make_district, make_actor, tenant):
    other = make_district()
    tenant(other)
    assert _count(StandardItem) == 0 and _count(Framework) == 0
