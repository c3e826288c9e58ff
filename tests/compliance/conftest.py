"""A family for the records tests: a student with a section, two guardians, a classmate and a records admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from app import db


@dataclass
class Family:
    student: object
    guardian: object
    other_guardian: object
    classmate: object
    teacher: object
    admin: object
    section: object
    district_slug: str = ""


@pytest.fixture
def family(make_user, make_section, make_enrollment, district):
    from app.accounts.models import GuardianLink

    student = make_user(
        "student", display_name="Zora Quill", email="zora.quill@example.test", birth_date=date(2014, 3, 1)
    )
    guardian = make_user("guardian", display_name="Mara Quill", email="mara.quill@example.test")
    other = make_user("guardian", display_name="Otto Vance", email="otto.vance@example.test")
    classmate = make_user("student", display_name="Pip Classmate", email="pip@example.test")
    teacher = make_user("teacher", display_name="Ms Teach")
    admin = make_user("district_admin", display_name="Records Admin")
    section = make_section(teacher=teacher)
    make_enrollment(district.id, section.id, student.id, date(2026, 9, 1))
    make_enrollment(district.id, section.id, classmate.id, date(2026, 9, 1))
    db.set_tenant(district.id, None, "system")
    for who in (guardian, other):
        db.session.add(
            GuardianLink(
                district_id=district.id, guardian_id=who.id, student_id=student.id, has_custody=who is guardian
            )
        )
    db.session.commit()
    return Family(student, guardian, other, classmate, teacher, admin, section, district.slug)


@pytest.fixture
def jobs():
    """Run queued jobs in this process (the test's transaction), as a worker would."""
    from tests.jobqueue import empty_queues, run_jobs

    empty_queues()

    def _run():
        run_jobs()
        return None

    return _run
