"""A bank's questions with search and filters (type, tag, difficulty, standard), a page at a time, and the
questions every search box finds (the curriculum search includes them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import REGCONFIG

from app import db
from app.questions import policy
from app.questions.data import QUESTION_TYPES
from app.questions.models import Question, QuestionBank
from app.questions.services.banks import load_bank, visible_condition

PER_PAGE = 50
MAX_QUERY = 200
_OPEN, _CLOSE = "\x02", "\x03"


@dataclass(frozen=True)
class Filters:
    q: str = ""
    type: str = ""
    tag: str = ""
    difficulty: int | None = None
    standard: str = ""

    @classmethod
    def of(cls, q="", type="", tag="", difficulty=None, standard="") -> Filters:
        """Filters from what a URL said: anything unknown is dropped rather than refused."""
        standard = (standard or "").strip()
        try:
            standard = str(uuid.UUID(standard)) if standard else ""
        except ValueError:
            standard = ""
        return cls(
            q=" ".join((q or "").split())[:MAX_QUERY],
            type=type if type in QUESTION_TYPES else "",
            tag=" ".join((tag or "").split())[:60],
            difficulty=difficulty if difficulty in (1, 2, 3, 4, 5) else None,
            standard=standard,
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.type or self.tag or self.difficulty or self.standard)


@dataclass(frozen=True)
class Row:
    id: int
    type: str
    title: str
    excerpt: str
    points: object
    difficulty: int | None
    tags: list = field(default_factory=list)
    version: int = 1


def _tsquery(q: str):
    return func.websearch_to_tsquery("english", q).op("||")(func.websearch_to_tsquery("spanish", q))


def _where(filters: Filters) -> list:
    where = [~Question.is_archived]
    if filters.type:
        where.append(Question.type == filters.type)
    if filters.tag:
        where.append(Question.tags.contains([filters.tag]))
    if filters.difficulty:
        where.append(Question.difficulty == filters.difficulty)
    if filters.standard:
        where.append(Question.standard_ids.contains([uuid.UUID(filters.standard)]))
    if filters.q:
        where.append(Question.search_vector.op("@@")(_tsquery(filters.q)))
    return where


def bank_questions(actor, bank_id: int, filters: Filters, page: int = 1, per_page: int = PER_PAGE) -> dict:
    """Whoever may read the bank: a page of its questions matching the filters, newest first, with the total and
    the bank's tags (for the tag filter)."""
    bank, access = load_bank(actor, bank_id)
    where = [Question.bank_id == bank.id, *_where(filters)]
    page = max(page, 1)
    # The page and the count apart: a window count would compute every matching row's excerpt before the limit.
    rows = db.session.execute(
        select(
            Question.id,
            Question.type,
            Question.title,
            func.left(func.split_part(Question.plain_text, "\n", 1), 160),
            Question.points,
            Question.difficulty,
            Question.tags,
            Question.version,
        )
        .where(*where)
        .order_by(Question.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    if page == 1 and len(rows) < per_page:
        total = len(rows)
    else:
        total = db.session.scalar(select(func.count()).select_from(Question).where(*where)) or 0
    tags = db.session.scalars(
        select(func.unnest(Question.tags).label("tag"))
        .where(Question.bank_id == bank.id, ~Question.is_archived)
        .distinct()
        .order_by("tag")
        .limit(200)
    ).all()
    return {
        "bank": bank,
        "access": access,
        "rows": [Row(*row) for row in rows],
        "total": total,
        "tags": list(tags),
        "filters": filters,
    }


@dataclass(frozen=True)
class Hit:
    id: int
    title: str
    type: str
    bank_id: int
    bank_name: str
    snippet: Markup


def search_questions(actor, q: str, limit: int = 10) -> tuple[list[Hit], int]:
    """Staff: the questions of the banks they may read that match `q`, best first, and how many match."""
    q = " ".join((q or "").split())[:MAX_QUERY]
    if not q or not policy.is_staff(actor):
        return [], 0
    tsquery = _tsquery(q)
    found = (
        select(
            Question.id,
            Question.title,
            Question.type,
            Question.bank_id,
            QuestionBank.name.label("bank_name"),
            Question.language,
            Question.plain_text,
            func.ts_rank_cd(Question.search_vector, tsquery).label("rank"),
            func.count().over().label("total"),
        )
        .join(QuestionBank, QuestionBank.id == Question.bank_id)
        .where(visible_condition(actor), ~Question.is_archived, Question.search_vector.op("@@")(tsquery))
        .order_by(func.ts_rank_cd(Question.search_vector, tsquery).desc(), Question.id)
        .limit(limit)
        .subquery()
    )
    headline = func.ts_headline(
        found.c.language.cast(REGCONFIG),
        found.c.plain_text,
        func.websearch_to_tsquery(found.c.language.cast(REGCONFIG), q),
        f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter= … ",
    )
    rows = db.session.execute(
        select(
            found.c.id, found.c.title, found.c.type, found.c.bank_id, found.c.bank_name, headline, found.c.total
        ).order_by(found.c.rank.desc(), found.c.id)
    ).all()
    hits = [Hit(r[0], r[1], r[2], r[3], r[4], _marked(r[5])) for r in rows]
    return hits, (rows[0][-1] if rows else 0)


def _marked(snippet: str | None) -> Markup:
    text = str(escape(snippet or ""))
    return Markup(text.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))  # noqa: S704 - escaped just above
