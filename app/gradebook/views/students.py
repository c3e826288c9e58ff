"""Students' and guardians' pages: my work and grades, one assignment (hand it in), a submitted file."""

from __future__ import annotations

from flask import make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.gradebook import services
from app.gradebook.forms import SubmissionForm
from app.gradebook.views.blueprint import bp
from app.ui.formflow import form_status, submit
from app.ui.params import int_arg
from app.ui.render import redirect_to, render


@bp.get("/my")
@login_required
def my_grades():
    if services.is_guardian(current_user) and not services.is_student(current_user):
        return render("gradebook/students/children.html", children=services.my_children(current_user))
    return render("gradebook/students/show.html", work=services.student_work(current_user, current_user.id))


@bp.get("/students/<int:student_id>")
@login_required
def show_student_work(student_id: int):
    return render("gradebook/students/show.html", work=services.student_work(current_user, student_id))


def _work_page(assignment_id: int, student_id=None, form=None, status=200):
    page = services.work_page(current_user, assignment_id, student_id)
    return render("gradebook/students/work.html", page=page, form=form or SubmissionForm(formdata=None), status=status)


@bp.get("/work/<int:assignment_id>")
@login_required
def show_work(assignment_id: int):
    return _work_page(assignment_id, int_arg("student"))


@bp.post("/work/<int:assignment_id>")
@login_required
def submit_work(assignment_id: int):
    form = SubmissionForm()
    upload = request.files.get("upload")
    data = (upload.filename or "", upload.read(services.MAX_FILE_BYTES + 1)) if upload and upload.filename else None
    outcome = submit(
        form,
        lambda: services.submit_work(
            current_user, assignment_id, form.body.data if isinstance(form.body.data, str) else None, data
        ),
    )
    if outcome.done:
        return redirect_to(url_for("gradebook.show_work", assignment_id=assignment_id), toast=_("Handed in."))
    return _work_page(assignment_id, form=form, status=form_status(form))


@bp.get("/submissions/<int:submission_id>/file")
@login_required
def submission_file(submission_id: int):
    row, data = services.submission_file(current_user, submission_id)
    response = make_response(data)
    response.headers["Content-Type"] = row.file_type or "application/octet-stream"
    response.headers["Content-Disposition"] = "attachment; filename*=UTF-8''" + _quoted(row.file_name or "file")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")
