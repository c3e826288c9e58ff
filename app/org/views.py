"""School structure pages for admins: schools, years and terms, courses, sections, and the year rollover."""

from __future__ import annotations

from flask import Blueprint, has_request_context, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors import Invalid, copy_errors
from app.org import services
from app.org.forms import CourseForm, RolloverForm, SchoolForm, SectionForm, TermForm, YearForm
from app.org.policy import can_edit_school, can_run_rollover
from app.ui.pagination import page_of
from app.ui.params import int_arg, to_int
from app.ui.render import redirect_to, render

bp = Blueprint("org", __name__)


@bp.app_template_filter("day")
def _day(value) -> str:
    return format_date(value, "medium") if value else ""


@bp.app_template_filter("grade_label")
def _grade_label(value) -> str:
    return services.grade_label(None if value in (None, "") else int(value))


@bp.app_context_processor
def _org_context() -> dict:
    # The structure pages' sub-navigation shows the rollover link to those who may run it.
    user = current_user if has_request_context() else None
    return {"org_can_rollover": bool(getattr(user, "is_authenticated", False) and can_run_rollover(user))}


def _status(form) -> int:
    return 422 if form.errors or form.form_errors else 200


def _arg_int(name: str) -> int | None:
    return int_arg(name)


def _grade_options(with_blank: bool = False) -> list:
    options = [(g, label) for g, label in services.grade_choices()]
    return [("", _("Any")), *options] if with_blank else options


# Schools


@bp.get("/admin/schools")
@login_required
def list_schools():
    schools = services.managed_schools(current_user)
    return render("org/schools.html", schools=schools, can_edit=can_edit_school(current_user))


@bp.route("/admin/schools/<int:school_id>/edit", methods=["GET", "POST"])
@login_required
def edit_school(school_id: int):
    school = services.get_editable_school(current_user, school_id)
    form = SchoolForm(obj=school)
    form.grade_low.choices = form.grade_high.choices = _grade_options()
    if form.validate_on_submit():
        try:
            services.update_school(
                current_user, school.id, form.name.data, form.code.data, form.grade_low.data, form.grade_high.data
            )
            return redirect_to(url_for("org.list_schools"), toast=_("School saved."))
        except Invalid as error:
            copy_errors(form, error)
    return render("org/school_form.html", block="school_form", form=form, school=school, status=_status(form))


# Years and terms


@bp.route("/admin/years", methods=["GET", "POST"])
@login_required
def list_years():
    form = YearForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            year = services.create_year(
                current_user, form.name.data, form.starts_on.data, form.ends_on.data, form.is_current.data
            )
            return redirect_to(
                url_for("org.show_year", year_id=year.id), toast=_("Year %(name)s added.", name=year.name)
            )
        except Invalid as error:
            copy_errors(form, error)
    data = services.years_overview(current_user)
    block = "year_form" if request.method == "POST" else None
    return render("org/years.html", block=block, form=form, **data, status=_status(form))


@bp.route("/admin/years/<int:year_id>", methods=["GET", "POST"])
@login_required
def show_year(year_id: int):
    form = TermForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            term = services.create_term(current_user, year_id, form.name.data, form.starts_on.data, form.ends_on.data)
            return redirect_to(
                url_for("org.show_year", year_id=year_id), toast=_("Term %(name)s added.", name=term.name)
            )
        except Invalid as error:
            copy_errors(form, error)
    data = services.year_overview(current_user, year_id)
    block = "term_form" if request.method == "POST" else None
    return render("org/year.html", block=block, form=form, **data, status=_status(form))


@bp.route("/admin/years/<int:year_id>/edit", methods=["GET", "POST"])
@login_required
def edit_year(year_id: int):
    year = services.get_year(current_user, year_id)
    form = YearForm(obj=year)
    if form.validate_on_submit():
        try:
            services.update_year(current_user, year.id, form.name.data, form.starts_on.data, form.ends_on.data)
            return redirect_to(url_for("org.show_year", year_id=year.id), toast=_("Year saved."))
        except Invalid as error:
            copy_errors(form, error)
    return render("org/year_form.html", block="year_form", form=form, year=year, status=_status(form))


@bp.post("/admin/years/<int:year_id>/current")
@login_required
def make_current_year(year_id: int):
    year = services.set_current_year(current_user, year_id)
    return redirect_to(url_for("org.list_years"), toast=_("%(name)s is now the current year.", name=year.name))


@bp.route("/admin/terms/<int:term_id>/edit", methods=["GET", "POST"])
@login_required
def edit_term(term_id: int):
    term = services.get_term(current_user, term_id)
    form = TermForm(obj=term)
    if form.validate_on_submit():
        try:
            services.update_term(current_user, term.id, form.name.data, form.starts_on.data, form.ends_on.data)
            return redirect_to(url_for("org.show_year", year_id=term.academic_year_id), toast=_("Term saved."))
        except Invalid as error:
            copy_errors(form, error)
    return render("org/term_form.html", block="term_form", form=form, term=term, status=_status(form))


# Courses


@bp.route("/admin/schools/<int:school_id>/courses", methods=["GET", "POST"])
@login_required
def list_courses(school_id: int):
    year_id = _arg_int("year") or to_int(request.form.get("year_id"))
    form = CourseForm(formdata=request.form if request.method == "POST" else None)
    form.grade_low.choices = form.grade_high.choices = _grade_options(with_blank=True)
    if request.method == "POST" and form.validate_on_submit():
        try:
            course = services.create_course(
                current_user,
                school_id,
                year_id,
                form.code.data,
                form.name.data,
                form.subject.data,
                form.grade_low.data,
                form.grade_high.data,
            )
            return redirect_to(
                url_for("org.list_courses", school_id=school_id, year=year_id),
                toast=_("Course %(code)s added.", code=course.code),
            )
        except Invalid as error:
            copy_errors(form, error)
    data = services.courses_overview(current_user, school_id, year_id)
    block = "course_form" if request.method == "POST" else None
    return render("org/courses.html", block=block, form=form, **data, status=_status(form))


@bp.route("/admin/courses/<int:course_id>/edit", methods=["GET", "POST"])
@login_required
def edit_course(course_id: int):
    course = services.get_course(current_user, course_id)
    form = CourseForm(obj=course)
    form.grade_low.choices = form.grade_high.choices = _grade_options(with_blank=True)
    if form.validate_on_submit():
        try:
            services.update_course(
                current_user,
                course.id,
                form.code.data,
                form.name.data,
                form.subject.data,
                form.grade_low.data,
                form.grade_high.data,
            )
            back = url_for("org.list_courses", school_id=course.school_id, year=course.academic_year_id)
            return redirect_to(back, toast=_("Course saved."))
        except Invalid as error:
            copy_errors(form, error)
    return render("org/course_form.html", block="course_form", form=form, course=course, status=_status(form))


# Sections


@bp.get("/admin/schools/<int:school_id>/sections")
@login_required
def list_sections(school_id: int):
    page = max(1, _arg_int("page") or 1)
    data = services.sections_overview(current_user, school_id, _arg_int("year"), _arg_int("term"), page)
    return render(
        "org/sections.html",
        block="results",
        page=page_of(data["total"], page, data["per_page"]),
        **data,
    )


def _section_form(school_id: int, formdata=None, **values) -> SectionForm:
    choices = services.section_choices(current_user, school_id)
    form = SectionForm(formdata=formdata, **values)
    form.course_id.choices = [("", _("Choose a course"))] + [
        (c.id, f"{c.code} · {c.name} ({year_name})") for c, year_name in choices["courses"]
    ]
    form.term_id.choices = [("", _("Choose a term"))] + [
        (t.id, f"{t.name} ({year_name})") for t, year_name in choices["terms"]
    ]
    form.teacher_ids.choices = [(t.id, t.display_name) for t in choices["teachers"]]
    return form


@bp.route("/admin/schools/<int:school_id>/sections/new", methods=["GET", "POST"])
@login_required
def new_section(school_id: int):
    school = services.get_school(current_user, school_id)
    form = _section_form(school.id, request.form if request.method == "POST" else None, course_id=_arg_int("course"))
    if request.method == "POST" and form.validate_on_submit():
        try:
            section = services.create_section(
                current_user,
                school.id,
                form.course_id.data,
                form.term_id.data,
                form.teacher_ids.data or [],
                form.name.data,
                form.period.data,
                form.room.data,
            )
            return redirect_to(
                url_for("org.list_sections", school_id=school.id), toast=_("Section %(name)s added.", name=section.name)
            )
        except Invalid as error:
            copy_errors(form, error)
    return render(
        "org/section_form.html", block="section_form", form=form, school=school, details=None, status=_status(form)
    )


@bp.route("/admin/sections/<int:section_id>", methods=["GET", "POST"])
@login_required
def edit_section(section_id: int):
    details = services.section_details(current_user, section_id)
    section = details["section"]
    school = services.get_school(current_user, section.school_id)
    posted = request.method == "POST"
    form = _section_form(
        school.id,
        request.form if posted else None,
        course_id=section.course_id,
        term_id=section.term_id,
        teacher_ids=details["teacher_ids"],
        name=section.name,
        period=section.period,
        room=section.room,
    )
    if posted and form.validate_on_submit():
        try:
            services.update_section(
                current_user,
                section.id,
                form.course_id.data,
                form.term_id.data,
                form.teacher_ids.data or [],
                form.name.data,
                form.period.data,
                form.room.data,
            )
            return redirect_to(url_for("org.list_sections", school_id=school.id), toast=_("Section saved."))
        except Invalid as error:
            copy_errors(form, error)
    return render(
        "org/section_form.html", block="section_form", form=form, school=school, details=details, status=_status(form)
    )


# Rollover


@bp.route("/admin/rollover", methods=["GET", "POST"])
@login_required
def new_rollover():
    years = services.rollover_year_choices(current_user)
    form = RolloverForm()
    form.from_year_id.choices = form.to_year_id.choices = [("", _("Choose a year"))] + [(y.id, y.name) for y in years]
    if form.validate_on_submit():
        try:
            rollover = services.start_rollover(current_user, form.from_year_id.data, form.to_year_id.data)
            return redirect_to(url_for("org.show_rollover", rollover_id=rollover.id))
        except Invalid as error:
            copy_errors(form, error)
    return render(
        "org/rollover_new.html",
        block="rollover_form",
        form=form,
        rollovers=services.list_rollovers(current_user),
        years={y.id: y for y in years},
        status=_status(form),
    )


@bp.get("/admin/rollovers/<int:rollover_id>")
@login_required
def show_rollover(rollover_id: int):
    return render("org/rollover.html", block="rollover", **services.rollover_details(current_user, rollover_id))


def _rollover_action(rollover_id: int, action, toast: str):
    try:
        action(current_user, rollover_id)
    except Invalid as error:
        data = services.rollover_details(current_user, rollover_id)
        return render("org/rollover.html", block="rollover", error=error.fields.get(""), **data, status=422)
    return redirect_to(url_for("org.show_rollover", rollover_id=rollover_id), toast=toast)


@bp.post("/admin/rollovers/<int:rollover_id>/apply")
@login_required
def apply_rollover(rollover_id: int):
    return _rollover_action(rollover_id, services.apply_rollover, _("The rollover is being applied."))


@bp.post("/admin/rollovers/<int:rollover_id>/revert")
@login_required
def revert_rollover(rollover_id: int):
    return _rollover_action(rollover_id, services.revert_rollover, _("The rollover is being reverted."))


@bp.post("/admin/rollovers/<int:rollover_id>/confirm")
@login_required
def confirm_rollover(rollover_id: int):
    return _rollover_action(rollover_id, services.confirm_rollover, _("The rollover is confirmed."))
