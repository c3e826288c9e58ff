"""What each role sees first, composed from the owning domains' services."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.accounts import services as accounts
from app.curriculum import services as curriculum
from app.events.services import recent_events
from app.identity.data import Actor
from app.jobruns.services import recent_runs
from app.org.services import list_schools
from app.rosters import services as rosters


@dataclass
class HomeData:
    role: str
    counts: dict[str, int] = field(default_factory=dict)
    schools: list = field(default_factory=list)
    people: list = field(default_factory=list)
    recent_events: list = field(default_factory=list)
    recent_jobs: list = field(default_factory=list)
    can_view_people: bool = False
    sections: list = field(default_factory=list)
    # For teachers: each open section with the lessons its plan puts on today (curriculum.TodayRow).
    today: list = field(default_factory=list)


def home_for(actor: Actor) -> HomeData:
    """Any signed-in actor; everything returned is scoped to what that actor may see."""
    data = HomeData(role=actor.role, can_view_people=accounts.can_view_people(actor))
    data.recent_jobs = recent_runs(actor)
    data.recent_events = recent_events(actor)
    if actor.role in ("district_admin", "school_admin", "teacher", "student"):
        data.schools = list_schools(actor)
    if data.can_view_people:
        data.counts = accounts.role_counts(actor)
    if rosters.can_teach(actor):
        data.today = curriculum.todays_lessons(actor, actor.today())
        data.sections = [row.section for row in data.today]
    if actor.role == "guardian":
        data.people = accounts.linked_students(actor)
    elif actor.role == "student":
        data.people = accounts.linked_guardians(actor)
    return data
