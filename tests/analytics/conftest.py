"""A small district whose every number is counted by hand (see each test's comments).

School calendar: Monday to Friday, term 1 Aug - 20 Dec 2026 (make_section's), the week of 10 Aug off (a break).
The rebuild runs as of Wednesday 19 Aug 2026, so the instructional weeks so far are those of 3 Aug and 17 Aug.
Section "Math 7": teacher T; students s1..s12 from 1 Aug (s12 dropped on 5 Aug), s13 from 18 Aug.
Active days: T on 4 Aug; s1..s4 on 4 Aug; s1 on 18 Aug; s13 on 19 Aug; s5 on 20 Aug (after the rebuild: ignored);
s6 on 12 Aug (inside the break: no week to count it in). Guardian G of s2, active 18 Aug.
Plan: L1 (2 days), L2, L3 from 3 Aug; L4 not before 20 Aug (one day).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest

from app import db

AS_OF = datetime(2026, 8, 19, 18, 0, tzinfo=UTC)


@dataclass
class Fixture:
    district: object
    school_id: int
    section: object
    teacher: object
    students: list = field(default_factory=list)
    guardian: object = None
    admin: object = None


def add_activity(user, *days: date) -> None:
    from app.analytics.models import ActivityDay

    for day in days:
        db.session.add(ActivityDay(district_id=user.district_id, user_id=user.id, day=day))
    db.session.commit()


@pytest.fixture
def counted(district, make_user, make_section, make_enrollment, actor_of):
    from app.accounts.models import GuardianLink
    from app.curriculum.models import Lesson, PlannerEntry, Unit
    from app.org.models import DayOff
    from app.rosters.models import Enrollment

    teacher = make_user("teacher", display_name="T")
    section = make_section("Math 7", teacher=teacher)
    db.set_tenant(district.id, None, "system")
    db.session.add(
        DayOff(
            district_id=district.id, starts_on=date(2026, 8, 10), ends_on=date(2026, 8, 14), kind="break", name="Break"
        )
    )
    db.session.commit()
    students = [make_user("student", display_name=f"s{n}", grade_level=7) for n in range(1, 14)]
    for student in students[:12]:
        make_enrollment(district.id, section.id, student.id, date(2026, 8, 1))
    make_enrollment(district.id, section.id, students[12].id, date(2026, 8, 18))
    db.set_tenant(district.id, None, "system")
    dropped = db.session.query(Enrollment).filter_by(student_id=students[11].id).one()
    dropped.dropped_on = date(2026, 8, 5)
    guardian = make_user("guardian", display_name="G")
    db.session.add(GuardianLink(district_id=district.id, guardian_id=guardian.id, student_id=students[1].id))
    db.session.commit()
    add_activity(teacher, date(2026, 8, 4))
    for student in students[:4]:
        add_activity(student, date(2026, 8, 4))
    add_activity(students[0], date(2026, 8, 18))
    add_activity(students[12], date(2026, 8, 19))
    add_activity(students[4], date(2026, 8, 20))
    add_activity(students[5], date(2026, 8, 12))
    add_activity(guardian, date(2026, 8, 18))
    db.set_tenant(district.id, None, "system")
    unit = Unit(district_id=district.id, course_id=section.course_id, owner_id=teacher.id, title="U")
    db.session.add(unit)
    db.session.flush()
    for position, (title, days, not_before) in enumerate(
        [("L1", 2, None), ("L2", 1, None), ("L3", 1, None), ("L4", 1, date(2026, 8, 20))], start=1
    ):
        lesson = Lesson(
            district_id=district.id, unit_id=unit.id, course_id=section.course_id, owner_id=teacher.id, title=title
        )
        db.session.add(lesson)
        db.session.flush()
        db.session.add(
            PlannerEntry(
                district_id=district.id,
                section_id=section.id,
                lesson_id=lesson.id,
                position=position,
                days=days,
                not_before=not_before,
            )
        )
    db.session.commit()
    admin = make_user("district_admin", display_name="Admin")
    return Fixture(district, district.school_id, section, teacher, students, guardian, admin)


@pytest.fixture
def rebuilt(counted):
    from app.analytics.services import rebuild_district
    from app.identity.data import SystemActor

    db.set_tenant(counted.district.id, None, "system")
    rebuild_district(SystemActor(counted.district.id), as_of=AS_OF)
    return counted
