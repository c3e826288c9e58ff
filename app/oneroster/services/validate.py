"""From parsed files to a plan: every reference resolved, every rule checked, and a preview of the changes.

Targets use the shapes of `current.py`, so the preview is a field-by-field comparison with the database
and the apply step writes exactly what the preview counted. Each file group's step lives in its own module.
"""

from __future__ import annotations

from app.oneroster.services.build_classes import ClassSteps
from app.oneroster.services.build_enrollments import EnrollmentSteps
from app.oneroster.services.build_orgs import OrgSteps
from app.oneroster.services.build_users import UserSteps
from app.oneroster.services.parse import RosterSet
from app.oneroster.services.plan import KEYED, PAIRED, BuilderBase, Plan
from app.oneroster.services.preview import preview_of

__all__ = ["KEYED", "PAIRED", "Plan", "build_plan"]


class Builder(OrgSteps, ClassSteps, UserSteps, EnrollmentSteps, BuilderBase):
    def build(self) -> Plan:
        self.orgs()
        self.sessions()
        self.courses()
        self.classes()
        self.users()
        self.enrollments()
        if not self.set.errors:
            self.plan.preview = preview_of(self)
        return self.plan


def build_plan(set_: RosterSet, district_id: int) -> Plan:
    """Resolve and check the parsed set against the district's data; errors land in `set_.errors`."""
    if set_.errors and any(e["code"] in ("version", "no_files") for e in set_.errors):
        return Plan()
    return Builder(set_, district_id).build()
