from flask import Blueprint, url_for
from flask_login import current_user, login_required

from app.jobruns.services import get_job_run
from app.ui.render import render

bp = Blueprint("jobruns", __name__)
# htmx stops polling when a response has this status.
STOP_POLLING = 286


@bp.get("/jobs/<int:run_id>")
@login_required
def show_job_run(run_id: int):
    run = get_job_run(current_user, run_id)
    return render("jobruns/show.html", run=run, poll_url=url_for("jobruns.poll_job_run", run_id=run.id))


@bp.get("/jobs/<int:run_id>/progress")
@login_required
def poll_job_run(run_id: int):
    run = get_job_run(current_user, run_id)
    status = 200 if run.is_active else STOP_POLLING
    return render(
        "jobruns/show.html",
        block="progress",
        run=run,
        poll_url=url_for("jobruns.poll_job_run", run_id=run.id),
        status=status,
    )
