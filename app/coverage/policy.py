"""Who sees a course's or a section's standards coverage: its teachers, and the admins of its school."""

from __future__ import annotations

from app.identity.data import has_permission_at


def can_view_coverage(actor, school_id: int | None, teaches: bool) -> bool:
    if teaches:
        return True
    return school_id is not None and (
        has_permission_at(actor, "structure.manage", school_id) or has_permission_at(actor, "users.view", school_id)
    )
