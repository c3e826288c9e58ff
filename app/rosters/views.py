from __future__ import annotations

from flask import Blueprint, Response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors import Invalid, copy_errors
from app.rosters import policy, services
from app.rosters.forms import (
    RELATIONSHIP_LABELS,
    BulkForm,
    DirectoryFilterForm,
    GuardianLinkForm,
    NewGuardianLinkForm,
    RightsForm,
    grade_label,
)
from app.ui.pagination import page_of
from app.ui.params import page_arg, to_int
from app.ui.render import redirect_to, render

bp = Blueprint("rosters", __name__)


@bp.app_template_filter("grade")
def _grade_filter(value):
    return grade_label(value)


@bp.app_template_filter("relationship")
def _relationship_filter(value):
    return str(RELATIONSHIP_LABELS.get(value, value))


_int = to_int


def _bulk_form(actions, sections) -> BulkForm:
    form = BulkForm(formdata=None)
    form.fill_choices(actions, sections)
    return form


@bp.get("/people")
@login_required
def list_people():
    form = DirectoryFilterForm(request.args)
    page = page_arg()
    school_id = _int(request.args.get("school_id"))
    directory = services.search_people(
        current_user,
        q=(form.q.data or "")[:100],
        role=request.args.get("role", "")[:20],
        school_id=school_id,
        grade=_int(request.args.get("grade")),
        page=page,
    )
    form.fill_choices(directory.schools)
    manage = policy.can_manage_rosters(current_user)
    actions = ("enroll", "deactivate", "export") if manage else ("export",)
    return render(
        "rosters/people.html",
        block="results",
        form=form,
        directory=directory,
        page=page_of(directory.total, page, services.PER_PAGE),
        bulk=_bulk_form(actions, services.sections_for_actions(current_user, school_id) if manage else []),
        can_invite=current_user.can("users.invite"),
    )


def _bulk_args():
    return (
        request.form.get("action", ""),
        request.form.getlist("user_ids"),
        _int(request.form.get("section_id")),
        _int(request.form.get("from_section_id")),
    )


def _back_url(from_section_id: int | None) -> str:
    if from_section_id:
        return url_for("rosters.show_section", section_id=from_section_id)
    return url_for("rosters.list_people")


@bp.post("/people/bulk")
@login_required
def confirm_bulk():
    action, ids, section_id, from_section_id = _bulk_args()
    try:
        plan = services.plan_bulk(current_user, action, ids, section_id, from_section_id)
        error = None
    except Invalid as invalid:
        plan, error = None, str(invalid)
    return render(
        "rosters/bulk_confirm.html",
        block="confirm",
        plan=plan,
        error=error,
        back_url=_back_url(from_section_id),
        from_section_id=from_section_id,
        status=422 if error else 200,
    )


@bp.post("/people/bulk/apply")
@login_required
def apply_bulk():
    action, ids, section_id, from_section_id = _bulk_args()
    try:
        if action == "export":
            lines = services.export_people_csv(current_user, ids, from_section_id)
            return Response(
                lines,  # rows are read already; the generator needs no request context
                mimetype="text/csv",
                headers={"Content-Disposition": 'attachment; filename="people.csv"'},
            )
        message = services.apply_bulk(current_user, action, ids, section_id, from_section_id)
    except Invalid as invalid:
        return render(
            "rosters/bulk_confirm.html",
            block="confirm",
            plan=None,
            error=str(invalid),
            back_url=_back_url(from_section_id),
            from_section_id=from_section_id,
            status=422,
        )
    return redirect_to(_back_url(from_section_id), toast=message)


@bp.get("/sections/mine")
@login_required
def my_sections():
    return render("rosters/my_sections.html", rows=services.my_sections(current_user))


@bp.get("/sections/<int:section_id>")
@login_required
def show_section(section_id: int):
    roster = services.section_roster(current_user, section_id)
    actions = ("move", "drop", "export") if roster.can_edit else ("export",)
    sections = [
        row
        for row in services.sections_for_actions(current_user, roster.section.section.school_id)
        if row.section.id != section_id
    ]
    return render("rosters/roster.html", block="roster", roster=roster, bulk=_bulk_form(actions, sections))


@bp.get("/students/mine")
@login_required
def my_students():
    return render("rosters/my_students.html", rows=services.my_students(current_user))


def _student_page(student_id: int, link_form=None, rights_form=None, new_link_form=None, status=200):
    detail = services.student_detail(current_user, student_id)
    new_link_form = new_link_form or NewGuardianLinkForm(
        formdata=None,
        prefix="new",
        relationship="parent",
        has_custody=True,
        is_emergency_contact=True,
        can_see_grades=True,
        lives_with=True,
    )
    rights_form = rights_form or RightsForm(formdata=None, holds_own_rights=detail.student.holds_own_rights)
    link_forms = {
        guardian.id: GuardianLinkForm(formdata=None, obj=link, prefix=f"g{guardian.id}")
        for guardian, link in detail.guardians
    }
    if link_form is not None:
        link_forms[int(link_form._prefix.strip("g-"))] = link_form
    return render(
        "rosters/student.html",
        detail=detail,
        rights_form=rights_form,
        link_forms=link_forms,
        new_link_form=new_link_form,
        status=status,
    )


@bp.get("/students/<int:student_id>")
@login_required
def show_student(student_id: int):
    return _student_page(student_id)


@bp.post("/students/<int:student_id>/rights")
@login_required
def set_rights(student_id: int):
    form = RightsForm()
    if form.validate_on_submit():
        services.set_holds_own_rights(current_user, student_id, form.holds_own_rights.data)
        return redirect_to(url_for("rosters.show_student", student_id=student_id), toast=_("Saved."))
    return _student_page(student_id, rights_form=form, status=422)


@bp.post("/students/<int:student_id>/guardians/<int:guardian_id>")
@login_required
def save_guardian_link(student_id: int, guardian_id: int):
    form = GuardianLinkForm(prefix=f"g{guardian_id}")
    if form.validate_on_submit():
        try:
            services.link_guardian(
                current_user,
                guardian_id,
                student_id,
                form.relationship.data,
                has_custody=form.has_custody.data,
                is_emergency_contact=form.is_emergency_contact.data,
                can_see_grades=form.can_see_grades.data,
                lives_with=form.lives_with.data,
            )
            return redirect_to(url_for("rosters.show_student", student_id=student_id), toast=_("Saved."))
        except Invalid as error:
            form.form_errors.append(str(error))
    return _student_page(student_id, link_form=form, status=422)


@bp.post("/students/<int:student_id>/guardians")
@login_required
def add_guardian_link(student_id: int):
    form = NewGuardianLinkForm(prefix="new")
    if form.validate_on_submit():
        try:
            services.link_guardian_by_email(
                current_user,
                student_id,
                form.email.data,
                form.relationship.data,
                has_custody=form.has_custody.data,
                is_emergency_contact=form.is_emergency_contact.data,
                can_see_grades=form.can_see_grades.data,
                lives_with=form.lives_with.data,
            )
            return redirect_to(url_for("rosters.show_student", student_id=student_id), toast=_("Guardian linked."))
        except Invalid as error:
            copy_errors(form, error)
    return _student_page(student_id, new_link_form=form, status=422)


@bp.post("/students/<int:student_id>/guardians/<int:guardian_id>/remove")
@login_required
def remove_guardian_link(student_id: int, guardian_id: int):
    services.unlink_guardian(current_user, guardian_id, student_id)
    return redirect_to(url_for("rosters.show_student", student_id=student_id), toast=_("Guardian link removed."))
