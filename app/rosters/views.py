"""Roster pages: my sections and a section's roster, the people directory with bulk actions, student records,
guardian links, and the admin pages that create and edit sections."""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.accounts import services as accounts
from app.errors import Invalid
from app.rosters import policy, services
from app.rosters.forms import (
    RELATIONSHIP_LABELS,
    BulkForm,
    DirectoryFilterForm,
    GuardianLinkForm,
    NewGuardianLinkForm,
    RightsForm,
    SectionForm,
)
from app.ui.context import NavEntry
from app.ui.formflow import form_status, submit
from app.ui.pagination import page_of
from app.ui.params import int_arg, page_arg, to_int
from app.ui.render import redirect_to, render

bp = Blueprint("rosters", __name__, url_prefix="/rosters")
NAV = (
    NavEntry(10, "rosters.my_sections", _l("My sections"), policy.can_teach),
    NavEntry(20, "rosters.my_students", _l("My students"), accounts.can_view_own_students),
    NavEntry(30, "rosters.list_people", _l("People"), accounts.can_view_people),
)


@bp.app_template_filter("relationship")
def _relationship_filter(value):
    return str(RELATIONSHIP_LABELS.get(value, value))


def _bulk_form(actions, sections) -> BulkForm:
    form = BulkForm(formdata=None)
    form.fill_choices(actions, sections)
    return form


# The directory and bulk actions


@bp.get("/people")
@login_required
def list_people():
    form = DirectoryFilterForm(request.args)
    page = page_arg()
    school_id = to_int(request.args.get("school_id"))
    directory = accounts.search_people(
        current_user,
        q=(form.q.data or "")[:100],
        role=request.args.get("role", "")[:20],
        school_id=school_id,
        grade=to_int(request.args.get("grade")),
        page=page,
    )
    form.fill_choices(directory.schools)
    manage = policy.can_manage_rosters(current_user)
    actions = ("enroll", "deactivate", "export") if manage else ("export",)
    return render(
        "rosters/people/list.html",
        block="results",
        form=form,
        directory=directory,
        page=page_of(directory.total, page, accounts.PER_PAGE),
        bulk=_bulk_form(actions, services.sections_for_actions(current_user, school_id) if manage else []),
        can_invite=accounts.can_invite_users(current_user),
    )


def _bulk_args():
    return (
        request.form.get("action", ""),
        request.form.getlist("user_ids"),
        to_int(request.form.get("section_id")),
        to_int(request.form.get("from_section_id")),
    )


def _back_url(from_section_id: int | None) -> str:
    if from_section_id:
        return url_for("rosters.show_section", section_id=from_section_id)
    return url_for("rosters.list_people")


def _confirm(plan, error, from_section_id):
    return render(
        "rosters/people/confirm.html",
        block="confirm",
        plan=plan,
        error=error,
        back_url=_back_url(from_section_id),
        from_section_id=from_section_id,
        status=422 if error else 200,
    )


@bp.post("/people/bulk")
@login_required
def confirm_bulk():
    action, ids, section_id, from_section_id = _bulk_args()
    try:
        return _confirm(
            services.plan_bulk(current_user, action, ids, section_id, from_section_id), None, from_section_id
        )
    except Invalid as invalid:
        return _confirm(None, str(invalid), from_section_id)


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
        return _confirm(None, str(invalid), from_section_id)
    return redirect_to(_back_url(from_section_id), toast=message)


# Sections and rosters


@bp.get("/sections/mine")
@login_required
def my_sections():
    return render("rosters/sections/mine.html", rows=services.my_sections(current_user))


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
    return render(
        "rosters/sections/show.html",
        block="roster",
        roster=roster,
        bulk=_bulk_form(actions, sections),
        can_teach=policy.can_teach(current_user),
    )


@bp.get("/schools/<int:school_id>/sections")
@login_required
def list_school_sections(school_id: int):
    page = page_arg()
    data = services.school_sections(current_user, school_id, int_arg("year"), int_arg("term"), page)
    return render(
        "rosters/sections/list.html", block="results", page=page_of(data["total"], page, data["per_page"]), **data
    )


def _section_form(school_id: int, formdata=None, **values) -> tuple[SectionForm, object]:
    choices = services.section_choices(current_user, school_id)
    form = SectionForm(formdata=formdata, **values)
    form.course_id.choices = [("", _("Choose a course"))] + [
        (c.id, f"{c.code} · {c.name} ({year_name})") for c, year_name in choices["courses"]
    ]
    form.term_id.choices = [("", _("Choose a term"))] + [
        (t.id, f"{t.name} ({year_name})") for t, year_name in choices["terms"]
    ]
    form.teacher_ids.choices = [(t.id, t.display_name) for t in choices["teachers"]]
    form.fill_meeting_choices(choices["schedule"])
    return form, choices["school"]


def _section_values(form: SectionForm) -> tuple:
    data = form.data
    meets = data["meets"]
    return (
        data["course_id"],
        data["term_id"],
        data["teacher_ids"] or [],
        data["name"],
        data["period"],
        data["room"],
        meets,
        (data["rotation_days"] if meets == "rotation" else data["weekdays"]) or [],
    )


def _meeting_values(section) -> dict:
    days = list(section.meeting_days or [])
    rotation = section.meeting_pattern == "rotation"
    return {
        "meets": section.meeting_pattern,
        "rotation_days": days if rotation else [],
        "weekdays": days if section.meeting_pattern == "weekdays" else [],
    }


@bp.route("/schools/<int:school_id>/sections/new", methods=["GET", "POST"])
@login_required
def new_section(school_id: int):
    posted = request.form if request.method == "POST" else None
    form, school = _section_form(school_id, posted, course_id=int_arg("course"))
    outcome = submit(form, lambda: services.create_section(current_user, school.id, *_section_values(form)))
    if outcome.done:
        return redirect_to(
            url_for("rosters.list_school_sections", school_id=school.id),
            toast=_("Section %(name)s added.", name=outcome.value.name),
        )
    return render(
        "rosters/sections/edit.html",
        block="section_form",
        form=form,
        school=school,
        details=None,
        status=form_status(form),
    )


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
@login_required
def edit_section(section_id: int):
    details = services.section_details(current_user, section_id)
    section = details["section"]
    form, school = _section_form(
        section.school_id,
        request.form if request.method == "POST" else None,
        course_id=section.course_id,
        term_id=section.term_id,
        teacher_ids=details["teacher_ids"],
        name=section.name,
        period=section.period,
        room=section.room,
        **_meeting_values(section),
    )
    outcome = submit(form, lambda: services.update_section(current_user, section.id, *_section_values(form)))
    if outcome.done:
        return redirect_to(url_for("rosters.list_school_sections", school_id=school.id), toast=_("Section saved."))
    return render(
        "rosters/sections/edit.html",
        block="section_form",
        form=form,
        school=school,
        details=details,
        status=form_status(form),
    )


# Students and guardian links


@bp.get("/students/mine")
@login_required
def my_students():
    return render("rosters/students/mine.html", rows=accounts.my_students(current_user))


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
        for guardian, link, _sees in detail.guardians
    }
    if link_form is not None:
        link_forms[int(link_form._prefix.strip("g-"))] = link_form
    return render(
        "rosters/students/show.html",
        detail=detail,
        rights_form=rights_form,
        link_forms=link_forms,
        new_link_form=new_link_form,
        can_view_people=accounts.can_view_people(current_user),
        status=status,
    )


def _back_to_student(student_id: int, toast: str):
    return redirect_to(url_for("rosters.show_student", student_id=student_id), toast=toast)


@bp.get("/students/<int:student_id>")
@login_required
def show_student(student_id: int):
    return _student_page(student_id)


@bp.post("/students/<int:student_id>/rights")
@login_required
def set_rights(student_id: int):
    form = RightsForm()
    if submit(form, lambda: accounts.set_holds_own_rights(current_user, student_id, form.holds_own_rights.data)).done:
        return _back_to_student(student_id, _("Saved."))
    return _student_page(student_id, rights_form=form, status=422)


def _link_flags(form) -> dict:
    return {
        "has_custody": form.has_custody.data,
        "is_emergency_contact": form.is_emergency_contact.data,
        "can_see_grades": form.can_see_grades.data,
        "lives_with": form.lives_with.data,
    }


@bp.post("/students/<int:student_id>/guardians/<int:guardian_id>")
@login_required
def save_guardian_link(student_id: int, guardian_id: int):
    form = GuardianLinkForm(prefix=f"g{guardian_id}")

    def action():
        return accounts.link_guardian(
            current_user, guardian_id, student_id, form.relationship.data, **_link_flags(form)
        )

    if submit(form, action).done:
        return _back_to_student(student_id, _("Saved."))
    return _student_page(student_id, link_form=form, status=422)


@bp.post("/students/<int:student_id>/guardians")
@login_required
def add_guardian_link(student_id: int):
    form = NewGuardianLinkForm(prefix="new")

    def action():
        return accounts.link_guardian_by_email(
            current_user, student_id, form.email.data, form.relationship.data, **_link_flags(form)
        )

    if submit(form, action).done:
        return _back_to_student(student_id, _("Guardian linked."))
    return _student_page(student_id, new_link_form=form, status=422)


@bp.post("/students/<int:student_id>/guardians/<int:guardian_id>/remove")
@login_required
def remove_guardian_link(student_id: int, guardian_id: int):
    accounts.unlink_guardian(current_user, guardian_id, student_id)
    return _back_to_student(student_id, _("Guardian link removed."))
