"""Who may import frameworks and who may browse them; services call these, templates get their booleans."""

from __future__ import annotations

from app.identity.data import has_permission, has_permission_district_wide

STAFF_ROLES = ("teacher", "school_admin", "district_admin", "system")


def can_manage_standards(actor) -> bool:
    """Frameworks are district-wide, so importing one is for district-wide structure managers (and the CLI)."""
    return has_permission_district_wide(actor, "structure.manage")


def can_browse_standards(actor) -> bool:
    """Every member of staff reads the district's frameworks (to plan, align and report); students and guardians
    do not."""
    return bool(set(getattr(actor, "roles", ())) & set(STAFF_ROLES)) or has_permission(actor, "sections.teach")
