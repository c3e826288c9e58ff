"""The data generator: the demo accounts the README promises, determinism, and refusal in production."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text

from app import db
from app.seed import SeedRefused, run_seed

DIGEST_SQL = """
    select string_agg(concat_ws('|', d.slug, u.email, u.display_name, m.role, s.name), ',' order by u.email, m.role)
    from users u
    join districts d on d.id = u.district_id
    join memberships m on m.user_id = u.id
    left join schools s on s.id = m.school_id
"""

STRUCTURE_SQL = """
    select string_agg(concat_ws('|', sc.name, t.name, c.code, s.name, s.period, s.room, teachers, students, flags,
                                s.meeting_pattern, s.meeting_days::text), ','
                      order by sc.name, t.name, c.code, s.name, s.period, s.room, teachers, students)
    from sections s
    join schools sc on sc.id = s.school_id
    join terms t on t.id = s.term_id
    join courses c on c.id = s.course_id
    cross join lateral (select string_agg(u.email || x.is_primary::text, ';' order by u.email) teachers
                        from section_teachers x join users u on u.id = x.teacher_id where x.section_id = s.id) tt
    cross join lateral (select string_agg(u.email, ';' order by u.email) students,
                               string_agg(concat_ws(':', u.grade_level, u.pronouns, u.has_iep, u.has_504, u.is_ell),
                                          ';' order by u.email) flags
                        from enrollments e join users u on u.id = e.student_id where e.section_id = s.id) ee
"""

CALENDAR_SQL = """
    select string_agg(concat_ws('|', coalesce(sc.name, 'district'), d.starts_on, d.ends_on, d.kind, d.name), ','
                      order by d.starts_on, d.name)
           || (select string_agg(concat_ws('|', name, rotation, instructional_weekdays::text), ',' order by name)
               from schools)
    from days_off d left join schools sc on sc.id = d.school_id
"""


def _district_id(slug: str) -> int:
    return db.session.execute(
        text("select district_id from auth_lookup_user(:e)"), {"e": f"admin@{slug}.chalkline.test"}
    ).scalar()


def _digest(slug: str) -> str:
    district_id = db.session.execute(
        text("select district_id from auth_lookup_user(:e)"), {"e": f"admin@{slug}.chalkline.test"}
    ).scalar()
    db.set_tenant(district_id)
    rows = db.session.execute(text(DIGEST_SQL)).scalar() or ""
    links = (
        db.session.execute(
            text(
                "select string_agg(concat_ws('|', g.email, s.email, l.relationship), ',' order by g.email, s.email)"
                " from guardian_links l join users g on g.id = l.guardian_id join users s on s.id = l.student_id"
            )
        ).scalar()
        or ""
    )
    structure = db.session.execute(text(STRUCTURE_SQL)).scalar() or ""
    calendar = db.session.execute(text(CALENDAR_SQL)).scalar() or ""
    return hashlib.sha256((rows + links + structure + calendar).encode()).hexdigest()


def test_the_demo_seed_makes_the_five_demo_accounts_and_the_other_district(_db_transaction):
    run_seed("demo")
    for slug in ("demo", "other"):
        for who, role in [
            ("admin", "district_admin"),
            ("principal", "school_admin"),
            ("teacher", "teacher"),
            ("student", "student"),
            ("guardian", "guardian"),
        ]:
            row = db.session.execute(
                text("select user_id, district_id from auth_lookup_user(:e)"), {"e": f"{who}@{slug}.chalkline.test"}
            ).one()
            db.set_tenant(row.district_id)
            roles = (
                db.session.execute(text("select role from memberships where user_id = :u"), {"u": row.user_id})
                .scalars()
                .all()
            )
            assert roles == [role]
    demo = db.session.execute(text("select district_id from auth_lookup_user('guardian@demo.chalkline.test')")).scalar()
    db.set_tenant(demo)
    children = (
        db.session.execute(
            text(
                "select s.email from guardian_links l join users s on s.id = l.student_id"
                " join users g on g.id = l.guardian_id "
                "where g.email = 'guardian@demo.chalkline.test'"
            )
        )
        .scalars()
        .all()
    )
    assert children == ["student@demo.chalkline.test"]


def test_the_same_size_always_makes_the_same_data(_db_transaction):
    first = _db_transaction.begin_nested()
    run_seed("demo")
    before = _digest("demo"), _digest("other")
    db.session.remove()
    first.rollback()
    assert db.session.execute(text("select count(*) from auth_lookup_user('admin@demo.chalkline.test')")).scalar() == 0
    run_seed("demo")
    assert (_digest("demo"), _digest("other")) == before


def test_seeding_twice_with_if_empty_changes_nothing(_db_transaction):
    run_seed("demo")
    assert run_seed("demo", if_empty=True) == "database already has data; nothing seeded"


def test_the_seed_refuses_to_run_in_production(app):
    app.config["APP_ENV"] = "production"
    try:
        with pytest.raises(SeedRefused, match="never runs in production"):
            run_seed("demo")
    finally:
        app.config["APP_ENV"] = "test"


def test_the_demo_teacher_teaches_three_lincoln_sections_and_the_demo_student_is_in_one(_db_transaction):
    run_seed("demo")
    db.set_tenant(_district_id("demo"))
    rows = db.session.execute(
        text(
            "select s.id, sc.name as school,"
            " exists(select 1 from enrollments e join users st on st.id = e.student_id"
            "        where e.section_id = s.id and st.email = 'student@demo.chalkline.test') as has_student"
            " from sections s join section_teachers x on x.section_id = s.id"
            " join users u on u.id = x.teacher_id join schools sc on sc.id = s.school_id"
            " where u.email = 'teacher@demo.chalkline.test'"
        )
    ).all()
    assert len(rows) >= 3
    assert {r.school for r in rows} == {"Lincoln Elementary School"}
    assert any(r.has_student for r in rows)


def test_every_district_gets_an_archived_year_and_a_current_one_with_fall_and_spring(_db_transaction):
    run_seed("demo")
    for slug in ("demo", "other"):
        db.set_tenant(_district_id(slug))
        years = db.session.execute(
            text(
                "select y.name, y.is_current, y.is_archived, string_agg(t.name, ',' order by t.starts_on) as terms"
                " from academic_years y join terms t on t.academic_year_id = y.id group by y.id order by y.starts_on"
            )
        ).all()
        assert [tuple(y) for y in years] == [
            ("2025-26", False, True, "Fall 2025,Spring 2026"),
            ("2026-27", True, False, "Fall 2026,Spring 2027"),
        ]


def test_seeded_students_have_grades_inside_their_school_band_and_only_take_courses_of_their_grade(_db_transaction):
    run_seed("demo")
    db.set_tenant(_district_id("demo"))
    outside = db.session.execute(
        text(
            "select count(*) from users u join memberships m on m.user_id = u.id join schools s on s.id = m.school_id"
            " where m.role = 'student' and (u.grade_level is null or u.grade_level not between s.grade_low"
            " and s.grade_high)"
        )
    ).scalar()
    wrong_course = db.session.execute(
        text(
            "select count(*) from enrollments e join users u on u.id = e.student_id join sections s"
            " on s.id = e.section_id join courses c on c.id = s.course_id"
            " where u.grade_level not between c.grade_low and c.grade_high"
        )
    ).scalar()
    assert (outside, wrong_course) == (0, 0)


def test_the_guardian_demo_account_stays_linked_to_the_demo_student_only_after_rosters_are_seeded(_db_transaction):
    run_seed("demo")
    db.set_tenant(_district_id("demo"))
    links = db.session.execute(
        text(
            "select s.email from guardian_links l join users g on g.id = l.guardian_id"
            " join users s on s.id = l.student_id where g.email = 'guardian@demo.chalkline.test'"
        )
    ).scalars()
    assert list(links) == ["student@demo.chalkline.test"]


def test_the_small_size_makes_hundreds_of_students_tens_of_sections_and_thousands_of_enrollments(_db_transaction):
    summary = run_seed("small")
    db.set_tenant(_district_id("demo"))
    counts = db.session.execute(
        text(
            "select (select count(*) from memberships where role = 'student') as students,"
            " (select count(*) from memberships where role = 'teacher') as teachers,"
            " (select count(*) from guardian_links) as links,"
            " (select count(*) from sections) as sections,"
            " (select count(*) from enrollments) as enrollments,"
            " (select count(*) from courses) as courses,"
            " (select max(n) from (select count(*) as n from enrollments group by section_id) q) as biggest,"
            " (select percentile_disc(0.5) within group (order by n)"
            "    from (select count(*) as n from enrollments group by section_id) q) as median"
        )
    ).one()
    assert 600 <= counts.students < 700
    assert 40 <= counts.teachers < 50
    assert 800 <= counts.links <= 901
    assert 30 <= counts.courses < 100
    assert 100 <= counts.sections < 1_000
    assert 3_000 <= counts.enrollments < 10_000
    assert 25 <= counts.median <= 35
    assert counts.biggest <= 40
    assert "noise-1" in summary


def test_every_district_gets_a_us_calendar_and_its_first_school_runs_a_b_days(_db_transaction):
    from datetime import date

    from app.org import services as org
    from app.org.services import SchoolSchedule
    from app.rosters import services as rosters

    run_seed("demo")
    for slug in ("demo", "other"):
        db.set_tenant(_district_id(slug))
        days_off = db.session.execute(
            text("select name, starts_on, ends_on, school_id is null from days_off order by starts_on")
        ).all()
        assert [(name, starts, ends) for name, starts, ends, _ in days_off] == [
            ("Labor Day", date(2026, 9, 7), date(2026, 9, 7)),
            ("Indigenous Peoples' Day", date(2026, 10, 12), date(2026, 10, 12)),
            ("Professional development day", date(2026, 11, 3), date(2026, 11, 3)),
            ("Veterans Day", date(2026, 11, 11), date(2026, 11, 11)),
            ("Parent-teacher conferences", date(2026, 11, 20), date(2026, 11, 20)),
            ("Thanksgiving break", date(2026, 11, 25), date(2026, 11, 27)),
            ("Winter break", date(2026, 12, 21), date(2027, 1, 1)),
            ("Martin Luther King Jr. Day", date(2027, 1, 18), date(2027, 1, 18)),
            ("Presidents' Day", date(2027, 2, 15), date(2027, 2, 15)),
            ("Spring break", date(2027, 3, 29), date(2027, 4, 2)),
            ("Memorial Day", date(2027, 5, 31), date(2027, 5, 31)),
        ]
        assert [district_wide for *_, district_wide in days_off].count(False) == 1
        schools = db.session.execute(text("select id, rotation from schools order by id")).all()
        assert [rotation for _, rotation in schools] == ["ab", "none"]
        patterns = db.session.execute(
            text(
                "select s.meeting_pattern, s.meeting_days, count(*) from sections s where s.school_id = :school"
                " group by 1, 2 order by 1, 2"
            ),
            {"school": schools[0].id},
        ).all()
        assert [(p, d) for p, d, _n in patterns] == [("daily", None), ("rotation", [1]), ("rotation", [2])]
    db.set_tenant(_district_id("demo"))
    admin = org.system_actor_for("demo")
    lincoln = db.session.execute(text("select id from schools where rotation = 'ab'")).scalar()
    week = org.instructional_days(admin, lincoln, date(2026, 9, 4), date(2026, 9, 9))  # Labor Day between
    assert week == [(date(2026, 9, 4), week[0][1]), (date(2026, 9, 8), week[1][1]), (date(2026, 9, 9), week[0][1])]
    assert {week[0][1], week[1][1]} == {"A", "B"}
    assert org.school_schedule(admin, lincoln) == SchoolSchedule((1, 2, 3, 4, 5), "ab", None)
    on_b = db.session.execute(text("select id from sections where meeting_days = '{2}' limit 1")).scalar()
    assert {day.label for day in rosters.meeting_days(admin, on_b)} == {"B"}
