"""Builders for the structure tests: actors and a small school year with courses, sections and students."""

from __future__ import annotations

from datetime import date

from app import db
from app.accounts.services import actor_for_user
from app.org import services
from app.rosters.models import Enrollment


def actor(make_user, role: str = "district_admin", **kwargs):
    user = make_user(role, **kwargs)
    return actor_for_user(user.district_id, user.id)


def year(admin, name: str, start: int, *, current: bool = False, terms: bool = True):
    """A year from 1 Aug `start` to 30 Jun `start`+1, with Fall and Spring terms."""
    made = services.create_year(admin, name, date(start, 8, 1), date(start + 1, 6, 30), current)
    if terms:
        services.create_term(admin, made.id, "Fall", date(start, 8, 15), date(start, 12, 20))
        services.create_term(admin, made.id, "Spring", date(start + 1, 1, 5), date(start + 1, 6, 15))
    return made


def terms_of(admin, year_id: int):
    return services.terms_by_year(admin, [year_id])[year_id]


def enroll(district_id: int, section_id: int, student_id: int, added_on: date) -> Enrollment:
    enrollment = Enrollment(district_id=district_id, section_id=section_id, student_id=student_id, added_on=added_on)
    db.session.add(enrollment)
    db.session.commit()
    return enrollment
