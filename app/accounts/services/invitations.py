"""Invitations: admins create accounts by email; each invitee gets a link to set their name and password."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import text

from app import db
from app.accounts.models import Membership, User
from app.accounts.policy import (
    SCHOOLLESS_ROLES,
    can_invite_role,
    can_invite_users,
    invitable_roles,
    invite_schools,
)
from app.accounts.services.links import issue_token
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.identity.data import ROLES, Actor
from app.jobruns.services import start_job
from app.notifications.services import SECRET_MARK, queue_mail
from app.org.services import list_schools

MAX_INVITES = 200


def _invite_schools(actor) -> list:
    where = invite_schools(actor)
    return [school for school in list_schools(actor) if where is None or school.id in where]


def invite_options(actor: Actor) -> tuple[list[str], list]:
    """Admins with users.invite: the roles they may give (at some school, or without one) and the schools they
    may invite into. NotFound for everyone else."""
    if not can_invite_users(actor):
        raise NotFound()
    schools = _invite_schools(actor)
    roles = invitable_roles(actor, None).union(*(invitable_roles(actor, school.id) for school in schools))
    return [role for role in ROLES if role in roles], schools


def invite_users(actor: Actor, emails: list[str], role: str, school_id: int | None, base_url: str):
    """Admins with users.invite. Creates the accounts, queues one invitation mail each and returns the
    job run that sends them. Raises Invalid naming each address that cannot be invited."""
    if not can_invite_users(actor):
        raise NotFound()
    schools = {school.id for school in _invite_schools(actor)}
    if school_id is not None and school_id not in schools:
        raise Invalid({"school_id": _("Choose a school from the list.")})
    if role not in SCHOOLLESS_ROLES and school_id is None:
        raise Invalid({"school_id": _("Choose a school.")})
    if not can_invite_role(actor, role, None if role in SCHOOLLESS_ROLES else school_id):
        raise Invalid({"role": _("You cannot invite people with that role.")})
    cleaned, bad = clean_emails(emails)
    taken = sorted(email for email in cleaned if email_taken(email))
    problems = []
    if bad:
        problems.append(_("Not valid email addresses: %(emails)s", emails=", ".join(bad[:10])))
    if taken:
        # Addresses are unique across districts; the message is the same wherever the address is used, and names
        # no district.
        problems.append(_("Already in use, so they cannot be invited: %(emails)s", emails=", ".join(taken[:10])))
    if not cleaned and not bad:
        problems.append(_("Enter at least one email address."))
    if len(cleaned) > MAX_INVITES:
        problems.append(_("Invite at most %(n)d people at a time.", n=MAX_INVITES))
    if problems:
        raise Invalid({"emails": " ".join(problems)})
    run = start_job(actor, "mail.invitations", "jobs.mail.send_mail", total=len(cleaned))
    days = current_app.config["INVITE_TOKEN_DAYS"]
    for email in cleaned:
        user = User(district_id=actor.district_id, email=email, display_name=email.split("@")[0], is_active=True)
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(district_id=actor.district_id, user_id=user.id, school_id=school_id, role=role))
        raw = issue_token(user, "invite", timedelta(days=days))
        queue_mail(
            actor.district_id,
            email,
            "invitation",
            None,
            job_run_id=run.id,
            secret=raw,
            inviter=actor.display_name,
            district=actor.district_name,
            link=f"{base_url}/account/invite/{SECRET_MARK}",
            days=days,
        )
        record_event(actor, "user.invited", "user", user.id, email=email, role=role, school_id=school_id)
    db.session.commit()
    return run


def email_taken(email: str) -> bool:
    # Emails are unique across districts; the definer lookup sees past this district's policy.
    return db.session.execute(text("select 1 from auth_lookup_user(:email)"), {"email": email}).first() is not None


def normalized_email(raw: str) -> str:
    """The address normalised and lower-cased; raises email_validator.EmailNotValidError.

    Outside production the reserved `.test` domain is accepted: the demo and test accounts live there.
    """
    from email_validator import validate_email

    allow_test_domain = current_app.config["APP_ENV"] != "production"
    checked = validate_email(raw.strip(), check_deliverability=False, test_environment=allow_test_domain)
    return checked.normalized.lower()


def clean_emails(emails: list[str]) -> tuple[list[str], list[str]]:
    """Normalised unique addresses, and the entries that are not addresses at all."""
    from email_validator import EmailNotValidError

    cleaned, bad = [], []
    for raw in emails:
        raw = raw.strip()
        if not raw:
            continue
        try:
            cleaned.append(normalized_email(raw))
        except EmailNotValidError:
            bad.append(raw)
    return list(dict.fromkeys(cleaned)), bad
