"""The data registry page (generated from the schema's annotations)."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.compliance import services
from app.compliance.views.blueprint import bp
from app.errors import Invalid
from app.ui.render import redirect_to, render


@bp.get("/registry")
@login_required
def show_registry():
    return render("compliance/registry/show.html", page=services.registry_page(current_user))


@bp.get("/students/<int:student_id>")
@login_required
def show_student_records(student_id: int):
    return render("compliance/students/show.html", page=services.student_records(current_user, student_id))


@bp.post("/students/<int:student_id>/holds")
@login_required
def place_hold(student_id: int):
    try:
        services.place_hold(current_user, student_id, request.form.get("reason", "")[:500])
    except Invalid as invalid:
        return redirect_to(url_for("compliance.show_student_records", student_id=student_id), toast=str(invalid))
    return redirect_to(url_for("compliance.show_student_records", student_id=student_id), toast=_("Hold placed."))


@bp.post("/students/<int:student_id>/holds/<int:hold_id>/release")
@login_required
def release_hold(student_id: int, hold_id: int):
    services.release_hold(current_user, hold_id)
    return redirect_to(url_for("compliance.show_student_records", student_id=student_id), toast=_("Hold released."))
