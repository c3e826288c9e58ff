"""Question files in, through the one import pipeline (as OneRoster's): the upload is stored, a check job parses it
(app.questions.interchange.parse_upload) and the bank's rules into a preview that writes nothing, and an apply job
writes every question that can be represented, with its images, in one transaction, or nothing.

Every function takes the acting user first and raises NotFound (also for a user who does not own the bank) or
Invalid. The CLI runs the same steps in-process on an import record of its own."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.jobruns.services import get_run_of, start_job
from app.questions import codec, policy
from app.questions.data import ImportProblem, ParsedBank, QuestionData
from app.questions.models import QuestionImport
from app.questions.services import rules
from app.questions.services.banks import create_bank, editable_bank
from app.questions.services.questions import add_questions
from app.questions.services.render import excerpt, text_of_html
from app.richtext import services as richtext
from app.storage.services import put_bytes, read_bytes

JOB_KINDS = {
    "questions.check": _l("Checking a question file"),
    "questions.apply": _l("Importing questions"),
}
MAX_UPLOAD = 30 * 1024 * 1024
SUFFIXES = (".xml", ".qti", ".zip", ".imscc", ".gift", ".txt")
PLACEHOLDER_IMAGE = "/richtext/images/" + "0" * 64  # stands in for an asset while checking (nothing is stored)
ASSET_SRC = re.compile(r"""src=(["'])asset:([^"']+)\1""")
BATCH = 250  # questions per insert while applying (and per progress step)


def _require(actor) -> None:
    if not policy.can_keep_banks(actor):
        raise NotFound()


def store_upload(actor, filename: str, data: bytes, bank_id: int | None) -> QuestionImport:
    """Staff: keep the file as a new import into `bank_id` (a bank they own) or, with None, into a new bank named
    after the file; flushed, not committed. Invalid (field `file`) for a missing, empty or too large file."""
    _require(actor)
    if bank_id is not None:
        editable_bank(actor, bank_id)
    name = Path(filename or "").name[:255]
    if not name or not data:
        raise Invalid({"file": _("Choose the file to import.")})
    if len(data) > MAX_UPLOAD:
        raise Invalid({"file": _("The file is larger than the limit of %(limit)s MB.", limit=MAX_UPLOAD // 2**20)})
    if not name.lower().endswith(SUFFIXES) and data[:4] != b"PK\x03\x04":
        raise Invalid({"file": _("%(name)s is not an XML, ZIP or GIFT text file.", name=name)})
    record = QuestionImport(
        district_id=actor.district_id,
        user_id=getattr(actor, "id", None),
        bank_id=bank_id,
        status="checking",
        file_key=put_bytes(data),
        file_name=name,
        problems=[],
    )
    db.session.add(record)
    db.session.flush()
    return record


def upload_import(actor, filename: str, data: bytes, bank_id: int | None) -> QuestionImport:
    """Staff: store the file and start its check job. Invalid as store_upload."""
    record = store_upload(actor, filename, data, bank_id)
    run = start_job(actor, "questions.check", "jobs.questions.check_import", record.id, actor.id, total=2)
    record.check_run_id = run.id
    db.session.commit()
    return record


def get_import(actor, import_id: int) -> QuestionImport:
    """One import the actor made; NotFound for anyone else's (its file may hold another teacher's questions)."""
    _require(actor)
    record = db.scoped_get(actor, QuestionImport, import_id)
    if record is None or record.user_id != getattr(actor, "id", None):
        raise NotFound()
    return record


def recent_imports(actor, limit: int = 10) -> list[QuestionImport]:
    _require(actor)
    return list(
        db.session.scalars(
            select(QuestionImport)
            .where(QuestionImport.user_id == actor.id)
            .order_by(QuestionImport.created_at.desc(), QuestionImport.id.desc())
            .limit(limit)
        )
    )


def _parse(record: QuestionImport) -> ParsedBank:
    from app.questions.interchange import parse_upload

    try:
        return parse_upload(record.file_name, read_bytes(record.file_key))
    except Exception as exc:  # noqa: BLE001 - a parser's bug must not leave the import checking forever
        message = f"The file could not be read ({type(exc).__name__})."
        return ParsedBank(format="unknown", problems=[ImportProblem(record.file_name, message, "unreadable", True)])


def _html_fields(question: QuestionData, swap) -> QuestionData:
    """The question with `swap` applied to every piece of HTML it carries."""
    return replace(
        question,
        stem_html=swap(question.stem_html),
        general_feedback_html=swap(question.general_feedback_html),
        essay_guidance_html=swap(question.essay_guidance_html),
        choices=[replace(c, html=swap(c.html), feedback_html=swap(c.feedback_html)) for c in question.choices],
        items=[replace(c, html=swap(c.html)) for c in question.items],
        distractors=[replace(c, html=swap(c.html)) for c in question.distractors],
        pairs=[replace(p, prompt_html=swap(p.prompt_html), answer_html=swap(p.answer_html)) for p in question.pairs],
        blanks=[replace(b, choices=[replace(c, html=swap(c.html)) for c in b.choices]) for b in question.blanks],
    )


def _with_images(question: QuestionData, urls: dict[str, str]) -> QuestionData:
    """asset:NAME sources replaced by the stored image's URL (or a placeholder while checking); an image that
    could not be kept loses its element's source, which the sanitiser then drops."""

    def swap(html: str) -> str:
        return ASSET_SRC.sub(lambda m: f'src="{urls.get(m.group(2), "")}"', html or "")

    return _html_fields(question, swap)


def _answers(data: QuestionData) -> list[str]:
    """What the preview lists as a question's answers, as short plain texts (✓ marks the correct ones)."""

    def cut(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= 80 else text[:79] + "…"

    if data.type in ("multiple_choice", "multiple_select", "true_false"):
        return [("✓ " if c.correct else "") + cut(text_of_html(c.html) or c.id) for c in data.choices]
    if data.type == "short_answer":
        return [cut(a.text) for a in data.text_answers]
    if data.type == "numeric":
        return [
            f"{a.low} … {a.high}" if a.kind == "range" else f"{a.value} ± {a.tolerance}" for a in data.numeric_answers
        ]
    if data.type == "matching":
        pairs = [cut(f"{text_of_html(p.prompt_html)} → {text_of_html(p.answer_html)}") for p in data.pairs]
        return pairs + [cut("✗ " + text_of_html(d.html)) for d in data.distractors]
    if data.type == "ordering":
        return [f"{n}. {cut(text_of_html(i.html))}" for n, i in enumerate(data.items, start=1)]
    if data.type == "fill_blanks":
        return [
            cut(" / ".join(("✓ " if c.correct else "") + text_of_html(c.html) for c in b.choices))
            if b.choices
            else cut(", ".join(a.text for a in b.answers))
            for b in data.blanks
        ]
    return []


def _checked(parsed: ParsedBank, urls: dict[str, str] | None = None):
    """(source question, checked QuestionData or None, its problems) for every parsed question: the file's own
    problems for it, and the bank's rules (a question they refuse is skipped, the message naming why)."""
    by_source: dict[str, list[ImportProblem]] = {}
    for problem in parsed.problems:
        by_source.setdefault(problem.source_id, []).append(problem)
    for question in parsed.questions:
        problems = list(by_source.get(question.source_id, [])) if question.source_id else []
        names = {asset.name: PLACEHOLDER_IMAGE for asset in question.assets}
        try:
            data = rules.check(codec.to_json(_with_images(question, urls if urls is not None else names)))
        except Invalid as error:
            data = None
            for message in error.fields.values():
                problems.append(ImportProblem(question.source_id, str(message), "rules", True))
        if any(p.fatal for p in problems):
            data = None
        yield question, data, problems


def _problem_json(problem: ImportProblem) -> dict:
    return {"source_id": problem.source_id, "message": problem.message, "code": problem.code, "fatal": problem.fatal}


def preview_of(parsed: ParsedBank) -> dict:
    """What the import page shows: each question with its type, points, answers and problems; the file's problems
    that name no question; the counts."""
    rows, importable = [], 0
    attached = set()
    for question, data, problems in _checked(parsed):
        attached.update(id(p) for p in parsed.problems if p.source_id == question.source_id and question.source_id)
        shown = data or question
        importable += data is not None
        rows.append(
            {
                "source_id": question.source_id,
                "type": shown.type,
                "title": shown.title,
                "text": excerpt(shown.stem_html, 160),
                "points": str(shown.points),
                "answers": _answers(shown) if data is not None else [],
                "images": len(question.assets),
                "ok": data is not None,
                "problems": [_problem_json(p) for p in problems],
            }
        )
    general = []
    for problem in parsed.problems:
        if id(problem) in attached:
            continue
        if problem.fatal and problem.source_id and parsed.questions:
            # A question the parser itself could not represent: listed with the others, as skipped.
            rows.append(_skipped_row(problem))
        else:
            general.append(_problem_json(problem))
    return {
        "format": parsed.format,
        "questions": rows,
        "general": general,
        "count": len(rows),
        "importable": importable,
        "skipped": len(rows) - importable,
        "categories": parsed.categories[:50],
    }


def _skipped_row(problem: ImportProblem) -> dict:
    return {
        "source_id": problem.source_id,
        "type": "",
        "title": "",
        "text": "",
        "points": "",
        "answers": [],
        "images": 0,
        "ok": False,
        "problems": [_problem_json(problem)],
    }


def check_import(actor, import_id: int, progress=None) -> dict:
    """The check job: parse and check everything, keep the preview. Writes no question."""
    record = get_import(actor, import_id)
    if progress:
        progress(1, 2)
    parsed = _parse(record)
    preview = preview_of(parsed)
    record = get_import(actor, import_id)
    record.format, record.preview = parsed.format, preview
    record.problems = preview["general"]
    record.status = "ready" if preview["importable"] else "invalid"
    db.session.commit()
    return {"status": record.status, "questions": preview["count"], "importable": preview["importable"]}


def start_apply(actor, import_id: int) -> QuestionImport:
    """The import's owner: apply a checked import. Invalid unless it is ready."""
    record = get_import(actor, import_id)
    if record.status != "ready":
        raise Invalid(_("Only a checked file with questions to import can be imported."))
    if record.bank_id is not None:
        editable_bank(actor, record.bank_id)
    record.status = "applying"
    total = (record.preview or {}).get("importable", 0)
    run = start_job(
        actor,
        "questions.apply",
        "jobs.questions.apply_import",
        record.id,
        actor.id,
        total=total,
        dedupe_key=f"questions-apply-{record.id}",
    )
    record.apply_run_id = run.id
    db.session.commit()
    return record


def _store_images(actor, parsed: ParsedBank, problems: list[ImportProblem]) -> dict[str, str]:
    """Every image the questions refer to, stored in one go: {asset name: its URL, or "" when it was refused}."""
    assets = {}
    for question in parsed.questions:
        for asset in question.assets:
            assets.setdefault(asset.name, (question.source_id, asset))
    results = richtext.store_images(actor, [(asset.name, asset.data) for _source, asset in assets.values()])
    urls = {}
    for (name, (source_id, _asset)), result in zip(assets.items(), results, strict=True):
        if isinstance(result, dict):
            urls[name] = result["url"]
        else:
            urls[name] = ""
            message = f"The image {name} could not be read; the question is imported without it."
            problems.append(ImportProblem(source_id, message, "bad_image", False))
    return urls


def apply_import(actor, import_id: int, progress=None) -> dict:
    """The apply job: parse again and write every question that can be represented, with its images, in one
    transaction; on any failure nothing is written, the import is marked failed and the error re-raised."""
    record = get_import(actor, import_id)
    if record.status == "applied":
        return {"status": "applied", "count": record.created_count}  # a retried job finds its work done
    parsed = _parse(record)
    try:
        bank = (
            editable_bank(actor, record.bank_id)
            if record.bank_id is not None
            else create_bank(actor, Path(record.file_name).stem[:200] or record.file_name, commit=False)
        )
        extra: list[ImportProblem] = []
        urls = _store_images(actor, parsed, extra)
        note = _("Imported from %(name)s", name=record.file_name)
        total = (record.preview or {}).get("importable")
        checked = [data for _question, data, _problems in _checked(parsed, urls) if data is not None]
        created = 0
        for start in range(0, len(checked), BATCH):
            created += len(add_questions(actor, bank, checked[start : start + BATCH], note=note))
            if progress:
                progress(created, total)
        record.bank_id, record.created_count = bank.id, created
        record.status, record.applied_at = "applied", datetime.now(UTC)
        record.problems = (record.problems or []) + [_problem_json(p) for p in extra]
        record_event(
            actor,
            "questions.imported",
            "question_import",
            record.id,
            bank_id=bank.id,
            format=parsed.format,
            count=created,
        )
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        record = get_import(actor, import_id)
        record.status = "failed"
        failure = {"source_id": "", "message": str(exc)[:300], "code": "apply_failed", "fatal": True}
        record.problems = [*(record.problems or []), failure]
        db.session.commit()
        raise
    return {"status": "applied", "count": created, "bank_id": bank.id}


def import_details(actor, import_id: int) -> dict:
    """What the import page shows: the import, its current job run, its preview."""
    record = get_import(actor, import_id)
    run_id = record.apply_run_id if record.status in ("applying", "applied", "failed") else record.check_run_id
    return {
        "record": record,
        "run": get_run_of(actor, run_id),
        "active": record.status in ("checking", "applying"),
        "preview": record.preview or {},
    }


def import_path(actor, path: Path, bank_id: int | None = None, apply: bool = False) -> QuestionImport:
    """The CLI: a file becomes an import record, checked in-process; with `apply`, a ready import is written.
    Invalid as store_upload; NotFound without a bank of one's own to import into."""
    record = store_upload(actor, path.name, path.read_bytes(), bank_id)
    db.session.commit()
    check_import(actor, record.id)
    record = get_import(actor, record.id)
    if apply and record.status == "ready":
        record.status = "applying"
        db.session.commit()
        try:
            apply_import(actor, record.id)
        except Exception:  # noqa: BLE001, S110 - apply_import marked the import failed and kept its error
            pass
        record = get_import(actor, record.id)
    return record
