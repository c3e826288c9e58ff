"""Full-text search over units, lessons and templates, limited to what the searcher may see, ranked, with
highlighted snippets.

Each item's vectors are in its own language (english or spanish); the query is parsed in both and matched
against the item's language, so a Spanish lesson is found by its Spanish words. Editors search the current text
of what they edit; everyone else searches published text only (never a colleague's draft).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import and_, case, func, literal, or_, select, union_all
from sqlalchemy.dialects.postgresql import REGCONFIG

from app import db
from app.curriculum import policy
from app.curriculum.models import ContentTemplate, Lesson, Unit
from app.curriculum.services.access import editable_condition, published_condition
from app.org import services as org

PER_PAGE = 20
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


def _match(vector, query: str):
    """`vector` matches the query parsed in the row's language."""
    return or_(
        *(
            and_(vector.table.c.language == language, vector.op("@@")(func.websearch_to_tsquery(language, query)))
            for language in LANGUAGES
        )
    )


def _rank(vector, query: str):
    return func.greatest(
        *(func.ts_rank_cd(vector, func.websearch_to_tsquery(language, query)) for language in LANGUAGES)
    )


def _item_select(actor, model, kind: str, query: str, course_ids):
    """(kind, id, title, rank, text, course) of the rows of `model` the actor may see that match."""
    table = model.__table__
    editable = editable_condition(actor, model)
    published = published_condition(actor, model)
    mine = and_(editable, _match(table.c.search_vector, query))
    theirs = and_(~editable, published, _match(table.c.published_vector, query))
    rank = func.greatest(
        func.coalesce(_rank(table.c.search_vector, query), 0), func.coalesce(_rank(table.c.published_vector, query), 0)
    )
    text = case((editable, table.c.plain_text), else_=table.c.published_text)
    statement = select(
        literal(kind).label("kind"),
        table.c.id,
        table.c.title,
        rank.label("rank"),
        text.label("text"),
        table.c.language,
        table.c.course_id,
    ).where(or_(mine, theirs), table.c.district_id == actor.district_id)
    if course_ids is not None:
        statement = statement.where(table.c.course_id.in_(course_ids or [-1]))
    return statement


def _template_select(actor, query: str):
    table = ContentTemplate.__table__
    schools = policy.staff_school_ids(actor)
    reach = True if schools is None else or_(table.c.school_id.is_(None), table.c.school_id.in_(schools or [-1]))
    return select(
        literal("template").label("kind"),
        table.c.id,
        table.c.title,
        _rank(table.c.search_vector, query).label("rank"),
        table.c.plain_text.label("text"),
        table.c.language,
        literal(None).label("course_id"),
    ).where(_match(table.c.search_vector, query), reach, ~table.c.is_archived, table.c.district_id == actor.district_id)


def search(
    actor,
    q: str,
    kind: str | None = None,
    course_id: int | None = None,
    subject: str | None = None,
    grade: int | None = None,
    page: int = 1,
) -> Results:
    """Staff: what they may see that matches `q`, best first, a page at a time. Nothing for a blank query."""
    q = " ".join((q or "").split())[:MAX_QUERY]
    if not q or not policy.is_staff(actor):
        return Results([], 0, q)
    course_ids = None
    if course_id is not None:
        course_ids = [course_id]
    if subject or grade is not None:
        matching = org.course_ids_matching(subject, grade)
        course_ids = [c for c in matching if course_ids is None or c in course_ids]
    parts = []
    if kind in (None, "unit"):
        parts.append(_item_select(actor, Unit, "unit", q, course_ids))
    if kind in (None, "lesson"):
        parts.append(_item_select(actor, Lesson, "lesson", q, course_ids))
    if kind in (None, "template") and course_ids is None:
        parts.append(_template_select(actor, q))
    if not parts:
        return Results([], 0, q)
    found = union_all(*parts).subquery()
    page = max(page, 1)
    total = db.session.scalar(select(func.count()).select_from(found)) or 0
    shown = (
        select(found)
        .order_by(found.c.rank.desc(), found.c.kind, found.c.id)
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
        select(shown.c.kind, shown.c.id, shown.c.title, headline, shown.c.course_id).order_by(
            shown.c.rank.desc(), shown.c.kind, shown.c.id
        )
    )
    hits = [Hit(kind, item_id, title, _marked(snippet), course) for kind, item_id, title, snippet, course in rows]
    return Results(hits, total, q)


def _marked(snippet: str | None) -> Markup:
    text = str(escape(snippet or ""))
    return Markup(text.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))  # noqa: S704 - escaped just above
