"""`flask oneroster import|export` for district IT."""

from __future__ import annotations

from sqlalchemy import func, select

from app import db
from app.accounts.models import User
from tests.oneroster.conftest import sample


def test_import_without_apply_prints_the_preview_and_writes_nothing(app, district, write_set, tenant):
    path = write_set(sample(students=2), zipped=True)
    result = app.test_cli_runner().invoke(args=["oneroster", "import", str(path), "--district", district.slug])
    assert result.exit_code == 0, result.output
    assert "People: 5 to create, 0 to update, 0 to deactivate, 0 unchanged" in result.output
    assert "dry run" in result.output
    tenant(district)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.sourced_id.is_not(None))) == 0


def test_import_with_apply_imports_and_a_second_run_changes_nothing(app, district, write_set, tenant):
    path = write_set(sample(students=2))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["oneroster", "import", str(path), "--district", district.slug, "--apply"])
    assert result.exit_code == 0, result.output
    tenant(district)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.sourced_id.is_not(None))) == 5
    again = runner.invoke(args=["oneroster", "import", str(path), "--district", district.slug])
    assert "People: 0 to create, 0 to update, 0 to deactivate, 5 unchanged" in again.output


def test_errors_print_file_line_and_message_and_exit_non_zero(app, district, write_set):
    data = sample()
    data["enrollments"][0]["beginDate"] = "2026-13-40"
    result = app.test_cli_runner().invoke(
        args=["oneroster", "import", str(write_set(data)), "--district", district.slug, "--apply"]
    )
    assert result.exit_code != 0
    assert 'enrollments.csv:2: beginDate is "2026-13-40"; expected a date as YYYY-MM-DD.' in result.output


def test_an_unknown_district_slug_is_refused(app, write_set):
    result = app.test_cli_runner().invoke(args=["oneroster", "import", str(write_set(sample())), "--district", "nope"])
    assert result.exit_code != 0 and "no district with slug 'nope'" in result.output


def test_export_writes_the_files_into_the_directory(app, district, write_set, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(
        args=["oneroster", "import", str(write_set(sample(emails=False))), "--district", district.slug, "--apply"]
    )
    result = runner.invoke(args=["oneroster", "export", str(tmp_path / "out"), "--district", district.slug])
    assert result.exit_code == 0, result.output
    users = (tmp_path / "out" / "users.csv").read_text()
    assert "stu1" in users and "Sam1" in users
    assert "oneroster.version,1.1" in (tmp_path / "out" / "manifest.csv").read_text()


def test_each_run_is_an_import_record_and_the_event_names_it(app, district, write_set, tenant):
    from app.events.models import Event
    from app.oneroster.models import OneRosterImport

    runner = app.test_cli_runner()
    path = write_set(sample(students=1))
    dry = runner.invoke(args=["oneroster", "import", str(path), "--district", district.slug])
    applied = runner.invoke(args=["oneroster", "import", str(path), "--district", district.slug, "--apply"])
    assert dry.exit_code == 0 and applied.exit_code == 0, dry.output + applied.output
    tenant(district)
    records = db.session.scalars(select(OneRosterImport).order_by(OneRosterImport.id)).all()
    assert [(r.status, r.user_id) for r in records] == [("ready", None), ("applied", None)]
    assert f"(import {records[1].id})" in applied.output
    events = db.session.execute(select(Event.subject_type, Event.subject_id).where(Event.type == "roster.imported"))
    assert events.all() == [("oneroster_import", records[1].id)]
