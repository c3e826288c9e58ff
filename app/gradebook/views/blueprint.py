from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.gradebook import services
from app.gradebook.data import GRADING_TYPES, SUBMISSION_TYPES
from app.ui.context import NavEntry

bp = Blueprint("gradebook", __name__, url_prefix="/gradebook")
NAV = (
    NavEntry(15, "gradebook.my_gradebooks", _l("Gradebook"), services.can_teach),
    NavEntry(
        16, "gradebook.my_grades", _l("Grades"), lambda actor: services.is_student(actor) or services.is_guardian(actor)
    ),
)


@bp.app_context_processor
def _vocabulary() -> dict:
    return {"grading_type_labels": dict(GRADING_TYPES), "submission_type_labels": dict(SUBMISSION_TYPES)}


@bp.app_template_filter("grade_percent")
def _grade_percent(value) -> str:
    """A course percent as the gradebook shows it (one decimal, the locale's separator)."""
    from flask_babel import format_decimal

    return "" if value is None else format_decimal(value, "#,##0.0") + "\u00a0%"


@bp.app_template_filter("grade_points")
def _grade_points(value) -> str:
    from flask_babel import format_decimal, ngettext

    if value is None:
        return ""
    count = int(value) if value == int(value) else 2
    return ngettext("%(points)s pt", "%(points)s pts", count, points=format_decimal(value))
