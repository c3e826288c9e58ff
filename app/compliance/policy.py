"""Permission predicates for records requests, holds, deletions, consents and the registry.

Records are the district's (34 CFR 99.31(a)(1)): the staff side is district-wide (records.manage). A parent's right
to the records never rests on the "may see grades" flag of a link, only on a court order the district recorded
(99.4); a student who is 18 or older, or who holds their own rights, is an eligible student (99.3, 99.5)."""

from __future__ import annotations

from datetime import date

from app.identity.data import has_permission_district_wide

ADULT_AGE = 18
COPPA_AGE = 13


def can_manage_records(actor) -> bool:
    return has_permission_district_wide(actor, "records.manage")


def can_read_audit(actor) -> bool:
    return has_permission_district_wide(actor, "records.audit")


def age_on(birth_date: date | None, today: date) -> int | None:
    if birth_date is None:
        return None
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def is_eligible_student(student, today: date) -> bool:
    """18 or older, or marked as holding their own rights (an emancipated or postsecondary student)."""
    age = age_on(student.birth_date, today)
    return bool(student.holds_own_rights) or (age is not None and age >= ADULT_AGE)


def is_under_coppa_age(student, today: date) -> bool:
    """COPPA's under-13, and a student whose birth date is unknown counts as under 13."""
    age = age_on(student.birth_date, today)
    return age is None or age < COPPA_AGE


def may_request_as_parent(has_link: bool, under_court_order: bool, student_is_eligible: bool) -> bool:
    """99.4 and 99.5: any linked parent, custodial or not, unless a court order removes the right; the rights pass
    to the student when they become eligible."""
    return has_link and not under_court_order and not student_is_eligible
