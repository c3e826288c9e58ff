"""School structure pages for admins: schools, years and terms, courses."""

from __future__ import annotations

from flask import Blueprint, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.org import services
from app.org.forms import CourseForm, SchoolForm, TermForm, YearForm
from app.org.policy import can_edit_school, can_manage_structure
from app.ui.context import NavEntry
from app.ui.formflow import form_status, submit
from app.ui.params import int_arg, to_int
from app.ui.render import redirect_to, render

bp = Blueprint("org", __name__, url_prefix="/org")
NAV = (NavEntry(60, "org.list_years", _l("School year"), can_manage_structure),)


@bp.app_template_filter("grade")
def _grade(value) -> str:
    return services.grade_label(to_int(value) if isinstance(value, str) else value)


def _grade_options(with_blank: bool = False) -> list:
    options = services.grade_choices()
    return [("", _("Any")), *options] if with_blank else options


def _posted():
    return request.form if request.method == "POST" else None


# Schools


@bp.get("/schools")
@login_required
def list_schools():
    schools = services.managed_schools(current_user)
    return render("org/schools/list.html", schools=schools, can_edit=can_edit_school(current_user))


@bp.route("/schools/<int:school_id>/edit", methods=["GET", "POST"])
@login_required
def edit_school(school_id: int):
    school = services.get_editable_school(current_user, school_id)
    form = SchoolForm(obj=school)
    form.grade_low.choices = form.grade_high.choices = _grade_options()
    outcome = submit(
        form,
        lambda: services.update_school(
            current_user, school.id, form.name.data, form.code.data, form.grade_low.data, form.grade_high.data
        ),
    )
    if outcome.done:
        return redirect_to(url_for("org.list_schools"), toast=_("School saved."))
    return render("org/schools/edit.html", block="school_form", form=form, school=school, status=form_status(form))


# Years and terms


@bp.route("/years", methods=["GET", "POST"])
@login_required
def list_years():
    form = YearForm(formdata=_posted())
    outcome = submit(
        form,
        lambda: services.create_year(
            current_user, form.name.data, form.starts_on.data, form.ends_on.data, form.is_current.data
        ),
    )
    if outcome.done:
        year = outcome.value
        return redirect_to(url_for("org.show_year", year_id=year.id), toast=_("Year %(name)s added.", name=year.name))
    data = services.years_overview(current_user)
    block = "year_form" if request.method == "POST" else None
    return render("org/years/list.html", block=block, form=form, **data, status=form_status(form))


@bp.route("/years/<int:year_id>", methods=["GET", "POST"])
@login_required
def show_year(year_id: int):
    form = TermForm(formdata=_posted())
    outcome = submit(
        form,
        lambda: services.create_term(current_user, year_id, form.name.data, form.starts_on.data, form.ends_on.data),
    )
    if outcome.done:
        return redirect_to(
            url_for("org.show_year", year_id=year_id), toast=_("Term %(name)s added.", name=outcome.value.name)
        )
    data = services.year_overview(current_user, year_id)
    block = "term_form" if request.method == "POST" else None
    return render("org/years/show.html", block=block, form=form, **data, status=form_status(form))


@bp.route("/years/<int:year_id>/edit", methods=["GET", "POST"])
@login_required
def edit_year(year_id: int):
    year = services.get_year(current_user, year_id)
    form = YearForm(obj=year)
    outcome = submit(
        form,
        lambda: services.update_year(current_user, year.id, form.name.data, form.starts_on.data, form.ends_on.data),
    )
    if outcome.done:
        return redirect_to(url_for("org.show_year", year_id=year.id), toast=_("Year saved."))
    return render("org/years/edit.html", block="year_form", form=form, year=year, status=form_status(form))


@bp.post("/years/<int:year_id>/current")
@login_required
def make_current_year(year_id: int):
    year = services.set_current_year(current_user, year_id)
    return redirect_to(url_for("org.list_years"), toast=_("%(name)s is now the current year.", name=year.name))


@bp.route("/terms/<int:term_id>/edit", methods=["GET", "POST"])
@login_required
def edit_term(term_id: int):
    term = services.get_term(current_user, term_id)
    form = TermForm(obj=term)
    outcome = submit(
        form,
        lambda: services.update_term(current_user, term.id, form.name.data, form.starts_on.data, form.ends_on.data),
    )
    if outcome.done:
        return redirect_to(url_for("org.show_year", year_id=term.academic_year_id), toast=_("Term saved."))
    return render("org/terms/edit.html", block="term_form", form=form, term=term, status=form_status(form))


# Courses


@bp.route("/schools/<int:school_id>/courses", methods=["GET", "POST"])
@login_required
def list_courses(school_id: int):
    year_id = int_arg("year") or to_int(request.form.get("year_id"))
    form = CourseForm(formdata=_posted())
    form.grade_low.choices = form.grade_high.choices = _grade_options(with_blank=True)
    outcome = submit(
        form,
        lambda: services.create_course(
            current_user,
            school_id,
            year_id,
            form.code.data,
            form.name.data,
            form.subject.data,
            form.grade_low.data,
            form.grade_high.data,
        ),
    )
    if outcome.done:
        return redirect_to(
            url_for("org.list_courses", school_id=school_id, year=year_id),
            toast=_("Course %(code)s added.", code=outcome.value.code),
        )
    data = services.courses_overview(current_user, school_id, year_id)
    block = "course_form" if request.method == "POST" else None
    return render("org/courses/list.html", block=block, form=form, **data, status=form_status(form))


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@login_required
def edit_course(course_id: int):
    course = services.get_course(current_user, course_id)
    form = CourseForm(obj=course)
    form.grade_low.choices = form.grade_high.choices = _grade_options(with_blank=True)
    outcome = submit(
        form,
        lambda: services.update_course(
            current_user,
            course.id,
            form.code.data,
            form.name.data,
            form.subject.data,
            form.grade_low.data,
            form.grade_high.data,
        ),
    )
    if outcome.done:
        back = url_for("org.list_courses", school_id=course.school_id, year=course.academic_year_id)
        return redirect_to(back, toast=_("Course saved."))
    return render("org/courses/edit.html", block="course_form", form=form, course=course, status=form_status(form))
