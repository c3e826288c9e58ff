from flask import Blueprint, request
from flask_login import current_user, login_required

from app.events import services
from app.ui.pagination import page_of
from app.ui.params import page_arg
from app.ui.render import render

bp = Blueprint("events", __name__)


@bp.get("/admin/activity")
@login_required
def list_activity():
    page = page_arg()
    event_type = request.args.get("type", "")[:64] or None
    events, total = services.list_events(current_user, event_type=event_type, page=page)
    return render(
        "events/activity.html",
        block="results",
        events=events,
        page=page_of(total, page, services.PAGE_SIZE),
        event_type=event_type or "",
        types=services.event_types(current_user),
    )
