"""Retention rules and sweeps: the dry run shows exactly what the real run would delete."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.compliance import services
from app.compliance.forms import RetentionRuleForm
from app.compliance.views.blueprint import bp
from app.ui.formflow import form_status, submit
from app.ui.render import redirect_to, render


def _page(form=None, status: int = 200):
    rules, groups, recent = services.retention_page(current_user)
    form = form or RetentionRuleForm(formdata=None)
    form.data_group.choices = [(group, group) for group in groups]
    return render("compliance/retention/show.html", form=form, rules=rules, recent=recent, status=status)


@bp.get("/retention")
@login_required
def show_retention():
    return _page()


@bp.post("/retention/rules")
@login_required
def save_retention_rule():
    services.retention_page(current_user)
    form = RetentionRuleForm()
    form.data_group.choices = [(group, group) for group in services.registry().groups]
    action = lambda: services.set_rule(current_user, form.data_group.data, form.years_after_leaving.data)  # noqa: E731
    if submit(form, action).done:
        return redirect_to(url_for("compliance.show_retention"), toast=_("Rule saved."))
    return _page(form, status=form_status(form))


@bp.post("/retention/sweeps")
@login_required
def start_sweep():
    run = services.start_sweep(current_user, request.form.get("dry_run") != "no")
    return redirect_to(url_for("jobruns.show_job_run", run_id=run.id), toast=_("The sweep has started."))
