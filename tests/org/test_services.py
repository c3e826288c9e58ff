"""Structure services: years, terms, courses and sections, their rules and who may use them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app import db
from app.errors import Invalid, NotFound
from app.events.models import Event
from app.org import services
from app.org.models import AcademicYear, School
from app.rosters import services as rosters
from app.rosters.models import SectionTeacher
from tests.factories import terms_of


@pytest.fixture
def admin(make_user, make_actor):
    return make_actor("district_admin")


def _fields(excinfo) -> dict:
    return {k: str(v) for k, v in excinfo.value.fields.items()}


# Years


def test_a_year_overlapping_another_is_refused_naming_the_other_year(admin, make_year):
    make_year(admin, "2025-26", 2025, terms=False)

    with pytest.raises(Invalid) as excinfo:
        services.create_year(admin, "2026-27", date(2026, 6, 1), date(2027, 6, 30))

    message = _fields(excinfo)["starts_on"]
    assert "overlap the year 2025-26" in message
    assert "Jun 30, 2026" in message


def test_years_that_touch_without_overlapping_are_accepted(admin, make_year):
    make_year(admin, "2025-26", 2025, terms=False)

    later = services.create_year(admin, "2026-27", date(2026, 7, 1), date(2027, 6, 30))

    assert later.id is not None


def test_a_year_ending_before_it_starts_is_refused(admin):
    with pytest.raises(Invalid) as excinfo:
        services.create_year(admin, "Backwards", date(2026, 8, 1), date(2026, 7, 1))

    assert "must be after the first day" in _fields(excinfo)["ends_on"]


def test_a_second_year_with_the_same_name_is_refused(admin, make_year):
    make_year(admin, "2025-26", 2025, terms=False)

    with pytest.raises(Invalid) as excinfo:
        services.create_year(admin, "2025-26", date(2030, 8, 1), date(2031, 6, 30))

    assert "already a year named 2025-26" in _fields(excinfo)["name"]


def test_shrinking_a_year_past_one_of_its_terms_is_refused_naming_the_term(admin, make_year):
    made = make_year(admin, "2025-26", 2025)

    with pytest.raises(Invalid) as excinfo:
        services.update_year(admin, made.id, "2025-26", date(2025, 8, 1), date(2026, 3, 1))

    assert "The term Spring" in _fields(excinfo)["starts_on"]


def test_making_a_year_current_clears_the_previous_current_year(admin, make_year):
    first = make_year(admin, "2025-26", 2025, current=True, terms=False)
    second = make_year(admin, "2026-27", 2026, terms=False)

    services.set_current_year(admin, second.id)

    assert db.session.get(AcademicYear, first.id).is_current is False
    assert db.session.get(AcademicYear, second.id).is_current is True
    assert db.session.scalar(select(Event.type).where(Event.subject_id == second.id).order_by(Event.id.desc())) == (
        "academic_year.made_current"
    )


def test_a_school_admin_cannot_create_years(make_user, make_actor):
    school_admin = make_actor("school_admin")

    with pytest.raises(NotFound):
        services.create_year(school_admin, "2025-26", date(2025, 8, 1), date(2026, 6, 30))


def test_a_teacher_cannot_list_years(make_user, make_actor):
    with pytest.raises(NotFound):
        services.list_years(make_actor("teacher"))


# Terms


def test_a_term_overlapping_a_sibling_is_refused_naming_it(admin, make_year):
    made = make_year(admin, "2025-26", 2025)

    with pytest.raises(Invalid) as excinfo:
        services.create_term(admin, made.id, "Winter", date(2025, 12, 1), date(2026, 1, 31))

    message = _fields(excinfo)["starts_on"]
    assert "overlap the term Fall" in message
    assert "Terms of a year may not overlap" in message


def test_a_term_outside_its_year_is_refused_with_the_years_dates(admin, make_year):
    made = make_year(admin, "2025-26", 2025, terms=False)

    with pytest.raises(Invalid) as excinfo:
        services.create_term(admin, made.id, "Summer", date(2026, 6, 1), date(2026, 8, 15))

    message = _fields(excinfo)["ends_on"]
    assert "must lie inside its year" in message
    assert "Aug 1, 2025" in message and "Jun 30, 2026" in message


def test_editing_a_term_into_its_sibling_is_refused(admin, make_year):
    made = make_year(admin, "2025-26", 2025)
    fall, _spring = terms_of(admin, made.id)

    with pytest.raises(Invalid) as excinfo:
        services.update_term(admin, fall.id, "Fall", date(2025, 8, 15), date(2026, 2, 1))

    assert "overlap the term Spring" in _fields(excinfo)["starts_on"]


def test_a_term_of_another_districts_year_is_not_found(admin, make_district, make_user, make_actor, make_year):
    other_admin = make_actor("district_admin", district=make_district())
    theirs = make_year(other_admin, "2025-26", 2025, terms=False)

    with pytest.raises(NotFound):
        services.create_term(admin, theirs.id, "Fall", date(2025, 8, 15), date(2025, 12, 20))


# Courses


def test_a_course_code_is_unique_per_school_and_year_ignoring_case(admin, district, make_year):
    made = make_year(admin, "2025-26", 2025, terms=False)
    services.create_course(admin, district.school_id, made.id, "MATH7", "Math 7", "Math", 7, 7)

    with pytest.raises(Invalid) as excinfo:
        services.create_course(admin, district.school_id, made.id, "math7", "Other", "", None, None)

    assert "The code math7 is already used by Math 7" in _fields(excinfo)["code"]


def test_the_same_course_code_is_fine_in_another_year(admin, district, make_year):
    first = make_year(admin, "2025-26", 2025, terms=False)
    second = make_year(admin, "2026-27", 2026, terms=False)
    services.create_course(admin, district.school_id, first.id, "MATH7", "Math 7", "Math", 7, 7)

    again = services.create_course(admin, district.school_id, second.id, "MATH7", "Math 7", "Math", 7, 7)

    assert again.academic_year_id == second.id


def test_a_course_with_reversed_grades_is_refused(admin, district, make_year):
    made = make_year(admin, "2025-26", 2025, terms=False)

    with pytest.raises(Invalid) as excinfo:
        services.create_course(admin, district.school_id, made.id, "BIO", "Biology", "", 10, 9)

    assert "grade_high" in excinfo.value.fields


def test_a_school_admin_manages_courses_of_their_own_school_only(
    admin, make_user, district, tenant, make_actor, make_year
):
    made = make_year(admin, "2025-26", 2025, terms=False)
    tenant(district)
    other = School(district_id=district.id, name="Other school", code="S2")
    db.session.add(other)
    db.session.commit()
    school_admin = make_actor("school_admin")

    own = services.create_course(school_admin, district.school_id, made.id, "ART", "Art", "Art", None, None)
    with pytest.raises(NotFound):
        services.create_course(school_admin, other.id, made.id, "ART", "Art", "Art", None, None)
    with pytest.raises(NotFound):
        services.get_school(school_admin, other.id)

    assert own.school_id == district.school_id
    assert [s.id for s in services.managed_schools(school_admin)] == [district.school_id]


def test_another_districts_school_is_not_found(admin, make_district):
    other = make_district()

    with pytest.raises(NotFound):
        services.get_school(admin, other.school_id)


# Sections


@pytest.fixture
def setup(admin, make_user, district, make_year):
    current = make_year(admin, "2025-26", 2025)
    nxt = make_year(admin, "2026-27", 2026)
    course = services.create_course(admin, district.school_id, current.id, "ENG9", "English 9", "English", 9, 9)
    teacher = make_user("teacher", display_name="Ms. Rivera")
    return {"year": current, "next": nxt, "course": course, "teacher": teacher}


def test_a_section_gets_its_teachers_with_the_first_as_primary(admin, make_user, district, setup):
    fall, _spring = terms_of(admin, setup["year"].id)
    second = make_user("teacher")

    section = rosters.create_section(
        admin, district.school_id, setup["course"].id, fall.id, [setup["teacher"].id, second.id], "", "P2", "B12"
    )

    rows = db.session.execute(
        select(SectionTeacher.teacher_id, SectionTeacher.is_primary).where(SectionTeacher.section_id == section.id)
    ).all()
    assert sorted(rows) == sorted([(setup["teacher"].id, True), (second.id, False)])
    assert section.name == "English 9 (P2)"


def test_a_section_in_a_term_of_another_year_is_refused_naming_both_years(admin, district, setup):
    next_fall, _ = terms_of(admin, setup["next"].id)

    with pytest.raises(Invalid) as excinfo:
        rosters.create_section(
            admin, district.school_id, setup["course"].id, next_fall.id, [setup["teacher"].id], "", "", ""
        )

    message = _fields(excinfo)["term_id"]
    assert "The term Fall is in 2026-27, but the course ENG9 is in 2025-26" in message


def test_a_section_needs_a_teacher_of_that_school(admin, make_user, district, tenant, setup):
    fall, _ = terms_of(admin, setup["year"].id)
    tenant(district)
    other = School(district_id=district.id, name="Other school", code="S2")
    db.session.add(other)
    db.session.commit()
    elsewhere = make_user("teacher", school_id=other.id)

    with pytest.raises(Invalid) as none:
        rosters.create_section(admin, district.school_id, setup["course"].id, fall.id, [], "", "", "")
    with pytest.raises(Invalid) as foreign:
        rosters.create_section(admin, district.school_id, setup["course"].id, fall.id, [elsewhere.id], "", "", "")

    assert "at least one teacher" in _fields(none)["teacher_ids"]
    assert "teachers of this school only" in _fields(foreign)["teacher_ids"]


def test_an_archived_section_refuses_edits(admin, district, setup):
    fall, _ = terms_of(admin, setup["year"].id)
    section = rosters.create_section(
        admin, district.school_id, setup["course"].id, fall.id, [setup["teacher"].id], "", "P1", ""
    )
    section.is_archived = True
    db.session.commit()

    with pytest.raises(Invalid) as excinfo:
        rosters.update_section(
            admin, section.id, setup["course"].id, fall.id, [setup["teacher"].id], "New name", "P3", ""
        )

    assert "archived" in _fields(excinfo)[""]
    assert rosters.section_details(admin, section.id)["can_edit"] is False


def test_sections_are_listed_a_page_at_a_time(admin, district, setup, monkeypatch):
    from app.rosters.services import section_admin

    monkeypatch.setattr(section_admin, "SECTIONS_PER_PAGE", 2)
    fall, _ = terms_of(admin, setup["year"].id)
    for period in ("P1", "P2", "P3"):
        rosters.create_section(
            admin, district.school_id, setup["course"].id, fall.id, [setup["teacher"].id], "", period, ""
        )

    first = rosters.school_sections(admin, district.school_id, setup["year"].id, None, 1)
    second = rosters.school_sections(admin, district.school_id, setup["year"].id, None, 2)

    assert first["total"] == 3
    first, second = first["rows"], second["rows"]
    assert len(first) == 2 and len(second) == 1
    assert first[0][3] == ["Ms. Rivera"]
