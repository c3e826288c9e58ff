"""Gradebook CSV: export, preview (changes, unmatched rows and columns, refused values), apply, the CLI."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app import db
from app.gradebook import services
from app.gradebook.models import Grade, GradebookImport
from tests.gradebook.conftest import ago


def _grade(assignment_id, student_id):
    return db.session.scalar(select(Grade).where(Grade.assignment_id == assignment_id, Grade.student_id == student_id))


def _section_with_ids(klass, assign, district):
    from app.accounts.models import User

    k = klass(3)
    db.set_tenant(district.id, None, "system")
    for n, student in enumerate(k.students):
        db.session.get(User, student.id).sourced_id = f"SIS-{n}"
    db.session.commit()
    quiz = assign(k, title="Quiz 1", points_possible="10", due=ago(3))
    test = assign(k, title="Unit test", points_possible="100", due=ago(2))
    return k, quiz, test


def test_an_export_reads_back_as_no_change(klass, assign, district):
    k, quiz, _test = _section_with_ids(klass, assign, district)
    services.grade_cell(k.actor, k.id, quiz.id, k.students[0].id, "7")
    services.grade_cell(k.actor, k.id, quiz.id, k.students[1].id, "EX")
    name, data = services.export_gradebook(k.actor, k.id)
    assert name.endswith(".csv") and b"Quiz 1 (" in data and b"Current Score" in data
    record = services.start_import(k.actor, k.id, name, data)
    assert record.preview["changes"] == [] and record.preview["refused"] == []
    assert record.preview["unchanged"] == 2


def test_a_canvas_file_previews_every_change_unmatched_row_column_and_refused_value(klass, assign, district):
    k, quiz, test = _section_with_ids(klass, assign, district)
    services.grade_cell(k.actor, k.id, quiz.id, k.students[2].id, "6")
    data = (
        b"Student,ID,SIS User ID,SIS Login ID,Section,Quiz 1 (991),Unit test (992),Essay,Current Score\n"
        b"    Points Possible,,,,,10,100,5,(read only)\n"
        b'"Student0, Ann",1,SIS-0,,P1,8,95,1,90\n'
        b'"Student1, Ann",2,SIS-1,,P1,12,abc,,\n'
        b'"Student2, Ann",3,SIS-2,,P1,,N/A,,\n'
        b'"Nobody, Here",4,SIS-X,,P1,5,5,,\n'
        b"Test Student,5,,,P1,1,1,,\n"
    )
    record = services.start_import(k.actor, k.id, "canvas.csv", data)
    preview = record.preview
    changes = {(c["student"], c["assignment"], c["old"], c["new"]) for c in preview["changes"]}
    assert changes == {("Student0, Ann", "Quiz 1", "", "8"), ("Student0, Ann", "Unit test", "", "95")}
    refused = {(r["student"], r["assignment"], r["message"]) for r in preview["refused"]}
    assert refused == {
        ("Student1, Ann", "Quiz 1", "The most this assignment gives is 10 points."),
        ("Student1, Ann", "Unit test", "abc is not a score"),
    }
    assert [r["name"] for r in preview["unmatched_rows"]] == ["Nobody, Here"]
    assert [c["title"] for c in preview["unmatched_columns"]] == ["Essay"]
    assert _grade(quiz.id, k.students[0].id) is None  # nothing changes before apply
    result = services.apply_import(k.actor, record.id)
    assert result == {"applied": 2, "refused": 2}
    assert _grade(quiz.id, k.students[0].id).score == Decimal("8.00")
    assert _grade(test.id, k.students[0].id).score == Decimal("95.00")
    assert _grade(quiz.id, k.students[2].id).score == Decimal("6.00")  # a blank never clears
    assert db.session.get(GradebookImport, record.id).status == "applied"
    assert services.apply_import(k.actor, record.id) == {"applied": 0}


def test_a_plain_semicolon_file_with_decimal_commas_matches_by_email(klass, assign, district):
    from app.accounts.models import User

    k, _quiz, _test = _section_with_ids(klass, assign, district)
    email = db.session.get(User, k.students[1].id).email
    data = f"Student;Email;Quiz 1\n;;\nAnn Student1;{email};7,5\n".encode("cp1252")
    preview = services.start_import(k.actor, k.id, "plain.csv", data).preview
    assert [(c["student"], c["new"]) for c in preview["changes"]] == [("Student1, Ann", "7.5")]


def test_the_cli_previews_and_applies(app, klass, assign, district, tmp_path):
    k, quiz, _test = _section_with_ids(klass, assign, district)
    path = tmp_path / "grades.csv"
    path.write_text("Student,SIS User ID,Quiz 1\nPoints Possible,,10\nAnn,SIS-0,9\n", encoding="utf-8")
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["gradebook", "import", str(path), "--section", str(k.id), "--as", k.teacher.email])
    assert dry.exit_code == 0, dry.output
    assert "1 change(s)" in dry.output and "dry run" in dry.output
    db.set_tenant(district.id, None, "system")
    assert _grade(quiz.id, k.students[0].id) is None
    done = runner.invoke(
        args=["gradebook", "import", str(path), "--section", str(k.id), "--as", k.teacher.email, "--apply"]
    )
    assert done.exit_code == 0, done.output
    db.set_tenant(district.id, None, "system")
    assert _grade(quiz.id, k.students[0].id).score == Decimal("9.00")
    out = tmp_path / "out.csv"
    exported = runner.invoke(
        args=["gradebook", "export", "--section", str(k.id), "--out", str(out), "--as", k.teacher.email]
    )
    assert exported.exit_code == 0, exported.output
    assert b"Quiz 1 (" in out.read_bytes()


def test_the_pages_upload_preview_and_apply_as_a_job(app, klass, assign, district):
    import io

    from app.jobruns.models import JobRun
    from tests.browser import Browser
    from tests.factories import PASSWORD

    k, _quiz, _test = _section_with_ids(klass, assign, district)
    client = Browser(app)
    client.login(k.teacher.email, PASSWORD)
    assert client.get(f"/gradebook/sections/{k.id}/import").status_code == 200
    exported = client.get(f"/gradebook/sections/{k.id}/export?layout=plain")
    assert exported.mimetype == "text/csv" and b"Quiz 1" in exported.data
    data = b"Student,SIS User ID,Quiz 1\nPoints Possible,,10\nAnn,SIS-0,9\nBob,SIS-1,ten\n"
    response = client.post(
        f"/gradebook/sections/{k.id}/import",
        {"upload": (io.BytesIO(data), "grades.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ten is not a score" in page and "Apply the changes" in page
    db.set_tenant(district.id, None, "system")
    record = db.session.scalars(select(GradebookImport).order_by(GradebookImport.id.desc())).first()
    assert client.post(f"/gradebook/imports/{record.id}/apply").status_code == 303
    db.set_tenant(district.id, None, "system")
    record = db.session.get(GradebookImport, record.id)
    assert record.status == "applying" and db.session.get(JobRun, record.job_run_id).kind == "gradebook.import"
    empty = client.post(
        f"/gradebook/sections/{k.id}/import", {"upload": (io.BytesIO(b""), "x.csv")}, content_type="multipart/form-data"
    )
    assert empty.status_code == 422
