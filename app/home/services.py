"""What each role sees first: counts and lists drawn from that role's own data."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app import db
from app.accounts.data import Actor
from app.accounts.models import GuardianLink, Membership, User
from app.events.models import Event
from app.jobruns.models import JobRun
from app.org.models import School


@dataclass
class HomeData:
    role: str
    counts: dict[str, int] = field(default_factory=dict)
    schools: list = field(default_factory=list)
    people: list = field(default_factory=list)
    recent_events: list = field(default_factory=list)
    recent_jobs: list = field(default_factory=list)


def home_for(actor: Actor) -> HomeData:
    """Any signed-in actor; everything returned is scoped to what that actor may see."""
    data = HomeData(role=actor.role)
    data.recent_jobs = list(db.session.scalars(
        select(JobRun).where(JobRun.user_id == actor.id).order_by(JobRun.created_at.desc()).limit(5)
    ))
    if actor.role == "district_admin":
        data.schools = list(db.session.scalars(select(School).order_by(School.name)))
        data.counts = _role_counts(None)
        data.recent_events = _recent_events()
    elif actor.role == "school_admin":
        data.schools = list(db.session.scalars(select(School).where(School.id.in_(actor.school_ids)).order_by(School.name)))
        data.counts = _role_counts(actor.school_ids)
    elif actor.role == "teacher":
        data.schools = list(db.session.scalars(select(School).where(School.id.in_(actor.school_ids)).order_by(School.name)))
    elif actor.role == "guardian":
        data.people = list(db.session.execute(
            select(User, GuardianLink.relationship)
            .join(GuardianLink, GuardianLink.student_id == User.id)
            .where(GuardianLink.guardian_id == actor.id)
            .order_by(User.display_name)
        ))
    elif actor.role == "student":
        data.schools = list(db.session.scalars(select(School).where(School.id.in_(actor.school_ids)).order_by(School.name)))
        data.people = list(db.session.execute(
            select(User, GuardianLink.relationship)
            .join(GuardianLink, GuardianLink.guardian_id == User.id)
            .where(GuardianLink.student_id == actor.id)
            .order_by(User.display_name)
        ))
    return data


def _role_counts(school_ids) -> dict[str, int]:
    query = select(Membership.role, func.count(func.distinct(Membership.user_id))).group_by(Membership.role)
    if school_ids is not None:
        query = query.where(Membership.school_id.in_(school_ids))
    return dict(db.session.execute(query).all())


def _recent_events(limit: int = 8) -> list[Event]:
    return list(db.session.scalars(select(Event).order_by(Event.created_at.desc(), Event.id.desc()).limit(limit)))
