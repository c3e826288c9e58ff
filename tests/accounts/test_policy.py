"""Permission predicates: role defaults, district overrides, who may invite whom."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import text

from app import db
from app.accounts.models import DistrictRolePermission
from app.accounts.policy import can_invite_role, can_invite_users, can_view_people
from app.identity.data import Actor, SystemActor, has_permission


def permissions_for(sess, roles: frozenset[str]) -> frozenset[str]:
    """What the database's effective_permissions() grants these roles in the current district."""
    if not roles:
        return frozenset()
    return frozenset(sess.scalars(text("select effective_permissions(:roles)"), {"roles": sorted(roles)}))


DEFAULTS = {
    "district_admin": {
        "district.manage",
        "users.view",
        "users.invite",
        "activity.view",
        "school.view",
        "structure.manage",
        "rosters.manage",
        "rosters.import",
        "rollover.run",
        "records.manage",
        "records.audit",
    },
    "school_admin": {"users.view", "users.invite", "school.view", "structure.manage", "rosters.manage"},
    "teacher": {"school.view", "sections.teach"},
    "student": set(),
    "guardian": {"students.view_own"},
}


SCHOOL, OTHER_SCHOOL = 1, 2


def _actor(*roles: str, permissions=None, district_id: int = 1, at: dict | None = None) -> Actor:
    """An Actor holding these roles at SCHOOL (district admins and guardians district-wide), or where `at` says."""
    where = {role: (None if role in ("district_admin", "guardian") else SCHOOL) for role in roles} | (at or {})
    grants: dict = {}
    for role, scope in where.items():
        codes = DEFAULTS[role] if permissions is None else permissions
        grants[scope] = frozenset(grants.get(scope, frozenset()) | set(codes))
    return Actor(
        id=1,
        district_id=district_id,
        email="a@example.com",
        display_name="A",
        memberships=frozenset(where.items()),
        grants=grants,
    )


def _may_invite(actor, role: str, school_id=SCHOOL) -> bool:
    return can_invite_role(actor, role, None if role in ("district_admin", "guardian") else school_id)


def _override(district, role: str, code: str, granted: bool) -> None:
    db.session.add(DistrictRolePermission(district_id=district.id, role=role, permission_code=code, is_granted=granted))
    db.session.flush()


@pytest.mark.parametrize("role", sorted(DEFAULTS))
def test_each_role_starts_with_its_default_permissions(tenant, district, role):
    tenant(district)

    assert permissions_for(db.session, frozenset({role})) == DEFAULTS[role]


def test_no_roles_means_no_permissions(tenant, district):
    tenant(district)

    assert permissions_for(db.session, frozenset()) == frozenset()


def test_a_district_override_revokes_a_default_and_grants_a_new_one(tenant, district):
    tenant(district)
    _override(district, "school_admin", "users.invite", False)
    _override(district, "school_admin", "activity.view", True)

    assert permissions_for(db.session, frozenset({"school_admin"})) == (
        DEFAULTS["school_admin"] - {"users.invite"} | {"activity.view"}
    )


def test_an_override_of_one_role_leaves_the_others_alone(tenant, district):
    tenant(district)
    _override(district, "teacher", "school.view", False)

    assert permissions_for(db.session, frozenset({"teacher"})) == DEFAULTS["teacher"] - {"school.view"}
    assert "school.view" in permissions_for(db.session, frozenset({"school_admin"}))


def test_a_person_with_two_roles_keeps_a_permission_one_role_lost(tenant, district):
    tenant(district)
    _override(district, "teacher", "school.view", False)

    assert "school.view" in permissions_for(db.session, frozenset({"teacher", "school_admin"}))


def test_another_districts_overrides_do_not_apply(make_district, tenant, district):
    other = make_district()
    tenant(other)
    _override(other, "teacher", "users.view", True)
    _override(other, "district_admin", "users.view", False)

    tenant(district)

    assert permissions_for(db.session, frozenset({"teacher"})) == DEFAULTS["teacher"]
    assert permissions_for(db.session, frozenset({"district_admin"})) == DEFAULTS["district_admin"]


@pytest.mark.parametrize(
    ("inviter", "allowed"),
    [
        ("district_admin", {"district_admin", "school_admin", "teacher", "student", "guardian"}),
        ("school_admin", {"teacher", "student", "guardian"}),
        ("teacher", set()),
        ("student", set()),
        ("guardian", set()),
    ],
)
def test_who_may_invite_which_role(inviter, allowed):
    actor = _actor(inviter)

    invitable = {role for role in DEFAULTS if _may_invite(actor, role)}

    assert invitable == allowed
    assert can_invite_users(actor) is bool(allowed)


def test_an_admin_whose_district_revoked_inviting_may_invite_no_role():
    actor = _actor("district_admin", permissions=DEFAULTS["district_admin"] - {"users.invite"})

    assert not can_invite_users(actor)
    assert not any(_may_invite(actor, role) for role in DEFAULTS)


def test_an_admin_of_one_school_who_teaches_at_another_invites_into_their_own_school_only():
    actor = _actor("teacher", "school_admin", at={"teacher": OTHER_SCHOOL})

    assert actor.role == "school_admin"
    assert _may_invite(actor, "student", SCHOOL) and not _may_invite(actor, "school_admin", SCHOOL)
    assert not _may_invite(actor, "student", OTHER_SCHOOL)
    assert _may_invite(actor, "guardian")  # guardians have no school


def test_viewing_people_follows_the_users_view_permission():
    assert can_view_people(_actor("teacher", permissions={"users.view"}))
    assert not can_view_people(_actor("school_admin", permissions={"users.invite"}))


def test_nobody_signed_in_has_no_permission():
    assert not has_permission(AnonymousUserMixin(), "users.view")
    assert not has_permission(None, "users.view")


def test_the_system_actor_of_a_job_may_do_anything_in_its_district():
    assert has_permission(SystemActor(district_id=1), "users.invite")


@pytest.mark.parametrize(
    ("roles", "role"),
    [
        ({"student", "guardian"}, "guardian"),
        ({"teacher", "district_admin"}, "district_admin"),
        ({"student"}, "student"),
        (set(), ""),
    ],
)
def test_an_actors_role_is_the_broadest_one_held(roles, role):
    assert _actor(*roles, permissions=set()).role == role


# role -> (view people, manage people of the own school, of another school, see own linked students)
PEOPLE = {
    "district_admin": (True, True, True, False),
    "school_admin": (True, True, False, False),
    "teacher": (False, False, False, False),
    "student": (False, False, False, False),
    "guardian": (False, False, False, True),
}


@pytest.mark.parametrize("role", sorted(PEOPLE))
def test_each_role_gets_exactly_its_people_permissions(role, actor_in_role, district, make_school):
    from app.accounts import policy

    actor = actor_in_role(role)
    elsewhere = make_school()

    got = (
        policy.can_view_people(actor),
        policy.can_manage_people_at(actor, [district.school_id]),
        policy.can_manage_people_at(actor, [elsewhere.id]),
        policy.can_view_own_students(actor),
    )

    assert got == PEOPLE[role]
