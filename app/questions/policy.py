"""Who keeps, edits and reads question banks; services call these, templates get their booleans.

A bank's owner edits it and its questions. Other staff read it (and copy from it) as far as its visibility
reaches, with the rule lessons have (app/curriculum/policy.py, which this package sits below and so cannot
import): private reaches no one else, school reaches the staff of the bank's school, district every staff
member of the district. Students and guardians never read a bank: its questions carry their answers."""

from __future__ import annotations

from app.identity.data import EVERY_SCHOOL

STAFF_ROLES = ("teacher", "school_admin", "district_admin")


def is_staff(actor) -> bool:
    return bool(set(getattr(actor, "roles", ())) & set(STAFF_ROLES)) or "system" in getattr(actor, "roles", ())


def staff_school_ids(actor) -> frozenset[int] | None:
    """The schools where the actor is staff; None when a district-wide staff role reaches every school."""
    memberships = getattr(actor, "memberships", frozenset())
    if any(role == "district_admin" and school is EVERY_SCHOOL for role, school in memberships):
        return None
    return frozenset(school for role, school in memberships if role in STAFF_ROLES and school is not None)


def can_keep_banks(actor) -> bool:
    """Staff (teachers and admins) keep banks of their own."""
    return bool(set(getattr(actor, "roles", ())) & set(STAFF_ROLES))


def reaches(actor, visibility: str, school_id: int | None) -> bool:
    """Whether a bank of this visibility at this school is readable by the actor who does not own it."""
    if not is_staff(actor) or visibility == "private":
        return False
    if visibility == "district" or school_id is None:
        return True
    schools = staff_school_ids(actor)
    return schools is None or school_id in schools


def can_edit_bank(actor, bank) -> bool:
    return bank.owner_id == getattr(actor, "id", None)


def can_view_bank(actor, bank) -> bool:
    return can_edit_bank(actor, bank) or reaches(actor, bank.visibility, bank.school_id)
