"""From an opened set to a plan: every reference resolved, every rule checked, and a preview of the changes.

Targets use the shapes of `current.py`, so the preview is a field-by-field comparison with the database
and the apply step writes exactly what the preview counted. Each file group's step lives in its own module;
rows stream past once, so only the plan (and the district's current records) are held in memory.
"""

from __future__ import annotations

from app.oneroster.services.build_classes import ClassSteps
from app.oneroster.services.build_enrollments import EnrollmentSteps
from app.oneroster.services.build_orgs import OrgSteps
from app.oneroster.services.build_users import UserSteps
from app.oneroster.services.parse import RosterSet
from app.oneroster.services.plan import KEYED, PAIRED, BuilderBase, Plan
from app.oneroster.services.preview import preview_of
from app.oneroster.services.source import SourceError

__all__ = ["KEYED", "PAIRED", "Plan", "build_plan"]


class Builder(OrgSteps, ClassSteps, UserSteps, EnrollmentSteps, BuilderBase):
    def build(self) -> Plan:
        self.orgs()
        self.sessions()
        self.courses()
        self.classes()
        self.users()
        self.enrollments()
        self.problems.sorted()
        if not self.problems.error_count:
            self.plan.preview = preview_of(self)
        return self.plan


def build_plan(set_: RosterSet, district_id: int) -> Plan:
    """Resolve and check the set against the district's data; problems land in `set_.problems`. A set that
    could not be opened, or that expands past its budget while being read, gives an empty plan."""
    if not set_.usable:
        return Plan()
    try:
        return Builder(set_, district_id).build()
    except SourceError as exc:
        set_.problems.error(exc.code, "", None, "", "", f"{set_.source.budget / 1024 / 1024:.0f}")
        return Plan()
