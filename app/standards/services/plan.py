"""A parsed framework compared with what the district holds: what an import would create, update, retire and
bring back, by identifier. The same plan is the preview (counts, examples, the tree) and what apply writes.

Nothing is ever deleted: a standard missing from a newer package is retired (its alignments stay, marked
retired) and its isChildOf edges and links are kept, so it can still be shown where it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app import db
from app.standards.models import Framework, StandardEdge, StandardItem, StandardLink
from app.standards.services.parsed import ParsedFramework, ParsedItem

ITEM_FIELDS = (
    "human_code",
    "full_statement",
    "abbreviated_statement",
    "item_type",
    "education_levels",
    "subject",
    "list_enumeration",
    "sequence_number",
    "position",
    "depth",
    "is_leaf",
    "uri",
)
FRAMEWORK_FIELDS = ("title", "creator", "subject", "version", "adoption_status", "uri", "item_count")
EXAMPLES = 5
TREE_SHOWN = 80


def item_values(item: ParsedItem) -> tuple:
    return tuple(getattr(item, name) for name in ITEM_FIELDS)


@dataclass
class Existing:
    id: int
    values: tuple
    retired: bool
    replaced_by_id: int | None
    code: str | None
    statement: str


@dataclass
class Plan:
    parsed: ParsedFramework
    framework: Framework | None
    framework_values: dict
    framework_changed: bool
    existing: dict[str, Existing]
    creates: list[ParsedItem] = field(default_factory=list)
    updates: list[tuple[int, ParsedItem]] = field(default_factory=list)
    unretire: set[str] = field(default_factory=set)
    retire: list[str] = field(default_factory=list)
    unchanged: int = 0
    # (child identifier, parent identifier or None) -> (sequence, position)
    edges_now: dict[tuple, tuple] = field(default_factory=dict)
    edges_wanted: dict[tuple, tuple] = field(default_factory=dict)
    links_now: dict[tuple, tuple] = field(default_factory=dict)
    links_wanted: dict[tuple, tuple] = field(default_factory=dict)

    @property
    def edges_add(self) -> list[tuple]:
        return [k for k in self.edges_wanted if k not in self.edges_now]

    @property
    def edges_change(self) -> list[tuple]:
        return [k for k, v in self.edges_wanted.items() if k in self.edges_now and self.edges_now[k] != v]

    @property
    def edges_remove(self) -> list[tuple]:
        kept = set(self.retire) | {i for i, e in self.existing.items() if e.retired and i not in self.parsed.items}
        return [k for k in self.edges_now if k not in self.edges_wanted and k[0] not in kept]

    @property
    def links_add(self) -> list[tuple]:
        return [k for k in self.links_wanted if k not in self.links_now]

    @property
    def links_remove(self) -> list[tuple]:
        kept = set(self.retire)
        return [k for k in self.links_now if k not in self.links_wanted and k[0] not in kept]

    @property
    def is_unchanged(self) -> bool:
        return not (
            self.framework_changed
            or self.creates
            or self.updates
            or self.retire
            or self.edges_add
            or self.edges_change
            or self.edges_remove
            or self.links_add
            or self.links_remove
            or self.replacement_changes
        )

    @property
    def replacement_changes(self) -> list[tuple[str, str]]:
        """(old, new) identifiers of replacedBy associations whose target is not yet recorded."""
        changes = []
        for old, new in self.parsed.replacements.items():
            before = self.existing.get(old)
            target = self.existing.get(new)
            if old not in self.existing and old not in self.parsed.items:
                continue
            if new not in self.existing and new not in self.parsed.items:
                continue
            if before is None or target is None or before.replaced_by_id != target.id:
                changes.append((old, new))
        return changes


def _framework_values(parsed: ParsedFramework) -> dict:
    return {
        "title": parsed.title[:500],
        "creator": parsed.creator,
        "subject": parsed.subject,
        "version": parsed.version,
        "adoption_status": parsed.adoption_status,
        "uri": parsed.uri,
        "item_count": len(parsed.items),
    }


def _existing(framework_id: int) -> dict[str, Existing]:
    columns = [getattr(StandardItem, name) for name in ITEM_FIELDS]
    rows = db.session.execute(
        select(
            StandardItem.identifier,
            StandardItem.id,
            StandardItem.retired_at,
            StandardItem.replaced_by_id,
            *columns,
        ).where(StandardItem.framework_id == framework_id)
    )
    found = {}
    for identifier, item_id, retired_at, replaced_by_id, *values in rows:
        values = tuple(list(v) if isinstance(v, list) else v for v in values)
        found[identifier] = Existing(item_id, values, retired_at is not None, replaced_by_id, values[0], values[1])
    return found


def _edges_now(framework_id: int) -> dict[tuple, tuple]:
    child, parent = aliased(StandardItem), aliased(StandardItem)
    rows = db.session.execute(
        select(child.identifier, parent.identifier, StandardEdge.sequence, StandardEdge.position)
        .join(child, child.id == StandardEdge.child_id)
        .outerjoin(parent, parent.id == StandardEdge.parent_id)
        .where(StandardEdge.framework_id == framework_id)
    )
    return {(c, p): (s, pos) for c, p, s, pos in rows}


def _links_now(framework_id: int) -> dict[tuple, tuple]:
    rows = db.session.execute(
        select(
            StandardItem.identifier,
            StandardLink.link_type,
            StandardLink.target_identifier,
            StandardLink.target_uri,
            StandardLink.target_title,
        )
        .join(StandardItem, StandardItem.id == StandardLink.origin_id)
        .where(StandardLink.framework_id == framework_id)
    )
    return {(o, t, target): (uri, title) for o, t, target, uri, title in rows}


def build_plan(parsed: ParsedFramework) -> Plan:
    """Compare a parsed framework (without errors) with the current district's copy of it, if any."""
    framework = db.session.scalar(select(Framework).where(Framework.identifier == parsed.identifier))
    values = _framework_values(parsed)
    existing = _existing(framework.id) if framework else {}
    changed = framework is None or any(getattr(framework, k) != v for k, v in values.items())
    plan = Plan(parsed, framework, values, changed, existing)
    for identifier, item in parsed.items.items():
        now = existing.get(identifier)
        if now is None:
            plan.creates.append(item)
        elif now.retired or now.values != item_values(item):
            plan.updates.append((now.id, item))
            if now.retired:
                plan.unretire.add(identifier)
        else:
            plan.unchanged += 1
    plan.retire = [i for i, e in existing.items() if i not in parsed.items and not e.retired]
    if framework:
        plan.edges_now, plan.links_now = _edges_now(framework.id), _links_now(framework.id)
    plan.edges_wanted = {
        (e.child, e.parent): (e.sequence, parsed.places.get((e.child, e.parent), 0)) for e in parsed.edges
    }
    plan.links_wanted = {(k.origin, k.link_type, k.target): (k.target_uri, k.target_title) for k in parsed.links}
    return plan


def _label(code: str | None, statement: str | None) -> str:
    statement = " ".join((statement or "").split())
    short = statement if len(statement) <= 90 else statement[:89] + "…"
    return f"{code} {short}".strip() if code else short


def preview_of(plan: Plan) -> dict:
    """What the import page and the CLI show: counts, a few examples of each change, and the top of the tree."""
    parsed = plan.parsed
    items = sorted(parsed.items.values(), key=lambda i: i.position)
    retired = [plan.existing[i] for i in plan.retire]
    replaced = dict(plan.replacement_changes)
    return {
        "framework": {
            "identifier": parsed.identifier,
            "title": parsed.title,
            "subject": parsed.subject,
            "version": parsed.version,
            "source": parsed.source,
            "action": "create" if plan.framework is None else ("update" if plan.framework_changed else "unchanged"),
        },
        "items": {
            "create": len(plan.creates),
            "update": len(plan.updates) - len(plan.unretire),
            "unretire": len(plan.unretire),
            "retire": len(plan.retire),
            "unchanged": plan.unchanged,
        },
        "edges": {"add": len(plan.edges_add), "change": len(plan.edges_change), "remove": len(plan.edges_remove)},
        "links": {"add": len(plan.links_add), "remove": len(plan.links_remove)},
        "replacements": len(replaced),
        "examples": {
            "create": [_label(i.human_code, i.full_statement) for i in plan.creates[:EXAMPLES]],
            "update": [_label(i.human_code, i.full_statement) for _id, i in plan.updates[:EXAMPLES]],
            "retire": [
                {
                    "label": _label(e.code, e.statement),
                    "replaced_by": _label(parsed.items[new].human_code, parsed.items[new].full_statement)
                    if (new := replaced.get(i) or parsed.replacements.get(i)) in parsed.items
                    else None,
                }
                for i, e in zip(plan.retire[:EXAMPLES], retired[:EXAMPLES], strict=False)
            ],
        },
        "tree": [
            {"depth": i.depth, "code": i.human_code, "statement": _label(None, i.full_statement), "leaf": i.is_leaf}
            for i in items[:TREE_SHOWN]
        ],
        "total": len(items),
        "multi_parent": sum(1 for n in _parent_counts(parsed).values() if n > 1),
        "levels": sorted({code for i in items for code in i.education_levels}),
    }


def _parent_counts(parsed: ParsedFramework) -> dict[str, int]:
    counts: dict[str, int] = {}
    for edge in parsed.edges:
        counts[edge.child] = counts.get(edge.child, 0) + 1
    return counts
