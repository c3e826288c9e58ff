"""Full-text search over units, lessons and templates, limited to what the searcher may see, ranked, with
highlighted snippets.

Each item's vectors are in its own language (english or spanish); the query is parsed in both, so a Spanish lesson
is found by its Spanish words. Editors search the current text of what they edit; everyone else searches
published text only (never a colleague's draft). A broad query ranks a bounded set of candidates (CANDIDATES).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import BigInteger, func, literal, or_, select, union_all
from sqlalchemy.dialects.postgresql import REGCONFIG

from app import db
from app.curriculum import policy
from app.curriculum.models import ContentTemplate, Lesson, Unit
from app.curriculum.services.access import co_pairs, editable_condition, published_condition
from app.org import services as org

PER_PAGE = 20
# Others' published matches ranked per kind, at most: ranking needs every candidate's vector, and a word found in
# most of 200,000 lessons would otherwise rank them all (half a second). Past this the page says there are more
# and asks for a word or a filter; what the searcher edits is always ranked in full.
CANDIDATES = 1000
KINDS = ("unit", "lesson", "template")
LANGUAGES = ("english", "spanish")
MAX_QUERY = 200
# ts_headline marks matches with these; the snippet is escaped, then they become <mark>.
_OPEN, _CLOSE = "\x02", "\x03"


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    title: str
    snippet: Markup
    course_id: int | None


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int
    query: str
    more: bool = False  # more matches than CANDIDATES: `total` counts the ones ranked


def _tsquery(query: str):
    """The query parsed in both languages (a Spanish lesson is found by its Spanish words, an English one by its
    English words); one tsquery, so one GIN index scan serves it."""
    return func.websearch_to_tsquery("english", query).op("||")(func.websearch_to_tsquery("spanish", query))


def _columns(kind: str, table, vector, text, tsquery, course=None):
    return (
        literal(kind).label("kind"),
        table.c.id,
        table.c.title,
        func.ts_rank_cd(vector, tsquery).label("rank"),
        text.label("text"),
        table.c.language,
        (table.c.course_id if course is None else course).label("course_id"),
    )


def _item_selects(actor, model, kind: str, tsquery, course_ids, pairs) -> list:
    """What the actor edits that matches (their current text), and others' published items they may read that
    match (published text, at most CANDIDATES of them: see the module's docstring)."""
    table = model.__table__
    editable = editable_condition(actor, model, pairs)
    scope = [table.c.district_id == actor.district_id]
    if course_ids is not None:
        scope.append(table.c.course_id.in_(course_ids or [-1]))
    mine = select(*_columns(kind, table, table.c.search_vector, table.c.plain_text, tsquery)).where(
        *scope, editable, table.c.search_vector.op("@@")(tsquery)
    )
    theirs = (
        select(*_columns(kind, table, table.c.published_vector, table.c.published_text, tsquery))
        .where(*scope, ~editable, published_condition(actor, model), table.c.published_vector.op("@@")(tsquery))
        .limit(CANDIDATES + 1)
        .subquery()
    )
    return [mine, select(theirs)]


def _template_select(actor, tsquery):
    table = ContentTemplate.__table__
    schools = policy.staff_school_ids(actor)
    reach = True if schools is None else or_(table.c.school_id.is_(None), table.c.school_id.in_(schools or [-1]))
    no_course = literal(None, BigInteger)
    return select(*_columns("template", table, table.c.search_vector, table.c.plain_text, tsquery, no_course)).where(
        table.c.search_vector.op("@@")(tsquery), reach, ~table.c.is_archived, table.c.district_id == actor.district_id
    )


def search(
    actor,
    q: str,
    kind: str | None = None,
    course_id: int | None = None,
    subject: str | None = None,
    grade: int | None = None,
    page: int = 1,
) -> Results:
    """Staff: what they may see that matches `q`, best first, a page at a time. Nothing for a blank query.
    One round trip: the candidates, their count and the page's snippets."""
    q = " ".join((q or "").split())[:MAX_QUERY]
    if not q or not policy.is_staff(actor):
        return Results([], 0, q)
    course_ids = None
    if course_id is not None:
        course_ids = [course_id]
    if subject or grade is not None:
        matching = org.course_ids_matching(subject, grade)
        course_ids = [c for c in matching if course_ids is None or c in course_ids]
    tsquery = _tsquery(q)
    pairs = co_pairs(actor) if policy.can_plan(actor) else []
    parts = []
    if kind in (None, "unit"):
        parts += _item_selects(actor, Unit, "unit", tsquery, course_ids, pairs)
    if kind in (None, "lesson"):
        parts += _item_selects(actor, Lesson, "lesson", tsquery, course_ids, pairs)
    if kind in (None, "template") and course_ids is None:
        parts.append(_template_select(actor, tsquery))
    if not parts:
        return Results([], 0, q)
    found = union_all(*parts).cte("found")
    page = max(page, 1)
    order = (found.c.rank.desc(), found.c.kind, found.c.id)
    shown = (
        select(found, func.count().over().label("total"))
        .order_by(*order)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
        .subquery()
    )
    headline = func.ts_headline(
        shown.c.language.cast(REGCONFIG),
        shown.c.text,
        func.websearch_to_tsquery(shown.c.language.cast(REGCONFIG), q),
        f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter= … ",
    )
    rows = db.session.execute(
        select(shown.c.kind, shown.c.id, shown.c.title, headline, shown.c.course_id, shown.c.total).order_by(
            shown.c.rank.desc(), shown.c.kind, shown.c.id
        )
    ).all()
    if rows:
        total = rows[0].total
    else:  # past the last page: the count alone
        total = db.session.scalar(select(func.count()).select_from(found)) or 0 if page > 1 else 0
    hits = [Hit(kind, item_id, title, _marked(snippet), course) for kind, item_id, title, snippet, course, _ in rows]
    return Results(hits, total, q, more=total > CANDIDATES)


def _marked(snippet: str | None) -> Markup:
    text = str(escape(snippet or ""))
    return Markup(text.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))  # noqa: S704 - escaped just above
