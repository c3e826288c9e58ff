from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.compliance import policy
from app.compliance.data import CONSENT_USES
from app.compliance.forms import KIND_LABELS, STATUS_LABELS
from app.compliance.services import CATEGORIES
from app.identity.data import has_permission
from app.ui.context import NavEntry

bp = Blueprint("compliance", __name__, url_prefix="/compliance")


def _may_request(actor) -> bool:
    # Guardians and students see the menu entry; the page itself says whether they may request.
    return has_permission(actor, "students.view_own") or "student" in actor.roles


NAV = (
    NavEntry(60, "compliance.my_requests", _l("Records requests"), _may_request),
    NavEntry(61, "compliance.request_queue", _l("Records"), policy.can_manage_records),
)


@bp.app_context_processor
def _vocabulary() -> dict:
    return {
        "request_kinds": KIND_LABELS,
        "request_statuses": STATUS_LABELS,
        "data_categories": CATEGORIES,
        "consent_uses": CONSENT_USES,
    }
