"""Accounts services: authentication, server sessions, one-time links, invitations, profiles, people."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from app import db
from app.accounts import services
from app.accounts.models import Membership, OneTimeToken, User, UserSession
from app.errors import Invalid, NotFound
from app.events.models import Event
from app.jobruns.models import JobRun
from app.notifications.models import MailMessage
from app.org.models import School
from tests.factories import PASSWORD
from tests.mail import as_sent, link_token

BASE = "http://localhost"


def _email(prefix: str = "person") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"


def _actor(user):
    return services.actor_for_user(user.district_id, user.id)


def _signed_in(user, password: str = PASSWORD):
    """(actor with its session id, raw token) as a sign-in makes them."""
    return services.authenticate(user.email, password)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _second_school(tenant, district, name="Second School") -> int:
    tenant(district)
    school = School(district_id=district.id, name=name, code=f"S{uuid.uuid4().hex[:4]}", grade_low=0, grade_high=5)
    db.session.add(school)
    db.session.commit()
    return school.id


# Authentication and sessions


def test_authenticate_returns_the_actor_and_stores_only_a_digest_of_the_session_token(make_user, district):
    user = make_user("school_admin")

    actor, raw = _signed_in(user)

    assert (actor.id, actor.district_id, actor.role) == (user.id, district.id, "school_admin")
    assert actor.school_ids == {district.school_id}
    assert {"users.view", "users.invite"} <= actor.permissions
    stored = db.session.get(UserSession, actor.session_id)
    assert stored.token_hash == services.token_digest(raw) != raw
    assert stored.expires_at > datetime.now(UTC) + timedelta(hours=11)
    assert db.session.get(User, user.id).last_sign_in_at is not None
    assert _count(Event, Event.type == "user.signed_in", Event.actor_id == user.id) == 1


def test_authenticate_ignores_the_case_and_surrounding_spaces_of_the_email(make_user):
    user = make_user("teacher")

    actor, _raw = services.authenticate(f"  {user.email.upper()} ", PASSWORD)

    assert actor.id == user.id


@pytest.mark.parametrize("case", ["wrong password", "unknown email", "inactive user", "invited, no password yet"])
def test_every_failed_authentication_raises_the_same_message(make_user, case):
    password = None if case.startswith("invited") else PASSWORD
    user = make_user("teacher", is_active=case != "inactive user", password=password)
    email = _email("ghost") if case == "unknown email" else user.email
    typed = "not the password" if case == "wrong password" else PASSWORD

    with pytest.raises(Invalid) as failure:
        services.authenticate(email, typed)

    assert set(failure.value.fields) == {""}
    assert failure.value.fields[""].startswith("That email and password do not match an account.")


def test_load_actor_accepts_a_live_session_and_refuses_a_wrong_token_or_user(make_user):
    user = make_user("teacher")
    other = make_user("teacher")
    actor, raw = _signed_in(user)

    assert services.load_actor(user.district_id, user.id, raw).session_id == actor.session_id
    assert services.load_actor(user.district_id, user.id, raw + "x") is None
    assert services.load_actor(other.district_id, other.id, raw) is None


def test_load_actor_refuses_a_revoked_an_expired_or_an_inactive_users_session(make_user, tenant, district):
    revoked, expired, inactive = make_user("teacher"), make_user("teacher"), make_user("teacher")
    people = (("revoked", revoked), ("expired", expired), ("inactive", inactive))
    sessions = {name: _signed_in(user) for name, user in people}
    tenant(district)
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == sessions["revoked"][0].session_id)
        .values(revoked_at=datetime.now(UTC))
    )
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == sessions["expired"][0].session_id)
        .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    )
    db.session.execute(update(User).where(User.id == inactive.id).values(is_active=False))
    db.session.commit()

    for name, user in people:
        assert services.load_actor(district.id, user.id, sessions[name][1]) is None, name


def test_load_actor_cannot_see_a_session_through_another_districts_id(make_user, make_district):
    user = make_user("teacher")
    _session, raw = _signed_in(user)

    assert services.load_actor(make_district().id, user.id, raw) is None


def test_sign_out_revokes_only_the_session_it_ends(make_user, district):
    user = make_user("teacher")
    first, first_raw = _signed_in(user)
    _second, second_raw = _signed_in(user)

    services.sign_out(first)

    assert services.load_actor(district.id, user.id, first_raw) is None
    assert services.load_actor(district.id, user.id, second_raw) is not None


# Passwords


def test_change_password_refuses_a_wrong_current_password_and_keeps_the_old_one(make_user):
    user = make_user("teacher")
    actor, _raw = _signed_in(user)

    with pytest.raises(Invalid) as failure:
        services.change_password(actor, "not it at all", "a fine new passphrase")

    assert set(failure.value.fields) == {"current_password"}
    assert services.authenticate(user.email, PASSWORD)[0].id == user.id


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short", "Use at least 10 characters."),
        ("{email}", "Your password cannot be your email address."),
    ],
)
def test_change_password_applies_the_password_rules(make_user, new, message):
    user = make_user("teacher")
    actor, _raw = _signed_in(user)

    with pytest.raises(Invalid) as failure:
        services.change_password(actor, PASSWORD, new.format(email=user.email.upper()))

    assert failure.value.fields == {"password": message}


def test_change_password_ends_the_other_sessions_and_keeps_this_one(make_user, district):
    user = make_user("teacher")
    this, this_raw = _signed_in(user)
    _other, other_raw = _signed_in(user)

    services.change_password(this, PASSWORD, "a fine new passphrase")

    assert services.load_actor(district.id, user.id, this_raw) is not None
    assert services.load_actor(district.id, user.id, other_raw) is None
    assert services.authenticate(user.email, "a fine new passphrase")[0].id == user.id
    assert db.session.get(User, user.id).password_changed_at is not None


@pytest.mark.parametrize("case", ["unknown", "inactive"])
def test_a_reset_request_for_an_unknown_or_inactive_account_leaves_no_trace(make_user, tenant, district, case):
    user = make_user("teacher", is_active=False)
    email = user.email if case == "inactive" else _email("ghost")

    services.request_password_reset(email, BASE)

    tenant(district)
    assert _count(OneTimeToken) == _count(MailMessage) == _count(JobRun) == 0


def test_a_reset_request_queues_a_mail_with_a_working_link_and_a_job_run(make_user, tenant, district):
    user = make_user("teacher", display_name="Rosa")

    services.request_password_reset(user.email, BASE)

    tenant(district)
    mail = db.session.scalars(select(MailMessage)).one()
    assert (mail.to_address, mail.subject, mail.status) == (user.email, "Reset your Chalkline password", "queued")
    assert "Hello Rosa," in mail.body_text
    raw = link_token(as_sent(mail), "reset")
    token, owner = services.open_token(raw, "reset")
    assert owner.id == user.id and token.purpose == "reset"
    assert token.token_hash == services.token_digest(raw)
    run = db.session.get(JobRun, mail.job_run_id)
    assert (run.kind, run.total, run.user_id) == ("mail.password_reset", 1, user.id)


def _reset_link(user, tenant, district) -> str:
    services.request_password_reset(user.email, BASE)
    tenant(district)
    message = db.session.scalars(select(MailMessage).where(MailMessage.to_address == user.email)).one()
    return link_token(as_sent(message), "reset")


def test_reset_password_sets_it_uses_the_link_and_ends_every_session(make_user, tenant, district):
    user = make_user("teacher")
    _session, session_raw = _signed_in(user)
    raw = _reset_link(user, tenant, district)

    services.reset_password(raw, "a fine new passphrase")

    assert services.load_actor(district.id, user.id, session_raw) is None
    assert services.authenticate(user.email, "a fine new passphrase")[0].id == user.id
    with pytest.raises(Invalid, match="already been used"):
        services.open_token(raw, "reset")


def test_a_refused_new_password_leaves_the_link_unused(make_user, tenant, district):
    user = make_user("teacher")
    raw = _reset_link(user, tenant, district)

    with pytest.raises(Invalid):
        services.reset_password(raw, "short")

    token, _owner = services.open_token(raw, "reset")
    assert token.used_at is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expires_at": datetime.now(UTC) - timedelta(seconds=1)}, "expired"),
        ({"used_at": datetime.now(UTC)}, "already been used"),
    ],
)
def test_open_token_names_why_a_link_cannot_be_used(make_user, tenant, district, change, message):
    user = make_user("teacher")
    raw = _reset_link(user, tenant, district)
    db.session.execute(update(OneTimeToken).where(OneTimeToken.user_id == user.id).values(**change))
    db.session.commit()

    with pytest.raises(Invalid, match=message):
        services.open_token(raw, "reset")


@pytest.mark.parametrize("raw", ["", "garbage", "x" * 43])
def test_open_token_refuses_an_unknown_link(raw):
    with pytest.raises(Invalid, match="This link is not valid"):
        services.open_token(raw, "reset")


def test_a_reset_link_cannot_be_used_as_an_invitation(make_user, tenant, district):
    user = make_user("teacher")
    raw = _reset_link(user, tenant, district)

    with pytest.raises(Invalid, match="This link is not valid"):
        services.accept_invite(raw, "Someone", "a fine new passphrase")


# Invitations


def test_invite_users_makes_accounts_memberships_links_mails_events_and_one_job_run(make_user, tenant, district):
    admin = _actor(make_user("district_admin"))
    emails = [_email("ada"), _email("grace")]

    run = services.invite_users(admin, [f"  {emails[0].upper()}  ", "", emails[1]], "teacher", district.school_id, BASE)

    tenant(district)
    users = db.session.scalars(select(User).where(User.email.in_(emails))).all()
    assert sorted(u.email for u in users) == sorted(emails)
    ids = [u.id for u in users]
    assert (
        _count(
            Membership,
            Membership.user_id.in_(ids),
            Membership.role == "teacher",
            Membership.school_id == district.school_id,
        )
        == 2
    )
    assert _count(OneTimeToken, OneTimeToken.user_id.in_(ids), OneTimeToken.purpose == "invite") == 2
    recipients = db.session.scalars(select(MailMessage.to_address).where(MailMessage.job_run_id == run.id))
    assert sorted(recipients) == sorted(emails)
    assert _count(Event, Event.type == "user.invited") == 2
    assert (run.total, run.status, run.kind) == (2, "queued", "mail.invitations")


def test_invite_users_counts_a_repeated_address_once(make_user, tenant, district):
    admin = _actor(make_user("district_admin"))
    email = _email()

    run = services.invite_users(admin, [email, email.upper()], "guardian", None, BASE)

    assert run.total == 1
    tenant(district)
    assert _count(User, User.email == email) == 1


def test_invite_users_accepts_the_reserved_test_domain_outside_production(make_user, tenant, district):
    admin = _actor(make_user("district_admin"))
    email = f"new-{uuid.uuid4().hex[:6]}@demo.chalkline.test"

    services.invite_users(admin, [email], "guardian", None, BASE)

    tenant(district)
    assert _count(User, User.email == email) == 1


@pytest.mark.parametrize(
    ("emails", "field", "needle"),
    [
        ([], "emails", "Enter at least one email address."),
        (["  ", ""], "emails", "Enter at least one email address."),
        (["fine@example.com", "nope", "a@b@c"], "emails", "nope, a@b@c"),
        ([f"p{n}@example.com" for n in range(201)], "emails", "at most 200"),
        (
            ["nope", "{taken}"],
            "emails",
            "Not valid email addresses: nope Already in use, so they cannot be invited: {taken}",
        ),
    ],
)
def test_invite_users_refuses_bad_address_lists(make_user, tenant, district, emails, field, needle):
    taken = make_user("teacher").email
    admin = _actor(make_user("district_admin"))

    with pytest.raises(Invalid) as failure:
        services.invite_users(admin, [e.format(taken=taken) for e in emails], "teacher", district.school_id, BASE)

    assert needle.format(taken=taken) in failure.value.fields[field]
    tenant(district)
    assert _count(User, User.email == "fine@example.com") == 0


def test_invite_users_refuses_an_address_with_an_account_in_any_district(make_user, make_district):
    admin = _actor(make_user("district_admin"))
    taken = make_user("teacher", district=make_district()).email

    with pytest.raises(Invalid) as failure:
        services.invite_users(_actor_again(admin), [taken.upper()], "guardian", None, BASE)

    assert taken in failure.value.fields["emails"]


def _actor_again(actor):
    # make_user moved the session's tenant to the other district; a request would be back in the actor's own.
    return services.actor_for_user(actor.district_id, actor.id)


@pytest.mark.parametrize("role", ["teacher", "student", "guardian"])
def test_invite_users_is_not_found_for_roles_without_the_permission(make_user, role):
    actor = _actor(make_user(role))

    with pytest.raises(NotFound):
        services.invite_users(actor, [_email()], "teacher", None, BASE)


def test_a_school_admin_invites_only_into_their_own_schools_and_never_admins(make_user, tenant, district):
    other_school = _second_school(tenant, district)
    principal = _actor(make_user("school_admin"))

    with pytest.raises(Invalid) as wrong_role:
        services.invite_users(principal, [_email()], "school_admin", district.school_id, BASE)
    with pytest.raises(Invalid) as other:
        services.invite_users(principal, [_email()], "teacher", other_school, BASE)
    with pytest.raises(Invalid) as none:
        services.invite_users(principal, [_email()], "teacher", None, BASE)
    run = services.invite_users(principal, [_email()], "teacher", district.school_id, BASE)

    assert set(wrong_role.value.fields) == {"role"}
    assert set(other.value.fields) == set(none.value.fields) == {"school_id"}
    assert run.total == 1
    roles, schools = services.invite_options(principal)
    assert roles == ["teacher", "student", "guardian"]
    assert [s.id for s in schools] == [district.school_id]


def test_a_teacher_invite_needs_a_school_but_a_guardian_invite_does_not(make_user, district):
    admin = _actor(make_user("district_admin"))

    with pytest.raises(Invalid) as failure:
        services.invite_users(admin, [_email()], "teacher", None, BASE)

    assert set(failure.value.fields) == {"school_id"}
    assert services.invite_users(admin, [_email()], "guardian", None, BASE).total == 1


def test_an_accepted_invitation_sets_name_and_password_once(make_user, tenant, district):
    admin = _actor(make_user("district_admin"))
    email = _email("newbie")
    services.invite_users(admin, [email], "guardian", None, BASE)
    tenant(district)
    mail = db.session.scalars(select(MailMessage).where(MailMessage.to_address == email)).one()
    raw = link_token(as_sent(mail), "invite")

    services.accept_invite(raw, "  Ada Lovelace ", "analytical engine 1843")

    actor, _session = services.authenticate(email, "analytical engine 1843")
    assert actor.display_name == "Ada Lovelace"
    assert actor.roles == {"guardian"}
    with pytest.raises(Invalid, match="already been used"):
        services.accept_invite(raw, "Someone Else", "another passphrase here")


# Profile and people


def test_update_profile_saves_and_records_an_event(make_user, tenant, district):
    user = make_user("teacher")

    services.update_profile(_actor(user), " New Name ", "es", "America/Chicago")

    tenant(district)
    saved = db.session.get(User, user.id)
    assert (saved.display_name, saved.locale, saved.time_zone) == ("New Name", "es", "America/Chicago")
    assert _count(Event, Event.type == "user.profile_updated", Event.subject_id == user.id) == 1


def test_update_profile_clears_locale_and_time_zone_when_left_blank(make_user, tenant, district):
    user = make_user("teacher", locale="es", time_zone="America/Chicago")

    services.update_profile(_actor(user), "Name", "", "")

    tenant(district)
    saved = db.session.get(User, user.id)
    assert (saved.locale, saved.time_zone) == (None, None)


def test_update_profile_reports_every_bad_field_at_once(make_user, tenant, district):
    user = make_user("teacher", display_name="Kept")

    with pytest.raises(Invalid) as failure:
        services.update_profile(_actor(user), "   ", "klingon", "Moon/Tranquility")

    assert set(failure.value.fields) == {"display_name", "locale", "time_zone"}
    tenant(district)
    assert db.session.get(User, user.id).display_name == "Kept"
