"""Writing a plan in the caller's transaction: only rows that change are touched, so an unchanged re-import writes
nothing at all. The caller commits (or rolls everything back)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, text, update

from app import db
from app.standards.models import Framework, StandardEdge, StandardItem, StandardLink
from app.standards.services.plan import ITEM_FIELDS, Plan


def _framework(plan: Plan, district_id: int, now: datetime) -> Framework:
    framework = plan.framework
    if framework is None:
        framework = Framework(
            district_id=district_id,
            identifier=plan.parsed.identifier,
            source=plan.parsed.source,
            imported_at=now,
            **plan.framework_values,
        )
        db.session.add(framework)
        db.session.flush()
    elif not plan.is_unchanged:
        for key, value in plan.framework_values.items():
            if getattr(framework, key) != value:
                setattr(framework, key, value)
        framework.imported_at = framework.updated_at = now
    return framework


def _row(item) -> dict:
    return {name: getattr(item, name) for name in ITEM_FIELDS}


ITEM_TEMP = """identifier text, human_code text, full_statement text, abbreviated_statement text, item_type text,
    education_levels varchar(4)[], subject text, list_enumeration text, sequence_number integer, position integer,
    depth smallint, is_leaf boolean, uri text"""
COLUMNS = ", ".join(ITEM_FIELDS)


def _load(table: str, columns: str, rows) -> None:
    """A fresh temp table filled by COPY (row-level security refuses COPY into the real table, so the insert or
    update from it is a statement the policy checks). Dropped at commit."""
    db.session.execute(text(f"drop table if exists {table}"))
    db.session.execute(text(f"create temp table {table} ({columns}) on commit drop"))
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"copy {table} from stdin") as copy:
        for row in rows:
            copy.write_row(row)


def _item_rows(items) -> list[tuple]:
    return [(i.identifier, *(getattr(i, name) for name in ITEM_FIELDS)) for i in items]


def apply_plan(plan: Plan, district_id: int) -> tuple[Framework, list[int]]:
    """Write the plan; returns the framework and the ids of the standards it retired."""
    now = datetime.now(UTC)
    framework = _framework(plan, district_id, now)
    ids = {identifier: e.id for identifier, e in plan.existing.items()}
    params = {"d": district_id, "f": framework.id, "now": now}
    if plan.creates:
        _load("tmp_std_items", ITEM_TEMP, _item_rows(plan.creates))
        created = db.session.execute(
            text(
                f"insert into standard_items (district_id, framework_id, identifier, {COLUMNS}) "
                f"select :d, :f, identifier, {COLUMNS} from tmp_std_items returning identifier, id"
            ),
            params,
        )
        ids.update(dict(created.tuples().all()))
    if plan.updates:
        _load("tmp_std_items", ITEM_TEMP, _item_rows(item for _id, item in plan.updates))
        assigned = ", ".join(f"{name} = t.{name}" for name in ITEM_FIELDS)
        db.session.execute(
            text(
                f"update standard_items s set {assigned}, retired_at = null, updated_at = :now "
                "from tmp_std_items t where s.district_id = :d and s.framework_id = :f and s.identifier = t.identifier"
            ),
            params,
        )
    retired = [ids[i] for i in plan.retire]
    if retired:
        db.session.execute(
            update(StandardItem).where(StandardItem.id.in_(retired)).values(retired_at=now, updated_at=now)
        )
    for old, new in plan.replacement_changes:
        db.session.execute(update(StandardItem).where(StandardItem.id == ids[old]).values(replaced_by_id=ids[new]))
    _edges(plan, district_id, framework.id, ids)
    _links(plan, district_id, framework.id, ids)
    db.session.flush()
    return framework, retired


def _edges(plan: Plan, district_id: int, framework_id: int, ids: dict[str, int]) -> None:
    def key(pair):
        child, parent = pair
        return ids[child], ids[parent] if parent is not None else None

    removed = [key(pair) for pair in plan.edges_remove]
    for child_id, parent_id in removed:
        db.session.execute(
            delete(StandardEdge).where(
                StandardEdge.child_id == child_id,
                StandardEdge.parent_id.is_(None) if parent_id is None else StandardEdge.parent_id == parent_id,
            )
        )
    changed = plan.edges_change
    if changed:
        found = {
            (child_id, parent_id): edge_id
            for child_id, parent_id, edge_id in db.session.execute(
                select(StandardEdge.child_id, StandardEdge.parent_id, StandardEdge.id).where(
                    StandardEdge.framework_id == framework_id
                )
            )
        }
        rows = []
        for pair in changed:
            sequence, position = plan.edges_wanted[pair]
            rows.append({"id": found[key(pair)], "sequence": sequence, "position": position})
        db.session.execute(update(StandardEdge), rows)
    added = plan.edges_add
    if added:
        rows = [(*key(pair), *plan.edges_wanted[pair]) for pair in added]
        _load("tmp_std_edges", "child_id bigint, parent_id bigint, sequence integer, position integer", rows)
        db.session.execute(
            text(
                "insert into standard_edges (district_id, framework_id, child_id, parent_id, sequence, position) "
                "select :d, :f, child_id, parent_id, sequence, position from tmp_std_edges"
            ),
            {"d": district_id, "f": framework_id},
        )


def _links(plan: Plan, district_id: int, framework_id: int, ids: dict[str, int]) -> None:
    for origin, link_type, target in plan.links_remove:
        db.session.execute(
            delete(StandardLink).where(
                StandardLink.origin_id == ids[origin],
                StandardLink.link_type == link_type,
                StandardLink.target_identifier == target,
            )
        )
    added = plan.links_add
    if added:
        db.session.execute(
            insert(StandardLink),
            [
                {
                    "district_id": district_id,
                    "framework_id": framework_id,
                    "origin_id": ids[origin],
                    "link_type": link_type[:60],
                    "target_id": ids.get(target),
                    "target_identifier": target[:255],
                    "target_uri": plan.links_wanted[(origin, link_type, target)][0],
                    "target_title": plan.links_wanted[(origin, link_type, target)][1],
                }
                for origin, link_type, target in added
            ],
        )
