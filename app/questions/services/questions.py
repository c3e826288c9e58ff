"""Questions: creating and editing them in a bank (a version on every save; a stale save refused with what
changed), copying with lineage, archiving, and pinning a version for the gradebook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import insert, select

from app import db
from app.accounts import services as accounts
from app.errors import NotFound, StaleEdit
from app.events.services import record_event
from app.questions import codec
from app.questions.data import QuestionData
from app.questions.models import Question, QuestionBank
from app.questions.services import rules
from app.questions.services.banks import Access, editable_bank, load_bank
from app.questions.services.render import text_of_html
from app.richtext import services as richtext
from app.versions import services as versions

ITEM_TYPE = "question"
SEARCH_CONFIG = {"en": "english", "es": "spanish"}


def search_language(actor) -> str:
    locale = getattr(actor, "locale", None) or getattr(actor, "district_locale", None) or "en"
    return SEARCH_CONFIG.get(locale.split("_")[0], "english")


def snapshot_of(question: Question) -> dict:
    """What a version keeps: the whole question (the stem as its document, the body in codec's shape)."""
    return {
        "bank_id": question.bank_id,
        "type": question.type,
        "title": question.title,
        "stem": question.stem,
        "body": question.body,
        "points": str(Decimal(question.points).quantize(Decimal("0.01"))),
        "difficulty": question.difficulty,
        "tags": list(question.tags or []),
        "standard_ids": [str(s) for s in question.standard_ids or []],
    }


def data_of(snapshot: dict) -> QuestionData:
    """A snapshot (or a live question's snapshot_of) as QuestionData; the stem as the editor's HTML."""
    return codec.from_json(
        {
            **(snapshot.get("body") or {}),
            "type": snapshot["type"],
            "title": snapshot.get("title") or "",
            "stem_html": richtext.to_editor_html(snapshot.get("stem") or richtext.empty_document()),
            "points": snapshot.get("points"),
            "difficulty": snapshot.get("difficulty"),
            "tags": snapshot.get("tags") or [],
        }
    )


def question_data(question: Question) -> QuestionData:
    return data_of(snapshot_of(question))


def draft_of(question: Question) -> dict:
    """The editor's starting draft (codec's JSON shape)."""
    return codec.to_json(question_data(question))


def _text(data: QuestionData, stem: dict) -> str:
    parts = [rules.BLANK.sub("____", richtext.plain_text(stem)).replace("\n", " ")]
    html = [c.html for c in data.choices + data.items + data.distractors]
    html += [p.prompt_html + " " + p.answer_html for p in data.pairs]
    parts += [text_of_html(h) for h in html if h]
    parts += [a.text for a in data.text_answers] + [a.text for b in data.blanks for a in b.answers]
    parts.append(" ".join(data.tags))
    return "\n".join(p for p in parts if p)[:100_000]


def _fill(question: Question, data: QuestionData, previous_stem: dict | None) -> None:
    stem = richtext.to_document(data.stem_html, previous_stem, field="stem")
    question.type, question.title, question.stem = data.type, data.title, stem
    question.body = codec.to_json(data, body_only=True)
    question.points, question.difficulty, question.tags = data.points, data.difficulty, list(data.tags)
    question.plain_text = _text(data, stem)


def _record(actor, question: Question, note: str | None) -> None:
    written = versions.write_version(actor, ITEM_TYPE, question.id, snapshot_of(question), note=note)
    question.version = written.version.number
    question.revision = (question.revision or 0) + 1
    question.updated_at = datetime.now(UTC)


def add_question(actor, bank, data: QuestionData, *, note: str, standard_ids=(), copied_from=None) -> Question:
    """A checked question into a bank the caller has checked the actor edits: flushed and versioned, not
    committed (an import adds many in one transaction)."""
    question = Question(
        district_id=actor.district_id,
        bank_id=bank.id,
        owner_id=bank.owner_id,
        language=search_language(actor),
        standard_ids=list(standard_ids),
        source_id=data.source_id[:200],
        copied_from_id=copied_from[0] if copied_from else None,
        copied_from_version=copied_from[1] if copied_from else None,
    )
    _fill(question, data, None)
    db.session.add(question)
    db.session.flush()
    _record(actor, question, note)
    return question


def add_questions(actor, bank, datas: list[QuestionData], *, note: str) -> list[int]:
    """Many checked questions into a bank the caller has checked the actor edits (an import): one insert for the
    questions and one for their first versions, in the caller's transaction (not committed). Their ids, in order."""
    if not datas:
        return []
    language = search_language(actor)
    rows = []
    for data in datas:
        question = Question(district_id=actor.district_id, bank_id=bank.id, owner_id=bank.owner_id)
        _fill(question, data, None)
        rows.append(
            {
                "district_id": actor.district_id,
                "bank_id": bank.id,
                "owner_id": bank.owner_id,
                "type": question.type,
                "title": question.title,
                "stem": question.stem,
                "body": question.body,
                "points": question.points,
                "difficulty": question.difficulty,
                "tags": question.tags,
                "standard_ids": [],
                "source_id": data.source_id[:200],
                "is_archived": False,
                "version": 1,
                "revision": 1,
                "language": language,
                "plain_text": question.plain_text,
            }
        )
    ids = list(db.session.scalars(insert(Question).returning(Question.id, sort_by_parameter_order=True), rows))
    snapshots = []
    for question_id, row in zip(ids, rows, strict=True):
        snapshot = {
            "bank_id": bank.id,
            "type": row["type"],
            "title": row["title"],
            "stem": row["stem"],
            "body": row["body"],
            "points": str(Decimal(row["points"]).quantize(Decimal("0.01"))),
            "difficulty": row["difficulty"],
            "tags": list(row["tags"]),
            "standard_ids": [],
        }
        snapshots.append((question_id, snapshot, note))
    versions.write_first_versions(actor, ITEM_TYPE, snapshots)
    return ids


def create_question(actor, bank_id: int, draft: dict) -> Question:
    """The bank's owner. Raises Invalid per field (rules.check) with nothing written; NotFound for others."""
    bank = editable_bank(actor, bank_id)
    data = rules.check(draft)
    question = add_question(actor, bank, data, note=_("Created"))
    record_event(actor, "question.created", ITEM_TYPE, question.id, bank_id=bank.id, kind=question.type)
    db.session.commit()
    return question


def get_question(actor, question_id: int) -> tuple[Question, Access]:
    """The one scoped getter for questions: NotFound unless the actor may read the question's bank."""
    question = db.scoped_get(actor, Question, question_id)
    if question is None:
        raise NotFound()
    _bank, access = load_bank(actor, question.bank_id)
    return question, access


def locked_for_edit(actor, question_id: int) -> Question:
    """The live row locked for this transaction, for the owner of its bank; NotFound for anyone else."""
    question = db.session.scalar(select(Question).where(Question.id == question_id).with_for_update())
    if question is None or question.district_id != actor.district_id:
        raise NotFound()
    editable_bank(actor, question.bank_id)
    return question


class Stale(StaleEdit):
    """A save that started from an older revision: `changes` names what differs from the version the editor
    started from, `snapshot` is the question as it is now, `by` and `at` who saved it and when."""

    def __init__(self, current, changes: list[str], snapshot: dict, by=None, at=None):
        super().__init__(current, _("Someone saved a newer version while you were editing."))
        self.changes, self.snapshot, self.by, self.at = changes, snapshot, by, at


def changed_fields(before: dict, after: dict) -> list[str]:
    keys = sorted(set(before) | set(after))
    changed = [k for k in keys if k not in ("body",) and before.get(k) != after.get(k)]
    inner = sorted(set(before.get("body") or {}) | set(after.get("body") or {}))
    changed += [k for k in inner if (before.get("body") or {}).get(k) != (after.get("body") or {}).get(k)]
    return changed


def check_fresh(question: Question, base_revision: int | None, base_version: int | None) -> None:
    """Raise Stale when the question moved on since the editor loaded revision `base_revision`."""
    if base_revision is None or base_revision == question.revision:
        return
    current = snapshot_of(question)
    try:
        before = versions.get_version(ITEM_TYPE, question.id, base_version).snapshot if base_version else {}
    except NotFound:
        before = {}
    latest = versions.latest_version(ITEM_TYPE, question.id)
    by = accounts.names_by_id([latest.author_id]).get(latest.author_id) if latest and latest.author_id else None
    raise Stale(question, changed_fields(before, current), current, by, latest.updated_at if latest else None)


def update_question(
    actor, question_id: int, draft: dict, *, base_revision: int | None, base_version: int | None = None, note=None
) -> Question:
    """The bank's owner. A save made on an older revision raises Stale (the caller keeps the user's text);
    Invalid per field; NotFound for anyone else. Every save is a new version; pinned versions never change."""
    question = locked_for_edit(actor, question_id)
    check_fresh(question, base_revision, base_version)
    data = rules.check(draft)
    _fill(question, data, question.stem)
    _record(actor, question, note)
    record_event(actor, "question.updated", ITEM_TYPE, question.id, version=question.version)
    db.session.commit()
    return question


def archive_question(actor, question_id: int) -> Question:
    """The bank's owner: the question leaves the bank's lists; its versions (and what pinned them) stay."""
    question = locked_for_edit(actor, question_id)
    question.is_archived = True
    question.revision += 1
    record_event(actor, "question.updated", ITEM_TYPE, question.id, version=question.version)
    db.session.commit()
    return question


def copy_question(actor, question_id: int, bank_id: int) -> Question:
    """Whoever may read the question, into a bank they own: a new question with its lineage."""
    source, _access = get_question(actor, question_id)
    bank = editable_bank(actor, bank_id)
    data = question_data(source)
    note = _("Copied from question %(id)d, version %(n)d", id=source.id, n=source.version)
    copy = add_question(
        actor, bank, data, note=note, standard_ids=source.standard_ids, copied_from=(source.id, source.version)
    )
    record_event(actor, "question.created", ITEM_TYPE, copy.id, bank_id=bank.id, kind=copy.type)
    db.session.commit()
    return copy


@dataclass(frozen=True)
class PinnedVersion:
    version_id: int
    question_id: int
    number: int
    data: QuestionData
    standard_ids: tuple[str, ...]


def pin_current(actor, question_id: int) -> int:
    """Whoever may read the question (the gradebook, as an assignment is given): the id of its current version,
    which never changes afterwards: every later edit or restore writes a new version."""
    question, _access = get_question(actor, question_id)
    latest = versions.get_version(ITEM_TYPE, question.id, question.version)
    return latest.id


def get_version(actor, version_id: int) -> PinnedVersion:
    """A pinned (or any) version of a question the actor may read; NotFound otherwise."""
    version = versions.get_version_by_id(ITEM_TYPE, version_id)
    if version is None or version.district_id != actor.district_id:
        raise NotFound()
    get_question(actor, version.item_id)
    snapshot = version.snapshot
    return PinnedVersion(
        version.id, version.item_id, version.number, data_of(snapshot), tuple(snapshot.get("standard_ids") or ())
    )


def copy_bank(actor, bank_id: int) -> QuestionBank:
    """Whoever may read the bank and keeps banks: a private copy of it and of its questions, with lineage."""
    from app.questions.services.banks import create_bank

    source, _access = load_bank(actor, bank_id)
    bank = create_bank(actor, _("%(name)s (copy)", name=source.name)[:200], source.description, "private")
    bank.copied_from_id = source.id
    rows = db.session.scalars(
        select(Question).where(Question.bank_id == source.id, ~Question.is_archived).order_by(Question.id)
    )
    for question in rows:
        note = _("Copied from question %(id)d, version %(n)d", id=question.id, n=question.version)
        add_question(
            actor,
            bank,
            question_data(question),
            note=note,
            standard_ids=question.standard_ids,
            copied_from=(question.id, question.version),
        )
    db.session.commit()
    return bank
