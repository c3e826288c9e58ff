"""Who may see and change sections and rosters: every role against every predicate."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.rosters import policy
from tests.factories import ROLES

# role -> (manage rosters, teach, view a section of the own school, edit its roster, administer sections there,
#          administer sections of another school, see a student of the own school as staff)
EXPECTED = {
    "district_admin": (True, False, True, True, True, True, True),
    "school_admin": (True, False, True, True, True, False, True),
    "teacher": (False, True, False, False, False, False, False),
    "student": (False, False, False, False, False, False, False),
    "guardian": (False, False, False, False, False, False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_roster_permissions(role, actor_in_role, district, make_school):
    actor = actor_in_role(role)
    elsewhere = make_school()

    got = (
        policy.can_manage_rosters(actor),
        policy.can_teach(actor),
        policy.can_view_section(actor, district.school_id, teacher_ids=[]),
        policy.can_edit_section_roster(actor, district.school_id, is_archived=False),
        policy.can_administer_sections(actor, district.school_id),
        policy.can_administer_sections(actor, elsewhere.id),
        policy.can_view_student_as_staff(actor, [district.school_id]),
    )

    assert got == EXPECTED[role]


def test_a_teacher_sees_the_sections_they_teach_and_no_other(actor_in_role, district):
    teacher = actor_in_role("teacher")

    assert policy.can_view_section(teacher, district.school_id, teacher_ids=[teacher.id])
    assert not policy.can_view_section(teacher, district.school_id, teacher_ids=[teacher.id + 1])


@pytest.mark.parametrize("role", ROLES)
def test_nobody_edits_an_archived_section_or_its_roster(role, actor_in_role, district):
    actor = actor_in_role(role)
    archived = SimpleNamespace(school_id=district.school_id, is_archived=True)

    assert not policy.can_edit_section_roster(actor, district.school_id, is_archived=True)
    assert not policy.can_edit_section(actor, archived)
