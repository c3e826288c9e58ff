"""Sign-in, sign-out, password reset, invitation links and the signed-in person's profile; admins invite."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import services
from app.accounts.forms import (
    AcceptInviteForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    InviteForm,
    LoginForm,
    NewPasswordForm,
    ProfileForm,
    role_choices,
)
from app.errors import Invalid
from app.extensions import limiter
from app.i18n import locale_choices
from app.identity.data import ROLE_LABELS
from app.ui.context import NavEntry
from app.ui.formflow import copy_errors, form_status, submit
from app.ui.params import to_int
from app.ui.render import redirect_to, render

bp = Blueprint("accounts", __name__, url_prefix="/account")
NAV = (NavEntry(90, "accounts.profile", _l("Profile")),)


@bp.app_template_filter("role_label")
def _role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def _failed_sign_in(response) -> bool:
    # Only failed attempts count, so a school's shared IP is not locked out by people signing in.
    return response.status_code != 303


def _account() -> str:
    # One lookup per request for both per-account limits (the same account however its email was typed).
    if "sign_in_key" not in g:
        g.sign_in_key = services.sign_in_key(request.form.get("email") or "")
    return g.sign_in_key


def _account_key() -> str:
    return "login-account:" + _account()


def _account_and_address_key() -> str:
    return f"login-account-address:{_account()}:{get_remote_address()}"


def _reset_account_key() -> str:
    return "reset-account:" + services.sign_in_key(request.form.get("email") or "")


def _safe_next(target: str | None) -> str:
    """Only same-site paths: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target:
        return url_for("home.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return url_for("home.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_IP"],
    key_func=_account_and_address_key,
    methods=["POST"],
    deduct_when=_failed_sign_in,
)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"], deduct_when=_failed_sign_in)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed_sign_in,
)
def login():
    if current_user.is_authenticated:
        return redirect_to(_safe_next(request.args.get("next")))
    form = LoginForm()
    outcome = submit(
        form, lambda: services.authenticate(form.email.data, form.password.data, request.user_agent.string)
    )
    if outcome.done:
        actor, token = outcome.value
        session.clear()  # a fresh cookie at sign-in: nothing from before carries over
        session["did"], session["sid"], session["role"] = actor.district_id, token, actor.role
        login_user(actor)
        return redirect_to(_safe_next(request.args.get("next")))
    return render("accounts/sessions/new.html", form=form, status=form_status(form))


@bp.errorhandler(429)
def login_throttled(exc):
    form = LoginForm(formdata=None, email=request.form.get("email", ""))
    form.form_errors.append(_("Too many sign-in attempts. Wait a few minutes, then try again."))
    response = render("accounts/sessions/new.html", form=form, status=429)
    response.headers["Retry-After"] = "600"
    return response


@bp.post("/logout")
@login_required
def logout():
    services.sign_out(current_user)
    logout_user()
    session.clear()
    return redirect_to(url_for("accounts.login"), toast=_("You are signed out."))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_LIMIT_PER_IP"], methods=["POST"])
@limiter.limit(lambda: current_app.config["RESET_LIMIT_PER_ACCOUNT"], key_func=_reset_account_key, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if submit(form, lambda: services.ask_for_password_reset(form.email.data, current_app.config["BASE_URL"])).done:
        return render("accounts/passwords/sent.html", email=form.email.data)
    return render("accounts/passwords/forgot.html", form=form, status=form_status(form))


def _link_page(token: str, purpose: str, form, action, template: str, done_toast: str):
    """A page behind a one-time link: the problem with the link (410) or the form that uses it."""
    try:
        services.open_token(token, purpose)
    except Invalid as error:
        return render("accounts/passwords/link_problem.html", message=error.fields[""], status=410)
    try:
        if form.validate_on_submit():
            action()
            return redirect_to(url_for("accounts.login"), toast=done_toast)
    except Invalid as error:
        if "" in error.fields:
            return render("accounts/passwords/link_problem.html", message=error.fields[""], status=410)
        copy_errors(form, error)
    return render(template, form=form, status=form_status(form))


@bp.after_request
def _no_referrer_from_links(response):
    # A page opened from a one-time link has the token in its URL: never send it on as a Referer.
    if request.endpoint in ("accounts.reset_password", "accounts.accept_invite"):
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    form = NewPasswordForm()
    return _link_page(
        token,
        "reset",
        form,
        lambda: services.reset_password(token, form.password.data),
        "accounts/passwords/reset.html",
        _("Your password is set. Sign in with it now."),
    )


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    form = AcceptInviteForm()
    return _link_page(
        token,
        "invite",
        form,
        lambda: services.accept_invite(token, form.display_name.data, form.password.data),
        "accounts/invitations/accept.html",
        _("Welcome! Your account is ready. Sign in now."),
    )


def _profile_forms(user, profile_form=None, password_form=None):
    profile_form = profile_form or ProfileForm(
        formdata=None, display_name=user.display_name, locale=user.locale or "", time_zone=user.time_zone or ""
    )
    profile_form.locale.choices = [("", _("Automatic (from your browser)")), *locale_choices()]
    profile_form.time_zone.choices = [
        ("", _("District default")),
        *((z, z.replace("_", " ")) for z in services.TIME_ZONES),
    ]
    return profile_form, password_form or ChangePasswordForm(formdata=None)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    user = services.get_profile(current_user)
    form, password_form = _profile_forms(user, ProfileForm() if request.method == "POST" else None)

    def action():
        return services.update_profile(current_user, form.display_name.data, form.locale.data, form.time_zone.data)

    if submit(form, action).done:
        return redirect_to(url_for("accounts.profile"), toast=_("Profile saved."))
    return render(
        "accounts/profile/edit.html",
        block="profile_form",
        form=form,
        password_form=password_form,
        status=form_status(form),
    )


@bp.post("/profile/password")
@login_required
def change_password():
    user = services.get_profile(current_user)
    form, password_form = _profile_forms(user, None, ChangePasswordForm())

    def action():
        return services.change_password(current_user, password_form.current_password.data, password_form.password.data)

    if submit(password_form, action).done:
        return redirect_to(
            url_for("accounts.profile"), toast=_("Password changed. Your other sessions were signed out.")
        )
    return render(
        "accounts/profile/edit.html", block="password_form", form=form, password_form=password_form, status=422
    )


@bp.route("/invitations/new", methods=["GET", "POST"])
@login_required
def invite_users():
    roles, schools = services.invite_options(current_user)
    form = InviteForm()
    form.role.choices = role_choices(roles)
    form.school_id.choices = [("", _("No school (district-wide)"))] + [(str(s.id), s.name) for s in schools]

    def action():
        emails = form.emails.data.replace(",", "\n").replace(";", "\n").splitlines()
        return services.invite_users(
            current_user, emails, form.role.data, to_int(form.school_id.data), current_app.config["BASE_URL"]
        )

    outcome = submit(form, action)
    if outcome.done:
        return redirect_to(
            url_for("jobruns.show_job_run", run_id=outcome.value.id), toast=_("Invitations are on their way.")
        )
    return render("accounts/invitations/new.html", form=form, status=form_status(form))
