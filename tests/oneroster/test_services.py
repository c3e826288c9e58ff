from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from app import db
from app.accounts.models import GuardianLink, Membership, User
from app.identity.data import SystemActor
from app.oneroster import services
from app.org.models import AcademicYear, Course, School, Term
from app.rosters.models import Enrollment, Section, SectionTeacher
from tests.oneroster.conftest import run_import, sample


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_valid_set_imports_everything_it_lists(district, write_set):
    actor = SystemActor(district.id)
    errors, preview = run_import(actor, apply=True, path=write_set(sample(students=3), zipped=True))
    assert errors == []
    assert preview["users"]["create"] == 6
    assert _count(School) == 3  # the fixture's own school and the two imported
    assert _count(AcademicYear) == 1 and _count(Term) == 2
    assert _count(Course) == 2 and _count(Section) == 2
    assert _count(Enrollment) == 3 and _count(SectionTeacher) == 1
    assert _count(GuardianLink) == 1
    student = db.session.scalar(select(User).where(User.sourced_id == "stu1"))
    assert (student.grade_level, student.birth_date.isoformat(), student.password_hash) == (9, "2011-03-04", None)
    link = db.session.scalar(select(GuardianLink))
    assert link.relationship == "parent" and link.student_id == student.id
    roles = set(
        db.session.execute(
            select(Membership.role, Membership.school_id)
            .join(User, User.id == Membership.user_id)
            .where(User.sourced_id == "adm1")
        ).all()
    )
    assert roles == {("district_admin", None)}
    biology = db.session.scalar(select(Section).where(Section.sourced_id == "k2"))
    assert biology.term_id == db.session.scalar(select(Term.id).where(Term.sourced_id == "t1"))


def _errors(district, path) -> list[str]:
    errors, _preview = run_import(SystemActor(district.id), path=path)
    return [services.error_line(e) for e in errors]


def test_reimporting_the_same_files_changes_nothing(district, write_set):
    actor = SystemActor(district.id)
    path = write_set(sample(students=4))
    run_import(actor, apply=True, path=path)
    errors, preview = run_import(actor, path=path)
    assert errors == []
    changed = {e: (c["create"], c["update"], c["deactivate"]) for e, c in preview.items() if e in services.ENTITIES}
    assert set(changed.values()) == {(0, 0, 0)}, changed
    db.session.execute(select(func.now()))
    before = db.session.execute(select(func.max(User.created_at), func.count()).select_from(User)).one()
    run_import(actor, apply=True, path=path)
    assert db.session.execute(select(func.max(User.created_at), func.count()).select_from(User)).one() == before


def test_tobedeleted_rows_deactivate_and_absent_rows_are_deactivated_too(district, write_set):
    actor = SystemActor(district.id)
    data = sample(students=3)
    run_import(actor, apply=True, path=write_set(data))
    data["users"][-1]["status"] = "tobedeleted"  # stu3
    data["users"] = [u for u in data["users"] if u["sourcedId"] != "stu2"]
    data["enrollments"] = [e for e in data["enrollments"] if e["userSourcedId"] != "stu2"]
    data["enrollments"][-1]["status"] = "tobedeleted"  # stu3's enrollment
    errors, preview = run_import(actor, apply=True, path=write_set(data))
    assert errors == []
    assert preview["users"]["deactivate"] == 2 and preview["enrollments"]["deactivate"] == 2
    active = dict(db.session.execute(select(User.sourced_id, User.is_active).where(User.sourced_id.like("stu%"))).all())
    assert active == {"stu1": True, "stu2": False, "stu3": False}
    dropped = db.session.scalars(select(Enrollment.sourced_id).where(Enrollment.dropped_on.is_not(None))).all()
    assert sorted(dropped) == ["e-s2", "e-s3"]
    assert _count(Enrollment) == 3  # kept as history, never deleted


def test_a_missing_column_names_the_file_and_the_column(district, write_set):
    data = sample()
    for row in data["users"]:
        row.pop("role")
    from tests.oneroster import conftest

    conftest.HEADERS["users"], saved = conftest.HEADERS["users"].replace(",role,", ","), conftest.HEADERS["users"]
    try:
        path = write_set(data)
    finally:
        conftest.HEADERS["users"] = saved
    assert "users.csv:1: The required column role is missing." in _errors(district, path)


def test_a_wrong_date_names_file_line_field_value_and_format(district, write_set):
    data = sample()
    data["academicSessions"][1]["startDate"] = "08/15/2026"
    assert _errors(district, write_set(data)) == [
        'academicSessions.csv:3: startDate is "08/15/2026"; expected a date as YYYY-MM-DD.'
    ]


def test_an_unknown_sourcedid_names_file_line_field_and_value(district, write_set):
    data = sample()
    data["enrollments"][1]["classSourcedId"] = "k404"
    assert _errors(district, write_set(data)) == [
        'enrollments.csv:3: classSourcedId refers to "k404", which is not in classes.csv nor already in Chalkline.'
    ]


def test_a_duplicate_sourcedid_is_refused(district, write_set):
    data = sample()
    data["courses"][1]["sourcedId"] = "c1"
    assert 'courses.csv:3: sourcedId "c1" appears twice (first on line 2).' in _errors(district, write_set(data))


def test_a_version_other_than_1_1_and_1_2_is_refused(district, write_set):
    data = sample()
    data["manifest"]["oneroster.version"] = "3.0"
    assert _errors(district, write_set(data)) == [
        "manifest.csv: oneroster.version is 3.0; OneRoster versions 1.1, 1.2 can be imported."
    ]


def test_a_file_that_is_not_csv_is_refused(district, tmp_path):
    import zipfile

    from app.errors import Invalid

    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "users.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    with pytest.raises(Invalid, match=r"users\.csv is not a ZIP or CSV file"):
        run_import(SystemActor(district.id), path=folder)
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as archive:  # inside a ZIP it reaches the parser
        archive.write(folder / "users.csv", "users.csv")
    assert _errors(district, tmp_path / "bad.zip") == [
        "users.csv: This is not a readable CSV file (UTF-8 text with a header row was expected)."
    ]


def test_a_failed_apply_changes_nothing(district, write_set, monkeypatch):
    from app.oneroster.services import apply as applier

    actor = SystemActor(district.id)
    users_before = _count(User)
    original = applier.UPSERT["enrollments"]
    monkeypatch.setitem(
        applier.UPSERT,
        "enrollments",
        original.replace("e.added_on, e.dropped_on from", "e.added_on, e.added_on - 1 from"),
    )
    errors, _preview = run_import(actor, apply=True, path=write_set(sample()))
    assert [services.error_line(e) for e in errors] == [
        'upload: The import could not be written, so nothing was changed: new row for relation "enrollments" '
        'violates check constraint "enrollments_check"'
    ]
    db.set_tenant(district.id, None, "system")
    assert _count(User) == users_before and _count(Section) == 0 and _count(Course) == 0


def test_export_then_import_into_a_fresh_district_gives_the_same_data(district, make_district, write_set, tmp_path):
    actor = SystemActor(district.id)
    run_import(actor, apply=True, path=write_set(sample(students=3, emails=False)))
    first = tmp_path / "first"
    services.export_roster(actor, first)
    assert sorted(p.name for p in first.iterdir()) == sorted(
        [
            "manifest.csv",
            "orgs.csv",
            "academicSessions.csv",
            "courses.csv",
            "classes.csv",
            "users.csv",
            "enrollments.csv",
            "demographics.csv",
        ]
    )
    errors, preview = run_import(actor, path=first)
    assert errors == [] and all(
        c["create"] + c["update"] + c["deactivate"] == 0 for e, c in preview.items() if e in services.ENTITIES
    )

    fresh = make_district()
    fresh_actor = SystemActor(fresh.id)
    errors, _preview = run_import(fresh_actor, apply=True, path=first)
    assert errors == []
    second = tmp_path / "second"
    services.export_roster(fresh_actor, second)

    def rows(folder, name):
        import csv

        with (folder / name).open() as handle:
            return sorted(tuple(v for k, v in r.items() if k != "dateLastModified") for r in csv.DictReader(handle))

    for name in (
        "academicSessions.csv",
        "courses.csv",
        "classes.csv",
        "users.csv",
        "enrollments.csv",
        "demographics.csv",
    ):
        assert rows(first, name) == rows(second, name), name
    # The fresh district's own school is exported too; the imported ones match.
    assert set(rows(first, "orgs.csv")) <= set(rows(second, "orgs.csv")) | {
        r for r in rows(first, "orgs.csv") if "district" in r
    }


def test_an_email_of_another_districts_account_is_refused_without_saying_where_it_is_used(
    district, make_district, make_user, write_set
):
    other = make_district(slug="riverside", name="Riverside Unified")
    taken = make_user(role="teacher", district=other)
    mine = make_user(role="teacher", district=district)
    db.session.execute(update(User).where(User.id == mine.id).values(sourced_id="someone-else"))
    data = sample()
    data["users"][1]["email"] = taken.email.upper()
    data["users"][2]["email"] = mine.email.upper()  # taken inside the district: worded the same way
    db.session.commit()
    db.set_tenant(district.id, None, "system")
    lines = sorted(_errors(district, write_set(data)))
    assert lines == [
        f'users.csv:{line}: email "{email.upper()}" cannot be used for this person. Give them another address in '
        "your student information system, or leave it empty."
        for line, email in sorted([(3, taken.email), (4, mine.email)])
    ]
    for hint in ("riverside", "Riverside", "district", "another account"):
        assert not any(hint in line for line in lines), hint


def test_an_existing_account_with_the_same_email_is_taken_over_not_duplicated(district, make_user, write_set):
    admin = make_user(role="district_admin")
    data = sample()
    data["users"][0]["email"] = admin.email
    errors, preview = run_import(SystemActor(district.id), apply=True, path=write_set(data))
    assert errors == [] and preview["users"]["update"] == 1
    assert db.session.scalar(select(User.sourced_id).where(User.id == admin.id)) == "adm1"


def test_without_demographics_a_birth_date_is_kept(district, write_set):
    actor = SystemActor(district.id)
    data = sample()
    run_import(actor, apply=True, path=write_set(data))
    del data["demographics"]
    errors, preview = run_import(actor, path=write_set(data))
    assert errors == [] and preview["users"]["update"] == 0


def test_a_class_in_an_unknown_term_and_a_term_outside_its_year_are_both_reported(district, write_set):
    data = sample()
    data["classes"][0]["termSourcedIds"] = "t9"
    data["academicSessions"][2]["endDate"] = "2027-07-30"
    lines = _errors(district, write_set(data))
    assert (
        'classes.csv:2: termSourcedIds refers to "t9", which is not in academicSessions.csv nor already in Chalkline.'
        in lines
    )
    assert 'academicSessions.csv:4: The session "t2" does not lie inside its school year "y1".' in lines


def test_export_neutralises_formulas_and_reimporting_it_is_a_no_op(district, write_set, tmp_path):
    actor = SystemActor(district.id)
    data = sample(students=2)
    data["courses"][0]["title"] = '=HYPERLINK("http://evil.example","click")'
    data["classes"][0]["title"] = "+SUM(A1:A9)"
    data["users"][3]["givenName"] = "@cmd"
    data["orgs"][1]["name"] = "-2+3"
    errors, _preview = run_import(actor, apply=True, path=write_set(data))
    assert errors == []
    out = tmp_path / "out"
    services.export_roster(actor, out)
    import csv

    def cells(name):
        with (out / name).open(encoding="utf-8") as handle:
            return [cell for row in csv.reader(handle) for cell in row]

    exported = cells("courses.csv") + cells("classes.csv") + cells("users.csv") + cells("orgs.csv")
    for value in ('=HYPERLINK("http://evil.example","click")', "+SUM(A1:A9)", "@cmd", "-2+3"):
        assert "'" + value in exported and value not in exported
    assert not [c for c in exported if c.startswith(("=", "+", "@"))]
    errors, preview = run_import(actor, path=out)
    assert errors == []
    assert {(c["create"], c["update"], c["deactivate"]) for e, c in preview.items() if e in services.ENTITIES} == {
        (0, 0, 0)
    }
    assert db.session.scalar(select(Course.name).where(Course.sourced_id == "c1")).startswith("=HYPERLINK")
