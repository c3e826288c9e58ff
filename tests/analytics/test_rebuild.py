from datetime import date

from sqlalchemy import select

from app import db
from app.analytics.models import Cell, Fact

WEEK1, WEEK2 = date(2026, 8, 3), date(2026, 8, 17)


def cells(district_id, level, **dims):
    db.set_tenant(district_id, None, "system")
    query = select(Cell).where(Cell.level == level)
    for name, value in dims.items():
        query = query.where(getattr(Cell, name) == value)
    return {cell.week_start: cell for cell in db.session.scalars(query)}


def test_the_break_week_and_weeks_after_the_rebuild_hold_no_people(rebuilt):
    by_week = cells(rebuilt.district.id, "district")
    assert date(2026, 8, 10) not in by_week  # the break
    assert by_week[WEEK1].students and by_week[WEEK2].students
    later = [week for week, cell in by_week.items() if week > WEEK2]
    assert later and all(by_week[week].students == 0 for week in later)  # plans only


def test_active_students_over_students_rostered_that_week(rebuilt):
    by_week = cells(rebuilt.district.id, "school", school_id=rebuilt.school_id)
    # Week 1: s1..s12 rostered (s12 dropped on the 5th but was enrolled that week), s1..s4 active.
    assert (by_week[WEEK1].students, by_week[WEEK1].active_students) == (12, 4)
    # Week 2: s1..s11 and s13 (from the 18th); s1 and s13 active; s5's day after the rebuild does not count.
    assert (by_week[WEEK2].students, by_week[WEEK2].active_students) == (12, 2)


def test_teachers_guardians_and_reach(rebuilt):
    by_week = cells(rebuilt.district.id, "district")
    assert (by_week[WEEK1].teachers, by_week[WEEK1].active_teachers) == (1, 1)
    assert (by_week[WEEK2].teachers, by_week[WEEK2].active_teachers) == (1, 0)
    assert (by_week[WEEK1].guardians, by_week[WEEK1].active_guardians) == (1, 0)
    assert (by_week[WEEK2].guardians, by_week[WEEK2].active_guardians) == (1, 1)
    assert (by_week[WEEK1].reached_students, by_week[WEEK2].reached_students) == (0, 1)


def test_plans_count_class_days_planned_and_taught(rebuilt):
    by_week = cells(rebuilt.district.id, "section", section_id=rebuilt.section.id)
    # Week 1: five class days (3-7 Aug); L1 on the 3rd and 4th, L2 the 5th, L3 the 6th: four planned, all taught.
    first = by_week[WEEK1]
    assert (first.class_days, first.planned_days, first.taught_days) == (5, 4, 4)
    assert (first.lessons_planned, first.lessons_taught, first.units_planned, first.units_taught) == (3, 3, 1, 1)
    # Week 2: L4 on Thursday the 20th, after the rebuild: planned, not yet taught.
    second = by_week[WEEK2]
    assert (second.class_days, second.planned_days, second.taught_days) == (5, 1, 0)
    assert (second.lessons_planned, second.lessons_taught) == (1, 0)


def test_grade_level_and_subject_groups_hold_the_same_people(rebuilt):
    grade = cells(rebuilt.district.id, "school_grade", school_id=rebuilt.school_id, grade_level=7)
    assert (grade[WEEK1].students, grade[WEEK1].active_students, grade[WEEK1].teachers) == (12, 4, 1)


def test_the_facts_behind_a_cell_add_up_to_it(rebuilt):
    db.set_tenant(rebuilt.district.id, None, "system")
    facts = db.session.scalars(
        select(Fact).where(Fact.week_start == WEEK1, Fact.role == "student", Fact.section_id == rebuilt.section.id)
    ).all()
    assert len({f.user_id for f in facts}) == 12
    assert len({f.user_id for f in facts if f.is_active}) == 4


def test_a_rebuild_replaces_the_previous_rollup(rebuilt):
    from app.analytics.services import rebuild_district
    from app.identity.data import SystemActor
    from tests.analytics.conftest import AS_OF

    before = len(cells(rebuilt.district.id, "district"))
    rebuild_district(SystemActor(rebuilt.district.id), as_of=AS_OF)
    assert len(cells(rebuilt.district.id, "district")) == before
