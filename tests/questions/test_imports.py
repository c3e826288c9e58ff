"""The import pipeline: upload, a check that writes nothing, apply as a job (all or nothing, images stored), the
CLI; real parsers (app.questions.interchange) on files written here."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from app import db
from app.errors import Invalid, NotFound
from app.questions import services
from app.questions.models import Question
from tests.jobqueue import empty_queues, run_jobs
from tests.questions.conftest import drafts
from tests.questions.interchange.files import png

GIFT = """
// a small GIFT bank
::Sum:: What is 2 + 2? {=4 ~3 ~5}

::Sky:: The sky is blue on a clear day. {T}

::Color:: Name a primary colour. {=red =blue =yellow}

::Broken:: Nothing here is right. {~a ~b ~c}
"""


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Question)) or 0


def _work(teacher) -> None:
    """Run the queued jobs as a worker would, then act as the teacher again (jobs set their own tenant)."""
    run_jobs()
    db.set_tenant(teacher.district_id, teacher.id, "teacher")


def _upload(teacher, data: bytes, name: str = "bank.gift", bank_id=None):
    empty_queues()
    record = services.upload_import(teacher, name, data, bank_id)
    _work(teacher)
    return services.get_import(teacher, record.id)


def test_the_check_previews_each_question_and_writes_none(teacher, bank):
    before = _count()
    record = _upload(teacher, GIFT.encode(), bank_id=bank.id)

    preview = record.preview
    assert record.status == "ready" and preview["format"] == "gift" and preview["count"] == 4
    rows = {row["source_id"] or row["title"]: row for row in preview["questions"]}
    assert any(row["ok"] and "✓ 4" in row["answers"] for row in preview["questions"])
    assert preview["importable"] == 3 and preview["skipped"] == 1
    assert next(row for row in rows.values() if not row["ok"])["problems"]
    assert _count() == before


def test_apply_imports_the_representable_questions_into_the_bank(teacher, bank):
    record = _upload(teacher, GIFT.encode(), bank_id=bank.id)
    empty_queues()
    services.start_apply(teacher, record.id)
    _work(teacher)

    record = services.get_import(teacher, record.id)
    listed = services.bank_questions(teacher, bank.id, services.Filters())
    assert record.status == "applied" and record.created_count == 3 and listed["total"] == 3
    kinds = sorted(row.type for row in listed["rows"])
    assert kinds == ["multiple_choice", "short_answer", "true_false"]
    history = services.question_history(teacher, listed["rows"][0].id)
    assert history["entries"][0].note == "Imported from bank.gift"


def test_a_failure_while_applying_leaves_nothing_half_imported(teacher, bank, monkeypatch):
    record = _upload(teacher, GIFT.encode(), bank_id=bank.id)
    before = _count()
    from app.questions.services import imports

    real = imports.add_questions

    def fail_after_writing(*args, **kwargs):
        real(*args, **kwargs)  # the questions are in the transaction when the failure comes
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "add_questions", fail_after_writing)
    services.get_import(teacher, record.id).status = "applying"
    with pytest.raises(RuntimeError):
        services.apply_import(teacher, record.id)

    assert _count() == before
    assert services.get_import(teacher, record.id).status == "failed"


def test_a_hostile_xml_file_is_refused_with_nothing_imported(teacher, bank):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<questestinterop>&lol2;</questestinterop>"
    )
    record = _upload(teacher, bomb, name="bank.xml", bank_id=bank.id)

    assert record.status == "invalid" and record.preview["importable"] == 0
    assert record.problems and record.problems[0]["fatal"]
    with pytest.raises(Invalid):
        services.start_apply(teacher, record.id)


def test_a_new_bank_is_made_when_none_is_chosen(teacher):
    record = _upload(teacher, GIFT.encode(), name="Unit 3 quiz.gift")
    empty_queues()
    services.start_apply(teacher, record.id)
    _work(teacher)

    record = services.get_import(teacher, record.id)
    bank, access = services.get_bank(teacher, record.bank_id)
    assert bank.name == "Unit 3 quiz" and access.can_edit and record.created_count == 3


def test_export_then_import_is_the_same_bank_with_its_images(teacher, bank):
    from app.richtext import services as richtext

    image = richtext.store_image(teacher, "cell.png", png(3, 2))
    for kind, draft in drafts().items():
        if kind in ("multiple_choice", "essay"):
            draft["stem_html"] += f'<figure><img src="{image["url"]}" width="3" height="2"></figure>'
        services.create_question(teacher, bank.id, draft)
    name, package = services.export_bank(teacher, bank.id)
    assert name.endswith("-qti21.zip") and "imsmanifest.xml" in zipfile.ZipFile(io.BytesIO(package)).namelist()

    other = services.create_bank(teacher, "Re-imported")
    record = _upload(teacher, package, name=name, bank_id=other.id)
    assert record.status == "ready", record.preview
    empty_queues()
    services.start_apply(teacher, record.id)
    _work(teacher)

    original = [services.question_data(q) for q in _questions(bank.id)]
    copied = [services.question_data(q) for q in _questions(other.id)]
    assert len(copied) == len(original) == 9
    for before, after in zip(original, copied, strict=True):
        assert after.type == before.type and after.points == before.points
        assert after.stem_html == before.stem_html  # the image came back as the same stored image
        assert [c.correct for c in after.choices] == [c.correct for c in before.choices]


def _questions(bank_id: int):
    return db.session.scalars(select(Question).where(Question.bank_id == bank_id).order_by(Question.id)).all()


def test_another_teacher_cannot_see_or_apply_my_import(teacher, bank, make_user, actor_of):
    record = _upload(teacher, GIFT.encode(), bank_id=bank.id)
    colleague = actor_of(make_user("teacher"))

    with pytest.raises(NotFound):
        services.get_import(colleague, record.id)


def test_the_cli_previews_then_imports(app, teacher, bank, tmp_path, district):
    from app.accounts.services import get_user

    path = tmp_path / "quiz.gift"
    path.write_text(GIFT, encoding="utf-8")
    email = get_user(teacher.id).email
    runner = app.test_cli_runner()
    slug = district.slug

    preview = runner.invoke(args=["questions", "import", str(path), "--district", slug, "--owner", email])
    assert preview.exit_code == 0, preview.output
    assert "3 importable, 1 skipped" in preview.output and "dry run" in preview.output

    applied = runner.invoke(
        args=["questions", "import", str(path), "--district", slug, "--owner", email, "--bank", str(bank.id), "--apply"]
    )
    assert applied.exit_code == 0, applied.output
    assert "imported 3 question(s)" in applied.output
