from flask import Blueprint, url_for
from flask_login import current_user, login_required

from app.jobruns.services import get_job_run, kind_title
from app.ui.render import render

bp = Blueprint("jobruns", __name__, url_prefix="/jobs")


@bp.app_template_filter("job_title")
def _job_title(kind: str) -> str:
    return kind_title(kind)


@bp.get("/<int:run_id>")
@login_required
def show_job_run(run_id: int):
    run = get_job_run(current_user, run_id)
    url = url_for("jobruns.show_job_run", run_id=run.id)
    return render("jobruns/runs/show.html", block="progress", run=run, url=url, polling=run.is_active)
