"""Row-level security: every tenant table is walled off by district, checked from the catalog."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app import db

# Platform tables that hold no district's data; everything else in public must carry district_id.
GLOBAL_TABLES = {"alembic_version", "permissions", "role_permissions"}


def _tables(connection) -> list[dict]:
    return [
        dict(row._mapping)
        for row in connection.execute(
            text(
                """
        select c.relname as name, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
               exists(select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'district_id'
                      and not a.attisdropped) as has_district,
               (select count(*) from pg_policy p where p.polrelid = c.oid) as policies
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p')
        order by c.relname
        """
            )
        )
    ]


def test_every_tenant_table_forces_row_level_security_with_a_policy(_db_transaction):
    problems = []
    for table in _tables(_db_transaction):
        if table["name"] in GLOBAL_TABLES:
            continue
        if not (table["has_district"] or table["name"] == "districts"):
            problems.append(f"{table['name']}: no district_id column (or list it as a global table)")
        if not (table["rls"] and table["forced"]):
            problems.append(f"{table['name']}: row level security not enabled and forced")
        if table["policies"] < 1:
            problems.append(f"{table['name']}: no policy")
    assert problems == []


def test_views_read_with_the_callers_rights(_db_transaction):
    views = (
        _db_transaction.execute(
            text(
                """
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'v'
          and not coalesce('security_invoker=true' = any(c.reloptions), false)
        """
            )
        )
        .scalars()
        .all()
    )
    assert views == []


def test_the_app_role_owns_nothing_and_cannot_bypass_rls(_db_transaction):
    role = _db_transaction.execute(
        text("select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user")
    ).one()
    assert tuple(role) == (False, False, False, False)
    owned = _db_transaction.execute(
        text(
            "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            "where n.nspname = 'public' and pg_get_userbyid(c.relowner) = current_user"
        )
    ).scalar()
    assert owned == 0


@pytest.fixture
def two_populated_districts(make_district, make_user):
    """One row of every tenant table in each of two districts, made through the services where they exist."""
    from app.accounts import services as accounts
    from app.accounts.models import DistrictRolePermission, GuardianLink
    from app.jobruns.services import start_job
    from app.notifications.services import queue_mail

    made = []
    for slug in ("alpha", "beta"):
        district = make_district(slug=f"{slug}-iso")
        admin = make_user("district_admin", district=district)
        student = make_user("student", district=district)
        guardian = make_user("guardian", district=district)
        db.set_tenant(district.id, admin.id, "district_admin")
        db.session.add(GuardianLink(district_id=district.id, guardian_id=guardian.id, student_id=student.id))
        db.session.add(
            DistrictRolePermission(
                district_id=district.id, role="teacher", permission_code="users.view", is_granted=True
            )
        )
        accounts.authenticate(admin.email, "correct horse battery")  # user_sessions + events
        accounts.request_password_reset(student.email, "http://localhost")  # tokens, mail, job_runs
        db.set_tenant(district.id, admin.id, "district_admin")
        actor = accounts.actor_for_user(district.id, admin.id)
        run = start_job(actor, "mail.invitations", "jobs.mail.send_mail")
        queue_mail(
            district.id,
            "x@example.test",
            "invitation",
            None,
            job_run_id=run.id,
            inviter="A",
            district="B",
            link="L",
            days=1,
        )
        _school_structure(district, admin, student, make_user("teacher", district=district))
        _notifications(admin, guardian)
        db.session.commit()
        made.append(district)
    return made


def _notifications(admin, guardian) -> None:
    """One inbox row and one saved choice."""
    from app.notifications import services as notifications
    from app.notifications.data import Recipient

    actor = accounts_actor(admin)
    notifications.send(actor, [Recipient(guardian.id, "G", guardian.email)], "teacher_message", "Hello")
    notifications.save_preferences(accounts_actor(guardian), {"guardian_digest": {"email"}})


def accounts_actor(user):
    from app.accounts import services as accounts

    db.set_tenant(user.district_id, user.id, "system")
    return accounts.actor_for_user(user.district_id, user.id)


def _school_structure(district, admin, student, teacher) -> None:
    """One row in each school-structure table: year, term, course, section, teacher, enrollment, import, rollover,
    day off."""
    from datetime import date

    from app.oneroster.models import OneRosterImport
    from app.org.models import AcademicYear, Course, DayOff, Term
    from app.richtext.models import RichTextImage
    from app.rollover.models import Rollover
    from app.rosters.models import Enrollment, Section, SectionTeacher

    db.set_tenant(district.id, admin.id, "district_admin")
    years = [
        AcademicYear(district_id=district.id, name=name, starts_on=date(y, 8, 1), ends_on=date(y + 1, 6, 30))
        for name, y in (("2025-26", 2025), ("2026-27", 2026))
    ]
    db.session.add_all(years)
    db.session.flush()
    term = Term(
        district_id=district.id,
        academic_year_id=years[0].id,
        name="Fall",
        starts_on=date(2025, 8, 1),
        ends_on=date(2025, 12, 20),
    )
    course = Course(
        district_id=district.id, school_id=district.school_id, academic_year_id=years[0].id, code="MATH7", name="Math 7"
    )
    db.session.add_all([term, course])
    db.session.flush()
    section = Section(
        district_id=district.id, course_id=course.id, term_id=term.id, school_id=district.school_id, name="Math 7 - P1"
    )
    db.session.add(section)
    db.session.flush()
    db.session.add_all(
        [
            SectionTeacher(district_id=district.id, section_id=section.id, teacher_id=teacher.id),
            Enrollment(district_id=district.id, section_id=section.id, student_id=student.id),
            OneRosterImport(district_id=district.id, user_id=admin.id, file_key="0" * 64, file_name="roster.zip"),
            Rollover(district_id=district.id, user_id=admin.id, from_year_id=years[0].id, to_year_id=years[1].id),
            DayOff(
                district_id=district.id,
                school_id=district.school_id,
                starts_on=date(2025, 11, 11),
                ends_on=date(2025, 11, 11),
                kind="holiday",
                name="Veterans Day",
            ),
            RichTextImage(
                district_id=district.id,
                storage_key="f" * 64,
                content_type="image/png",
                byte_size=68,
                width=1,
                height=1,
                uploaded_by=teacher.id,
            ),
        ]
    )
    _curriculum(district, teacher, course, section)
    _gradebook(district, teacher, student, course, section, term)


def _gradebook(district, teacher, student, course, section, term) -> None:
    """One row of each gradebook table."""
    from datetime import date

    from app.gradebook import models as gb

    policy = gb.GradingPolicy(district_id=district.id)
    scale = gb.GradingScale(district_id=district.id, name="District", bands=[{"min": "0", "letter": "F"}])
    period = gb.GradingPeriod(
        district_id=district.id, term_id=term.id, name="Q1", starts_on=date(2025, 8, 1), ends_on=date(2025, 10, 1)
    )
    category = gb.GradingCategory(district_id=district.id, course_id=course.id, name="Tests", weight=40)
    db.session.add_all([policy, scale, period, category])
    db.session.flush()
    work = gb.Assignment(district_id=district.id, course_id=course.id, owner_id=teacher.id, title="Quiz 1")
    db.session.add(work)
    db.session.flush()
    ids = {"district_id": district.id, "assignment_id": work.id, "student_id": student.id}
    grade = gb.Grade(section_id=section.id, score=9, **ids)
    db.session.add_all(
        [
            gb.AssignmentSection(district_id=district.id, assignment_id=work.id, section_id=section.id),
            gb.AssignmentOverride(is_exempt=True, **ids),
            gb.Submission(section_id=section.id, attempt=1, body={"blocks": []}, **ids),
            grade,
            gb.GradeChangeRequest(section_id=section.id, change={}, reason="r", requested_by=teacher.id, **ids),
            gb.TermGrade(district_id=district.id, section_id=section.id, student_id=student.id),
            gb.GradebookImport(district_id=district.id, section_id=section.id, file_key="0" * 64, file_name="g.csv"),
        ]
    )
    db.session.flush()
    db.session.add(gb.GradeHistory(grade_id=grade.id, new={}, **ids))


def _curriculum(district, teacher, course, section) -> None:
    """One unit, lesson, template, version, planner entry and skip."""
    from datetime import date

    from app.curriculum.models import ContentTemplate, Lesson, PlannerEntry, PlannerSkip, Unit
    from app.versions.models import ContentVersion

    db.session.flush()
    unit = Unit(district_id=district.id, course_id=course.id, owner_id=teacher.id, title="Unit")
    db.session.add(unit)
    db.session.flush()
    lesson = Lesson(district_id=district.id, unit_id=unit.id, course_id=course.id, owner_id=teacher.id, title="L")
    db.session.add(lesson)
    db.session.flush()
    db.session.add_all(
        [
            ContentTemplate(district_id=district.id, kind="lesson", title="T", body={}),
            ContentVersion(district_id=district.id, item_type="lesson", item_id=lesson.id, number=1, snapshot={}),
            PlannerEntry(district_id=district.id, section_id=section.id, lesson_id=lesson.id, position=1),
            PlannerSkip(district_id=district.id, section_id=section.id, skipped_on=date(2025, 10, 1)),
        ]
    )


def test_a_district_sees_none_of_another_districts_rows_in_any_table(_db_transaction, two_populated_districts):
    alpha, beta = two_populated_districts
    tenant_tables = [t["name"] for t in _tables(_db_transaction) if t["name"] not in GLOBAL_TABLES]
    column = {name: "id" if name == "districts" else "district_id" for name in tenant_tables}
    for name in tenant_tables:
        db.set_tenant(beta.id)
        own = db.session.execute(
            text(f"select count(*) from {name} where {column[name]} = :d"), {"d": beta.id}
        ).scalar()
        assert own > 0, f"{name} has no rows for the check: add one to two_populated_districts"
        db.set_tenant(alpha.id)
        leaked = db.session.execute(
            text(f"select count(*) from {name} where {column[name]} = :d"), {"d": beta.id}
        ).scalar()
        assert leaked == 0, f"{name} shows district beta's rows to district alpha"
        db.set_tenant(None)
        assert db.session.execute(text(f"select count(*) from {name}")).scalar() == 0, (
            f"{name} shows rows with no district set"
        )


def test_writing_into_another_district_is_refused(_db_transaction, two_populated_districts):
    from sqlalchemy.exc import ProgrammingError

    alpha, beta = two_populated_districts
    db.set_tenant(alpha.id)
    with pytest.raises(ProgrammingError, match="row-level security"), db.session.begin_nested():
        db.session.execute(text("insert into events (district_id, type) values (:d, 'x')"), {"d": beta.id})


def test_the_tenant_setting_does_not_outlive_its_transaction(app):
    engine = app.extensions["db_engine"]
    with engine.connect() as connection:
        with connection.begin():
            connection.execute(text("select set_config('app.district_id', '42', true)"))
        assert connection.execute(text("select current_setting('app.district_id', true)")).scalar() in ("", None)
