"""School structure pages for admins: schools, years and terms, courses, the school calendar."""

from __future__ import annotations

from datetime import date

from babel.dates import format_interval
from flask import Blueprint, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.org import services
from app.org.forms import CourseForm, DayOffForm, ScheduleForm, SchoolForm, TermForm, YearForm
from app.org.policy import can_edit_school, can_manage_structure
from app.ui.context import NavEntry
from app.ui.formflow import form_status, submit
from app.ui.params import int_arg, to_int
from app.ui.render import is_fragment_request, redirect_to, render

bp = Blueprint("org", __name__, url_prefix="/org")
NAV = (NavEntry(60, "org.list_years", _l("School year"), can_manage_structure),)


@bp.app_template_filter("grade")
def _grade(value) -> str:
    return services.grade_label(to_int(value) if isinstance(value, str) else value)


@bp.app_template_filter("weekday")
def _weekday(value: int, width: str = "wide") -> str:
    return services.weekday_name(value, width)


@bp.app_template_filter("month")
def _month(value) -> str:
    return format_date(value, "MMMM y") if value else ""


@bp.app_template_filter("day_range")
def _day_range(starts_on, ends_on) -> str:
    """ "Nov 25 - 27, 2026" (with an en dash), or one day as the `day` filter writes it."""
    if not ends_on or ends_on == starts_on:
        return format_date(starts_on, "medium")
    return format_interval(starts_on, ends_on, "yMMMd", locale=get_locale() or "en")


@bp.app_template_filter("day_off_kind")
def _day_off_kind(value: str) -> str:
    return str(services.DAY_OFF_KINDS.get(value, value))


@bp.app_template_filter("rotation_day")
def _rotation_day(value: str) -> str:
    return services.rotation_day_name(value) if value else ""


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


# The school calendar


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat((request.args.get(name) or "")[:10])
    except ValueError:
        return None


def _day_off_form(formdata=None) -> DayOffForm:
    form = DayOffForm(formdata=formdata)
    form.kind.choices = [(kind, str(label)) for kind, label in services.DAY_OFF_KINDS.items()]
    form.scope.choices = [("school", _("This school only")), ("district", _("Every school of the district"))]
    return form


def _schedule_form(school, formdata=None) -> ScheduleForm:
    form = ScheduleForm(
        formdata=formdata,
        weekdays=sorted(school.instructional_weekdays),
        rotation=school.rotation,
        rotation_days=school.rotation_days,
    )
    form.weekdays.choices = [(n, services.weekday_name(n)) for n in (1, 2, 3, 4, 5, 6, 7)]
    form.rotation.choices = [(key, str(label)) for key, label in services.ROTATIONS.items()]
    return form


def _calendar_page(school_id: int, day_form=None, schedule_form=None, status=200, toast=None, on=None):
    data = services.calendar_overview(current_user, school_id, int_arg("year"), int_arg("term"), on or _date_arg("on"))
    return render(
        "org/calendar/show.html",
        block="calendar",
        day_form=day_form or _day_off_form(),
        schedule_form=schedule_form or _schedule_form(data["school"]),
        status=status,
        toast=toast,
        **data,
    )


def _calendar_saved(school_id: int, toast: str, on: date | None = None):
    """HTMX: the calendar region again, with the toast; without JavaScript: back to the page (303)."""
    if is_fragment_request():
        return _calendar_page(school_id, toast=toast, on=on)
    if on is not None:
        return redirect_to(url_for("org.show_calendar", school_id=school_id, on=on.isoformat()), toast=toast)
    back = url_for("org.show_calendar", school_id=school_id, year=int_arg("year"), term=int_arg("term"))
    return redirect_to(back, toast=toast)


@bp.get("/schools/<int:school_id>/calendar")
@login_required
def show_calendar(school_id: int):
    return _calendar_page(school_id)


@bp.post("/schools/<int:school_id>/calendar/days-off")
@login_required
def add_day_off(school_id: int):
    form = _day_off_form(request.form)
    outcome = submit(
        form,
        lambda: services.add_day_off(
            current_user,
            school_id,
            form.starts_on.data,
            form.ends_on.data,
            form.kind.data,
            form.name.data,
            district_wide=form.scope.data == "district",
        ),
    )
    if outcome.done:
        entry = outcome.value
        return _calendar_saved(school_id, _("%(name)s added to the calendar.", name=entry.name), on=entry.starts_on)
    return _calendar_page(school_id, day_form=form, status=form_status(form))


@bp.post("/schools/<int:school_id>/calendar/days-off/<int:day_off_id>/remove")
@login_required
def remove_day_off(school_id: int, day_off_id: int):
    entry = services.remove_day_off(current_user, school_id, day_off_id)
    return _calendar_saved(school_id, _("%(name)s removed from the calendar.", name=entry.name))


@bp.post("/schools/<int:school_id>/calendar/schedule")
@login_required
def save_schedule(school_id: int):
    school = services.get_school(current_user, school_id)
    form = _schedule_form(school, request.form)
    outcome = submit(
        form,
        lambda: services.set_school_schedule(
            current_user, school.id, form.weekdays.data, form.rotation.data, form.rotation_days.data
        ),
    )
    if outcome.done:
        return _calendar_saved(school.id, _("School days and rotation saved."))
    return _calendar_page(school.id, schedule_form=form, status=form_status(form))
