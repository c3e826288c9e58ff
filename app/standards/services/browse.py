"""Reading frameworks: the list, a level of the tree, one standard with its place and links, search, and the plain
data other packages align to (`get_many`). Staff only (NotFound for anyone else)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from app import db
from app.errors import Invalid, NotFound
from app.standards.data import Standard
from app.standards.models import Framework, StandardEdge, StandardItem, StandardLink
from app.standards.policy import can_browse_standards

MAX_ALIGNED = 60
SEARCH_LIMIT = 25
_WORD = re.compile(r"\w+", re.UNICODE)
_CODE = re.compile(r"(?=.*\d)(?=.*\.)[\w.\-]+")


def require_staff(actor) -> None:
    if not can_browse_standards(actor):
        raise NotFound()


COLUMNS = (
    StandardItem.id,
    StandardItem.framework_id,
    Framework.title,
    StandardItem.human_code,
    StandardItem.full_statement,
    StandardItem.abbreviated_statement,
    StandardItem.item_type,
    StandardItem.education_levels,
    StandardItem.is_leaf,
    StandardItem.retired_at,
    StandardItem.replaced_by_id,
    StandardItem.depth,
    StandardItem.position,
    StandardItem.identifier,
)


def _standard(row) -> Standard:
    (item_id, framework_id, title, code, statement, short, item_type, levels, leaf, retired, replaced, depth, pos,
     identifier) = row  # fmt: skip
    return Standard(
        item_id, framework_id, title, code, statement, short, item_type, tuple(levels or ()), leaf,
        retired is not None, replaced, depth, pos, identifier,
    )  # fmt: skip


def _select(*extra):
    return select(*COLUMNS, *extra).join(Framework, Framework.id == StandardItem.framework_id)


def frameworks(actor) -> list[Framework]:
    """Staff: the district's frameworks, by title."""
    require_staff(actor)
    return list(db.session.scalars(select(Framework).order_by(Framework.title, Framework.id)))


def get_framework(actor, framework_id: int) -> Framework:
    require_staff(actor)
    framework = db.scoped_get(actor, Framework, framework_id)
    if framework is None:
        raise NotFound()
    return framework


@dataclass(frozen=True)
class Node:
    standard: Standard
    children: int  # how many sit under it (not retired)


def children_of(actor, framework_id: int, parent_id: int | None = None, retired: bool = False) -> list[Node]:
    """Staff: one level of a framework's tree (the top level without a parent), in order, each with how many
    children it has. Retired standards only when asked."""
    get_framework(actor, framework_id)
    under = aliased(StandardEdge)
    count = (
        select(func.count()).select_from(under).where(under.parent_id == StandardItem.id).correlate(StandardItem)
    ).scalar_subquery()
    query = (
        _select(count)
        .join(StandardEdge, StandardEdge.child_id == StandardItem.id)
        .where(
            StandardEdge.framework_id == framework_id,
            StandardEdge.parent_id.is_(None) if parent_id is None else StandardEdge.parent_id == parent_id,
        )
        .order_by(StandardEdge.position, StandardItem.position)
    )
    if not retired:
        query = query.where(StandardItem.retired_at.is_(None))
    return [Node(_standard(row[:-1]), row[-1]) for row in db.session.execute(query)]


def get_many(actor, ids) -> list[Standard]:
    """Staff: the standards of these ids in the district, in the order given (unknown ids are left out)."""
    require_staff(actor)
    ids = [int(i) for i in ids or ()]
    if not ids:
        return []
    found = {s.id: s for s in map(_standard, db.session.execute(_select().where(StandardItem.id.in_(set(ids)))))}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def by_identifiers(actor, identifiers) -> dict[str, Standard]:
    """Staff: the district's standards by CASE identifier (a package that names standards by identifier, such as
    a question bank's, finds them here); unknown identifiers are left out."""
    require_staff(actor)
    wanted = {str(i) for i in identifiers or () if i}
    if not wanted:
        return {}
    rows = db.session.execute(_select().where(StandardItem.identifier.in_(wanted)))
    return {s.identifier: s for s in map(_standard, rows)}


def get_standard(actor, standard_id: int) -> dict:
    """Staff: one standard, its ancestors (the first parent's line), its children, its links and what replaced it."""
    found = get_many(actor, [standard_id])
    if not found:
        raise NotFound()
    standard = found[0]
    ancestors, current, seen = [], standard_id, {standard_id}
    while True:
        parent = db.session.scalar(
            select(StandardEdge.parent_id)
            .where(StandardEdge.child_id == current, StandardEdge.parent_id.is_not(None))
            .order_by(StandardEdge.id)
            .limit(1)
        )
        if parent is None or parent in seen:
            break
        seen.add(parent)
        ancestors.append(parent)
        current = parent
    links = db.session.execute(
        select(StandardLink.link_type, StandardLink.target_id, StandardLink.target_identifier, StandardLink.target_uri)
        .where(StandardLink.origin_id == standard_id)
        .order_by(StandardLink.link_type, StandardLink.id)
    ).all()
    targets = {s.id: s for s in get_many(actor, [t for _k, t, _i, _u in links if t])}
    return {
        "standard": standard,
        "ancestors": get_many(actor, reversed(ancestors)),
        "children": children_of(actor, standard.framework_id, standard.id, retired=True),
        "links": [
            {"type": kind, "target": targets.get(target), "identifier": ident, "uri": uri}
            for kind, target, ident, uri in links
        ],
        "replaced_by": get_many(actor, [standard.replaced_by_id])[0] if standard.replaced_by_id else None,
    }


def _code_range(text: str):
    """The codes that start with `text` (lower case), as a range the code index serves under RLS."""
    low = text.lower()
    high = low[:-1] + chr(ord(low[-1]) + 1)
    return and_(StandardItem.code_key.op("~>=~")(low), StandardItem.code_key.op("~<~")(high))


def search(actor, query: str, framework_id: int | None = None, limit: int = SEARCH_LIMIT) -> list[Standard]:
    """Staff: standards (not retired) whose code starts with the query or whose words start with the query's
    words: the exact code first, then codes that start so, then the rest in tree order. A query that looks like a
    code (no spaces, a digit and a dot, "6.RP.A") is matched on codes only: its one-letter parts would match
    most words of a framework."""
    require_staff(actor)
    text = " ".join((query or "").split())[:100]
    words = [w for w in _WORD.findall(text.lower()) if w][:12]
    if not text or not words:
        return []
    codes = _code_range(text)
    if _CODE.fullmatch(text):
        matches = codes
    else:
        tsquery = func.to_tsquery("simple", " & ".join(f"{w}:*" for w in words))
        matches = or_(StandardItem.search_vector.op("@@")(tsquery), codes)
    statement = (
        _select()
        .where(StandardItem.retired_at.is_(None), matches)
        # Tree order after the code matches: a picker reads best in the framework's own order, and ranking every
        # match with ts_rank cost more than the search itself (perf/RESULTS.md).
        .order_by(
            case((StandardItem.code_key == text.lower(), 0), (codes, 1), else_=2),
            StandardItem.framework_id,
            StandardItem.position,
        )
        .limit(max(1, min(limit, 100)))
    )
    if framework_id:
        statement = statement.where(StandardItem.framework_id == framework_id)
    return [_standard(row) for row in db.session.execute(statement)]


def alignable(actor, ids) -> list[int]:
    """The ids a unit or lesson may be aligned to: the district's standards, each once, in the order given.
    A retired standard stays if it was chosen (alignments are kept). Invalid for an unknown id or too many."""
    wanted = list(dict.fromkeys(int(i) for i in ids or ()))
    if not wanted:
        return []
    if len(wanted) > MAX_ALIGNED:
        raise Invalid({"standards": _("Align to at most %(num)s standards.", num=MAX_ALIGNED)})
    known = set(db.session.scalars(select(StandardItem.id).where(StandardItem.id.in_(wanted))))
    if set(wanted) - known:
        raise Invalid({"standards": _("A chosen standard is no longer available. Choose again.")})
    return wanted


def standards_for(actor, levels: list[str] | None, subject: str | None, include: set[int] = frozenset()):
    """Coverage's list: the standards of these grades (CEDS codes; None: any) and subject (None: any), not
    retired: the leaves of the tree, and any other standard in `include` (one that is aligned to directly)."""
    require_staff(actor)
    conditions = [StandardItem.retired_at.is_(None)]
    if levels is not None:
        conditions.append(StandardItem.education_levels.overlap(levels))
    if subject:
        wanted = subject.strip().lower()
        named = func.lower(func.coalesce(StandardItem.subject, Framework.subject, ""))
        # "Math" and "Mathematics" are one subject; a standard without one counts for every course.
        conditions.append(or_(named == "", func.left(named, 4) == wanted[:4]))
    shown = StandardItem.is_leaf if not include else or_(StandardItem.is_leaf, StandardItem.id.in_(include))
    query = _select().where(and_(*conditions), shown).order_by(Framework.title, StandardItem.position)
    return [_standard(row) for row in db.session.execute(query)]
