from flask import Blueprint, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.events import services
from app.ui.context import NavEntry
from app.ui.pagination import page_of
from app.ui.params import page_arg
from app.ui.render import render

bp = Blueprint("events", __name__, url_prefix="/activity")
NAV = (NavEntry(50, "events.list_activity", _l("Activity"), services.can_view_activity),)


@bp.get("/")
@login_required
def list_activity():
    page = page_arg()
    event_type = request.args.get("type", "")[:64] or None
    events, total = services.list_events(current_user, event_type=event_type, page=page)
    return render(
        "events/activity/list.html",
        block="results",
        events=events,
        page=page_of(total, page, services.PAGE_SIZE),
        event_type=event_type or "",
        types=services.event_types(current_user),
    )
