"""A question's version history: the list, one version read-only, and restore (a new version, nothing lost)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app import db
from app.accounts import services as accounts
from app.errors import NotFound
from app.events.services import record_event
from app.questions import codec
from app.questions.services.questions import (
    ITEM_TYPE,
    _fill,
    _record,
    check_fresh,
    data_of,
    get_question,
    locked_for_edit,
)
from app.questions.services.rules import check
from app.versions import services as versions

HISTORY_PAGE = 50


@dataclass(frozen=True)
class HistoryEntry:
    number: int
    author: str
    created_at: object
    note: str | None
    is_current: bool


def question_history(actor, question_id: int, page: int = 1) -> dict:
    """Whoever may read the question: its versions, newest first."""
    question, access = get_question(actor, question_id)
    rows, total = versions.history(ITEM_TYPE, question.id, HISTORY_PAGE, (max(page, 1) - 1) * HISTORY_PAGE)
    names = accounts.names_by_id(row.author_id for row in rows if row.author_id)
    entries = [
        HistoryEntry(
            row.number,
            names.get(row.author_id, _("Someone no longer here")),
            row.created_at,
            row.note,
            row.number == question.version,
        )
        for row in rows
    ]
    return {"question": question, "access": access, "entries": entries, "total": total, "per_page": HISTORY_PAGE}


def question_version(actor, question_id: int, number: int) -> dict:
    """One version read-only, as QuestionData; NotFound for a number the question does not have."""
    question, access = get_question(actor, question_id)
    version = versions.get_version(ITEM_TYPE, question.id, number)
    author = accounts.names_by_id([version.author_id]).get(version.author_id) if version.author_id else None
    return {
        "question": question,
        "access": access,
        "version": version,
        "data": data_of(version.snapshot),
        "author": author,
    }


def restore_question(actor, question_id: int, number: int, base_revision: int | None):
    """The bank's owner. Writes a new version equal to version `number` (the newer ones stay in the history, and
    a version an assignment pinned is never touched). Raises Stale when the question moved on meanwhile."""
    question = locked_for_edit(actor, question_id)
    check_fresh(question, base_revision, question.version)
    if question.is_archived:
        raise NotFound()
    old = versions.get_version(ITEM_TYPE, question.id, number).snapshot
    data = check(codec.to_json(data_of(old)))
    _fill(question, data, question.stem)
    question.stem = old.get("stem") or question.stem
    _record(actor, question, _("Restored version %(n)d", n=number))
    record_event(actor, "question.updated", ITEM_TYPE, question.id, version=question.version)
    db.session.commit()
    return question
