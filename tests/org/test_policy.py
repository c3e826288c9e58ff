"""Who may do what with school structure: every role against every predicate, at its own school and another."""

from __future__ import annotations

import pytest

from app.org import policy
from tests.factories import ROLES

# role -> (manage structure, manage years, edit a school, manage own school, manage another school)
EXPECTED = {
    "district_admin": (True, True, True, True, True),
    "school_admin": (True, False, False, True, False),
    "teacher": (False, False, False, False, False),
    "student": (False, False, False, False, False),
    "guardian": (False, False, False, False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_structure_permissions(role, actor_in_role, district, make_school):
    actor = actor_in_role(role)
    elsewhere = make_school()

    got = (
        policy.can_manage_structure(actor),
        policy.can_manage_years(actor),
        policy.can_edit_school(actor),
        policy.can_manage_school(actor, district.school_id),
        policy.can_manage_school(actor, elsewhere.id),
    )

    assert got == EXPECTED[role]


def test_a_district_wide_course_is_managed_by_district_admins_only(actor_in_role):
    assert policy.can_manage_school(actor_in_role("district_admin"), None)
    assert not policy.can_manage_school(actor_in_role("school_admin"), None)


# role -> (see the own school's calendar, see another school's, change the own school's days off, weekdays and
#          rotation, change another school's, record district-wide days off)
CALENDAR = {
    "district_admin": (True, True, True, True, True),
    "school_admin": (True, False, True, False, False),
    "teacher": (True, False, False, False, False),
    "student": (False, False, False, False, False),
    "guardian": (False, False, False, False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_calendar_permissions(role, actor_in_role, district, make_school):
    actor = actor_in_role(role)
    elsewhere = make_school()

    got = (
        policy.can_view_calendar(actor, district.school_id),
        policy.can_view_calendar(actor, elsewhere.id),
        policy.can_manage_calendar(actor, district.school_id),
        policy.can_manage_calendar(actor, elsewhere.id),
        policy.can_manage_district_calendar(actor),
    )

    assert got == CALENDAR[role]


def test_a_school_admin_who_teaches_elsewhere_only_reads_that_schools_calendar(
    make_user, actor_of, add_membership, district, make_school
):
    elsewhere = make_school()
    user = add_membership(make_user("school_admin"), "teacher", elsewhere.id)
    actor = actor_of(user)

    assert policy.can_manage_calendar(actor, district.school_id)
    assert policy.can_view_calendar(actor, elsewhere.id) and not policy.can_manage_calendar(actor, elsewhere.id)
    assert not policy.can_manage_calendar(actor, None)
