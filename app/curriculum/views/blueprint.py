from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.curriculum import policy
from app.curriculum.data import LESSON_SECTIONS, UNIT_FIELDS, VISIBILITIES
from app.ui.context import NavEntry

bp = Blueprint("curriculum", __name__, url_prefix="/curriculum")
# The names of what a stale save reports as changed (snapshot keys, and lesson sections as "sections.<key>").
CHANGE_LABELS = {
    "title": _l("Title"),
    "duration_days": _l("Length in days"),
    "duration_minutes": _l("Length in minutes"),
    "visibility": _l("Who may see it"),
    "unit_id": _l("Unit"),
    "description": _l("Description"),
    "body": _l("Content"),
    **dict(UNIT_FIELDS),
    **{f"sections.{key}": label for key, label in LESSON_SECTIONS},
}
NAV = (NavEntry(5, "curriculum.my_courses", _l("Planning"), policy.can_plan),)


@bp.app_context_processor
def _vocabulary() -> dict:
    # Labels the curriculum pages share (section names, visibility wording).
    return {
        "lesson_sections": LESSON_SECTIONS,
        "unit_fields": UNIT_FIELDS,
        "visibility_labels": dict(VISIBILITIES),
        "field_labels": CHANGE_LABELS,
    }
