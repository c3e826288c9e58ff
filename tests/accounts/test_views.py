"""Accounts pages: sign-in, sessions, throttling, CSRF, reset and invitation links, profile, people."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import current_app
from sqlalchemy import func, select, update

from app import db
from app.accounts.models import (
    DistrictRolePermission,
    Membership,
    OneTimeToken,
    User,
    UserSession,
)
from app.jobruns.models import JobRun
from app.notifications.models import MailMessage
from tests.browser import Browser
from tests.factories import PASSWORD
from tests.jobqueue import empty_queues, run_jobs
from tests.mail import as_sent, body, link_token, sent_mail

BAD_CREDENTIALS = "That email and password do not match an account"
THROTTLED = "Too many sign-in attempts"
COOKIE = "chalkline_session"


def _fresh_email(prefix: str = "new") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"


def _alerts(html: str) -> list[str]:
    return re.findall(r'<div class="alert[^"]*"[^>]*>.*?</div>', html, re.DOTALL)


def _sessions(tenant, district, user_id: int, live_only: bool = True) -> int:
    tenant(district)
    query = select(func.count()).select_from(UserSession).where(UserSession.user_id == user_id)
    if live_only:
        query = query.where(UserSession.revoked_at.is_(None))
    return db.session.scalar(query)


def _copy_cookie(source: Browser, target: Browser) -> str:
    value = source.client.get_cookie(COOKIE).value
    target.client.set_cookie(COOKIE, value)
    return value


def _last_mail_body(tenant, district, address: str) -> str:
    """The newest mail to this address as the recipient gets it: queued ones with their token put back, or
    (after running the waiting jobs, which send them) the sent file."""
    tenant(district)
    message = db.session.scalars(
        select(MailMessage).where(MailMessage.to_address == address).order_by(MailMessage.id.desc())
    ).first()
    if message is not None and message.status == "queued":
        return as_sent(message)
    run_jobs()
    tenant(district)
    sent = [m for m in sent_mail(Path(current_app.config["MAIL_DIR"])) if m["To"] == address]
    return body(sent[-1]) if sent else None


def _signed_in(client: Browser) -> bool:
    response = client.get("/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


# Sign in


def test_the_right_password_signs_in_with_a_303_and_a_server_session(browser, make_user, tenant, district):
    user = make_user("teacher", display_name="Rosa Alvarez")
    browser.get("/account/login")

    response = browser.post("/account/login", {"email": user.email, "password": PASSWORD})

    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert _sessions(tenant, district, user.id) == 1
    home = browser.get("/")
    assert home.status_code == 200 and "Rosa Alvarez" in home.get_data(as_text=True)


def test_a_wrong_password_and_an_unknown_email_get_the_same_message_and_422(browser, make_user, tenant, district):
    user = make_user("teacher")
    browser.get("/account/login")

    wrong = browser.post("/account/login", {"email": user.email, "password": "not the password at all"})
    unknown = browser.post("/account/login", {"email": _fresh_email("nobody"), "password": "not the password at all"})

    assert wrong.status_code == unknown.status_code == 422
    assert BAD_CREDENTIALS in wrong.get_data(as_text=True)
    assert _alerts(wrong.get_data(as_text=True)) == _alerts(unknown.get_data(as_text=True)) != []
    assert _sessions(tenant, district, user.id, live_only=False) == 0


def test_a_failed_sign_in_keeps_the_typed_email_and_never_echoes_the_password(browser, make_user):
    user = make_user("teacher")
    browser.get("/account/login")

    response = browser.post("/account/login", {"email": user.email, "password": "Secret-Typed-Value-4711"})

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'value="{user.email}"' in html
    assert "Secret-Typed-Value-4711" not in html


def test_an_inactive_user_cannot_sign_in(browser, make_user, tenant, district):
    user = make_user("teacher", is_active=False)
    browser.get("/account/login")

    response = browser.post("/account/login", {"email": user.email, "password": PASSWORD})

    assert response.status_code == 422
    assert BAD_CREDENTIALS in response.get_data(as_text=True)
    assert _sessions(tenant, district, user.id, live_only=False) == 0


@pytest.mark.parametrize(
    "target",
    [
        "//evil.test",
        "https://evil.test",
        "/\\evil.test",
        "\\\\evil.test",
        "http:evil.test",
        "javascript:alert(1)",
        "/\\/evil.test",
    ],
)
def test_a_next_link_off_the_site_lands_on_the_home_page(browser, make_user, target):
    user = make_user("teacher")
    browser.get("/account/login")

    response = browser.post(
        f"/account/login?next={quote(target, safe='')}", {"email": user.email, "password": PASSWORD}
    )

    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_a_next_link_to_a_page_of_the_site_is_followed(browser, make_user):
    user = make_user("teacher")
    browser.get("/account/login?next=/account/profile")

    response = browser.post("/account/login?next=/account/profile", {"email": user.email, "password": PASSWORD})

    assert response.status_code == 303
    assert response.headers["Location"] == "/account/profile"


def test_a_signed_in_visit_to_login_with_an_off_site_next_stays_on_the_site(as_user):
    client, _user = as_user("teacher")

    response = client.get("/account/login?next=//evil.test")

    assert response.status_code in (302, 303)
    assert response.headers["Location"] == "/"


def test_the_session_cookie_is_http_only_and_same_site_lax(browser, make_user):
    user = make_user("teacher")
    browser.get("/account/login")

    response = browser.post("/account/login", {"email": user.email, "password": PASSWORD})

    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(COOKIE + "=")]
    assert len(cookies) == 1
    attributes = [part.strip().lower() for part in cookies[0].split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


def test_signing_in_issues_a_new_cookie_and_the_one_from_before_is_not_signed_in(app, browser, make_user):
    user = make_user("teacher")
    browser.get("/account/login")
    before = browser.client.get_cookie(COOKIE).value

    browser.post("/account/login", {"email": user.email, "password": PASSWORD})

    assert browser.client.get_cookie(COOKIE).value != before
    stale = Browser(app)
    stale.client.set_cookie(COOKIE, before)
    assert not _signed_in(stale)
    assert _signed_in(browser)


# Sign out and password change


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(app, as_user, tenant, district):
    client, user = as_user("teacher")
    copy = Browser(app)
    _copy_cookie(client, copy)
    assert _signed_in(copy)

    response = client.post("/account/logout")

    assert response.status_code == 303 and response.headers["Location"] == "/account/login"
    assert not _signed_in(copy)
    assert not _signed_in(client)
    assert _sessions(tenant, district, user.id) == 0


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(app, as_user, tenant, district):
    client, user = as_user("teacher")
    other = Browser(app)
    other.login(user.email, PASSWORD)
    client.get("/account/profile")

    response = client.post(
        "/account/profile/password", {"current_password": PASSWORD, "password": "a whole new passphrase"}
    )

    assert response.status_code == 303
    assert _signed_in(client)
    assert not _signed_in(other)
    assert _sessions(tenant, district, user.id) == 1
    Browser(app).login(user.email, "a whole new passphrase")


def test_a_wrong_current_password_is_refused_with_a_field_error(app, as_user, tenant, district):
    client, user = as_user("teacher")
    other = Browser(app)
    other.login(user.email, PASSWORD)
    client.get("/account/profile")

    response = client.post(
        "/account/profile/password", {"current_password": "wrong wrong wrong", "password": "a whole new passphrase"}
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    field = re.search(r'<input[^>]*id="current_password"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert "That is not your current password." in html
    assert _signed_in(other)
    assert _sessions(tenant, district, user.id) == 2


def test_an_htmx_password_change_with_errors_returns_only_the_password_form(as_user):
    client, _user = as_user("teacher")
    client.get("/account/profile")

    response = client.post(
        "/account/profile/password", {"current_password": "wrong wrong wrong", "password": "x"}, htmx=True
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="password-form"' in html
    assert "<html" not in html and 'id="profile-form"' not in html


# Throttling


def _from(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_repeated_failures_from_one_address_throttle_that_account_there_with_the_email_kept(app, browser, make_user):
    user = make_user("teacher")
    browser.get("/account/login")
    allowed = int(app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_IP"].split()[0])
    for attempt in range(allowed):
        response = browser.post(
            "/account/login", {"email": user.email, "password": f"wrong {attempt}"}, **_from("203.0.113.7")
        )
        assert response.status_code == 422

    throttled = browser.post("/account/login", {"email": user.email, "password": "wrong again"}, **_from("203.0.113.7"))

    html = throttled.get_data(as_text=True)
    assert throttled.status_code == 429
    assert THROTTLED in html
    assert f'value="{user.email}"' in html
    assert "wrong again" not in html
    assert int(throttled.headers["Retry-After"]) > 0


def test_an_attacker_at_one_address_cannot_lock_the_owner_out_at_another(app, make_user):
    user = make_user("teacher")
    attacker, owner = Browser(app), Browser(app)
    attacker.get("/account/login")
    for attempt in range(int(app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_IP"].split()[0]) + 3):
        attacker.post("/account/login", {"email": user.email, "password": f"guess {attempt}"}, **_from("203.0.113.66"))
    owner.get("/account/login")

    response = owner.post("/account/login", {"email": user.email, "password": PASSWORD}, **_from("198.51.100.20"))

    assert response.status_code == 303


def test_the_per_account_limit_counts_the_account_however_its_email_is_spelled(app, browser, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "3 per hour")
    user = make_user("teacher", email=f"irina-{uuid.uuid4().hex[:6]}@example.test")
    browser.get("/account/login")
    spellings = [user.email, user.email.upper(), "\u0130" + user.email[1:]]  # a dotted capital I
    for number, spelling in enumerate(spellings):
        response = browser.post(
            "/account/login", {"email": spelling, "password": "wrong wrong"}, **_from(f"203.0.113.{number}")
        )
        assert response.status_code == 422

    fourth = browser.post("/account/login", {"email": user.email, "password": PASSWORD}, **_from("198.51.100.4"))

    assert fourth.status_code == 429


def test_many_accounts_failing_from_one_address_throttle_that_address(app, browser, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_IP", "3 per 10 minutes")
    browser.get("/account/login")
    for _ in range(3):
        response = browser.post("/account/login", {"email": _fresh_email("probe"), "password": "guess guess"})
        assert response.status_code == 422

    assert browser.post("/account/login", {"email": _fresh_email("p"), "password": "x"}).status_code == 429


def test_a_spoofed_forwarded_for_header_does_not_reset_the_per_address_limit(app, browser, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_IP", "3 per 10 minutes")
    browser.get("/account/login")
    for attempt in range(3):
        response = browser.post(
            "/account/login",
            {"email": _fresh_email("probe"), "password": "guess guess"},
            headers={"X-Forwarded-For": f"203.0.113.{attempt}"},
        )
        assert response.status_code == 422

    response = browser.post(
        "/account/login",
        {"email": _fresh_email("probe"), "password": "guess guess"},
        headers={"X-Forwarded-For": "198.51.100.9"},
    )

    assert response.status_code == 429
    assert THROTTLED in response.get_data(as_text=True)


def test_successful_sign_ins_do_not_count_toward_the_limit(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT_AND_IP", "2 per 10 minutes")
    user = make_user("teacher")
    for _ in range(3):
        Browser(app).login(user.email, PASSWORD)

    client = Browser(app)
    client.get("/account/login")
    failures = [
        client.post("/account/login", {"email": user.email, "password": "nope nope"}).status_code for _ in range(3)
    ]

    assert failures == [422, 422, 429]


# CSRF


def test_a_post_without_a_csrf_token_gets_a_friendly_400_page(browser, make_user, tenant, district):
    user = make_user("teacher")
    browser.get("/account/login")

    response = browser.post("/account/login", {"email": user.email, "password": PASSWORD}, csrf=False)

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<html" in html and "Reload the page and try again" in html
    assert _sessions(tenant, district, user.id, live_only=False) == 0


def test_a_signed_in_post_without_a_csrf_token_changes_nothing(as_user):
    client, _user = as_user("teacher")

    response = client.post("/account/logout", csrf=False)

    assert response.status_code == 400
    assert _signed_in(client)


def test_an_htmx_post_carrying_the_csrf_header_is_accepted(as_user, tenant, district):
    client, user = as_user("teacher")
    client.get("/account/profile")

    response = client.post("/account/profile", {"display_name": "Via Htmx", "locale": "", "time_zone": ""}, htmx=True)

    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/account/profile"
    tenant(district)
    assert db.session.get(User, user.id).display_name == "Via Htmx"


def test_the_csrf_token_is_in_a_meta_tag_and_the_htmx_headers(browser):
    html = browser.get("/account/login").get_data(as_text=True)

    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in html


# Password reset


def _normalised(html: str, *words: str) -> str:
    html = re.sub(r'(name="csrf_token"[^>]*value=|content=|"X-CSRFToken": )"[^"]*"', r"\1TOKEN", html)
    for word in words:
        html = html.replace(word, "EMAIL")
    return html


def test_a_reset_request_shows_the_same_page_for_known_and_unknown_emails(browser, make_user, tenant, district):
    user = make_user("teacher")
    unknown = _fresh_email("ghost")
    browser.get("/account/password/forgot")
    empty_queues()

    known_page = browser.post("/account/password/forgot", {"email": user.email})
    unknown_page = browser.post("/account/password/forgot", {"email": unknown})

    assert known_page.status_code == unknown_page.status_code == 200
    assert "Check your email" in known_page.get_data(as_text=True)
    known_html, unknown_html = known_page.get_data(as_text=True), unknown_page.get_data(as_text=True)
    assert _normalised(known_html, user.email) == _normalised(unknown_html, unknown)
    tenant(district)
    # The pages did the same work for both (none): the lookup and the mail happen in the job.
    assert db.session.scalars(select(MailMessage.to_address)).all() == []
    run_jobs()
    tenant(district)
    assert db.session.scalars(select(MailMessage.to_address)).all() == [user.email]
    assert db.session.scalar(select(func.count()).select_from(OneTimeToken).where(OneTimeToken.user_id == user.id)) == 1


def test_the_reset_mail_arrives_and_its_link_works_once(app, browser, make_user, mail_dir):
    user = make_user("teacher")
    empty_queues()
    browser.get("/account/password/forgot")
    browser.post("/account/password/forgot", {"email": user.email})

    run_jobs()

    messages = [m for m in sent_mail(mail_dir) if m["To"] == user.email]
    assert len(messages) == 1
    assert messages[0]["Subject"] == "Reset your Chalkline password"
    raw = link_token(body(messages[0]), "reset")
    assert browser.get(f"/account/password/reset/{raw}").status_code == 200
    response = browser.post(f"/account/password/reset/{raw}", {"password": "my brand new passphrase"})
    assert response.status_code == 303 and response.headers["Location"] == "/account/login"
    Browser(app).login(user.email, "my brand new passphrase")

    again = browser.get(f"/account/password/reset/{raw}")
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    assert browser.post(f"/account/password/reset/{raw}", {"password": "another new passphrase"}).status_code == 410


def test_an_expired_reset_link_answers_410(browser, make_user, tenant, district):
    user = make_user("teacher")
    browser.get("/account/password/forgot")
    browser.post("/account/password/forgot", {"email": user.email})
    raw = link_token(_last_mail_body(tenant, district, user.email), "reset")
    db.session.execute(
        update(OneTimeToken)
        .where(OneTimeToken.user_id == user.id)
        .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    )
    db.session.commit()

    response = browser.get(f"/account/password/reset/{raw}")
    posted = browser.post(f"/account/password/reset/{raw}", {"password": "my brand new passphrase"})

    assert response.status_code == posted.status_code == 410
    assert "expired" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_made_up_reset_link_answers_410(browser, method):
    browser.get("/account/login")
    response = getattr(browser, method)("/account/password/reset/not-a-real-token-at-all")

    assert response.status_code == 410
    assert "This link is not valid" in response.get_data(as_text=True)


def test_an_invitation_link_does_not_work_as_a_reset_link(as_user, make_user, tenant, district, browser):
    admin, _user = as_user("district_admin")
    email = _fresh_email()
    admin.get("/account/invitations/new")
    admin.post("/account/invitations/new", {"emails": email, "role": "guardian", "school_id": ""})
    raw = link_token(_last_mail_body(tenant, district, email), "invite")

    assert browser.get(f"/account/password/reset/{raw}").status_code == 410


def test_a_password_reset_ends_existing_sessions(app, as_user, browser, tenant, district):
    signed_in, user = as_user("teacher")
    browser.get("/account/password/forgot")
    browser.post("/account/password/forgot", {"email": user.email})
    raw = link_token(_last_mail_body(tenant, district, user.email), "reset")

    browser.get(f"/account/password/reset/{raw}")
    assert browser.post(f"/account/password/reset/{raw}", {"password": "my brand new passphrase"}).status_code == 303

    assert not _signed_in(signed_in)
    assert _sessions(tenant, district, user.id) == 0


def test_a_too_short_new_password_is_refused_and_the_link_stays_usable(browser, make_user, tenant, district):
    user = make_user("teacher")
    browser.get("/account/password/forgot")
    browser.post("/account/password/forgot", {"email": user.email})
    raw = link_token(_last_mail_body(tenant, district, user.email), "reset")
    browser.get(f"/account/password/reset/{raw}")

    response = browser.post(f"/account/password/reset/{raw}", {"password": "short"})

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Use at least 10 characters." in html
    assert 'name="password"' in html
    assert browser.get(f"/account/password/reset/{raw}").status_code == 200


# Invitations


def _invite(admin: Browser, emails: str, role: str = "teacher", school_id="") -> object:
    admin.get("/account/invitations/new")
    return admin.post("/account/invitations/new", {"emails": emails, "role": role, "school_id": str(school_id)})


def test_a_district_admin_invites_people_who_get_accounts_links_and_a_job_run(as_user, tenant, district):
    admin, admin_user = as_user("district_admin")
    first, second = _fresh_email("ada"), _fresh_email("grace")

    response = _invite(admin, f"{first}, {second.upper()}", "teacher", district.school_id)

    assert response.status_code == 303
    run_id = int(re.fullmatch(r"/jobs/(\d+)", response.headers["Location"]).group(1))
    tenant(district)
    users = db.session.scalars(select(User).where(User.email.in_([first, second]))).all()
    assert sorted(u.email for u in users) == sorted([first, second])
    assert all(u.password_hash is None for u in users)
    memberships = db.session.execute(
        select(Membership.role, Membership.school_id).where(Membership.user_id.in_([u.id for u in users]))
    ).all()
    assert sorted(memberships) == [("teacher", district.school_id)] * 2
    tokens = db.session.scalars(select(OneTimeToken.purpose).where(OneTimeToken.user_id.in_([u.id for u in users])))
    tokens = tokens.all()
    assert tokens == ["invite", "invite"]
    run = db.session.get(JobRun, run_id)
    assert (run.kind, run.status, run.total, run.user_id) == ("mail.invitations", "queued", 2, admin_user.id)
    assert db.session.scalar(select(func.count()).select_from(MailMessage).where(MailMessage.job_run_id == run_id)) == 2


def test_running_the_invitation_job_sends_each_mail_and_finishes_the_run(as_user, tenant, district, mail_dir):
    admin, _user = as_user("district_admin")
    first, second = _fresh_email("ada"), _fresh_email("grace")
    empty_queues()
    response = _invite(admin, f"{first}\n{second}", "student", district.school_id)
    run_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert admin.get(f"/jobs/{run_id}").status_code == 200

    run_jobs()

    messages = sent_mail(mail_dir)
    assert sorted(m["To"] for m in messages) == sorted([first, second])
    assert all("/account/invite/" in body(m) and m["Subject"] == "You are invited to Chalkline" for m in messages)
    tenant(district)
    run = db.session.get(JobRun, run_id)
    assert run.status == "done"
    assert run.progress == run.total == 2
    assert admin.get(f"/jobs/{run_id}", htmx=True).status_code == 286


def test_invalid_addresses_are_refused_with_422_naming_them(as_user, tenant, district):
    admin, _user = as_user("district_admin")
    fine = _fresh_email()

    response = _invite(admin, f"{fine}\nnot-an-email\nalso@@bad", "teacher", district.school_id)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "not-an-email" in html and "also@@bad" in html
    tenant(district)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == fine)) == 0


def test_an_address_that_already_has_an_account_anywhere_is_refused_naming_it(
    as_user,
    make_district,
    make_user,
    tenant,
    district,
):
    admin, _user = as_user("district_admin")
    elsewhere = make_user("teacher", district=make_district(), email=_fresh_email("taken"))
    fine = _fresh_email()

    response = _invite(admin, f"{fine}\n{elsewhere.email}", "teacher", district.school_id)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Already in use, so they cannot be invited" in html and elsewhere.email in html
    tenant(district)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == fine)) == 0


def test_a_school_admin_cannot_invite_a_district_admin(as_user, tenant, district):
    principal, _user = as_user("school_admin")
    page = principal.get("/account/invitations/new").get_data(as_text=True)
    assert 'value="district_admin"' not in page and 'value="teacher"' in page
    email = _fresh_email()

    response = principal.post("/account/invitations/new", {"emails": email, "role": "district_admin", "school_id": ""})

    assert response.status_code == 422
    assert "You cannot invite people with that role." in response.get_data(as_text=True)
    tenant(district)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == email)) == 0


@pytest.mark.parametrize("role", ["teacher", "student", "guardian"])
@pytest.mark.parametrize("url", ["/rosters/people", "/account/invitations/new"])
def test_people_pages_are_not_found_for_roles_without_access(as_user, role, url):
    client, _user = as_user(role)

    assert client.get(url).status_code == 404
    if url.endswith("invite"):
        assert client.post(url, {"emails": _fresh_email(), "role": "teacher", "school_id": ""}).status_code == 404


def test_an_accepted_invitation_sets_name_and_password_and_allows_sign_in(app, as_user, browser, tenant, district):
    admin, _user = as_user("district_admin")
    email = _fresh_email("newbie")
    _invite(admin, email, "teacher", district.school_id)
    raw = link_token(_last_mail_body(tenant, district, email), "invite")
    assert browser.get(f"/account/invite/{raw}").status_code == 200

    response = browser.post(
        f"/account/invite/{raw}", {"display_name": "Ada Lovelace", "password": "analytical engine 1843"}
    )

    assert response.status_code == 303 and response.headers["Location"] == "/account/login"
    fresh = Browser(app)
    fresh.login(email, "analytical engine 1843")
    assert "Ada Lovelace" in fresh.get("/").get_data(as_text=True)
    assert browser.get(f"/account/invite/{raw}").status_code == 410


def test_an_invitation_accepted_without_a_name_is_refused(as_user, browser, tenant, district):
    admin, _user = as_user("district_admin")
    email = _fresh_email("newbie")
    _invite(admin, email, "teacher", district.school_id)
    raw = link_token(_last_mail_body(tenant, district, email), "invite")
    browser.get(f"/account/invite/{raw}")

    response = browser.post(f"/account/invite/{raw}", {"display_name": "  ", "password": "analytical engine 1843"})

    assert response.status_code == 422
    assert "Enter your name." in response.get_data(as_text=True)
    tenant(district)
    assert db.session.scalar(select(User.password_hash).where(User.email == email)) is None


# Profile


def test_the_profile_saves_a_valid_locale_and_time_zone_and_redirects(as_user, tenant, district):
    client, user = as_user("teacher")
    client.get("/account/profile")

    response = client.post(
        "/account/profile", {"display_name": "  Rosa A.  ", "locale": "es", "time_zone": "America/Chicago"}
    )

    assert response.status_code == 303 and response.headers["Location"] == "/account/profile"
    tenant(district)
    saved = db.session.get(User, user.id)
    assert (saved.display_name, saved.locale, saved.time_zone) == ("Rosa A.", "es", "America/Chicago")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("locale", "xx", "Choose a language from the list."),
        ("time_zone", "Mars/Olympus_Mons", "Choose a time zone from the list."),
        ("time_zone", "Etc/GMT+5", "Choose a time zone from the list."),
    ],
)
def test_the_profile_refuses_an_unknown_locale_or_time_zone(as_user, tenant, district, field, value, message):
    client, user = as_user("teacher", display_name="Before")
    client.get("/account/profile")
    data = {"display_name": "After", "locale": "en", "time_zone": "America/Denver", field: value}

    response = client.post("/account/profile", data)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert 'value="After"' in html
    tenant(district)
    saved = db.session.get(User, user.id)
    assert (saved.display_name, saved.locale, saved.time_zone) == ("Before", None, None)


def test_an_htmx_profile_post_with_errors_returns_only_the_profile_form(as_user):
    client, _user = as_user("teacher")
    client.get("/account/profile")

    response = client.post("/account/profile", {"display_name": "", "locale": "xx", "time_zone": ""}, htmx=True)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="profile-form"' in html
    assert "<html" not in html
    assert 'id="password-form"' not in html
    assert "Enter your name." in html
    assert "HX-Request" in response.headers["Vary"]


def test_the_profile_page_without_htmx_is_a_whole_page(as_user):
    client, user = as_user("teacher")

    response = client.get("/account/profile")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in html and 'id="profile-form"' in html and 'id="password-form"' in html
    assert user.email in html


# Permissions and the people list


def _override(tenant, district, role: str, code: str, granted: bool) -> None:
    tenant(district)
    db.session.add(DistrictRolePermission(district_id=district.id, role=role, permission_code=code, is_granted=granted))
    db.session.commit()


def test_a_district_override_can_revoke_a_default_permission(as_user, tenant, district):
    principal, _user = as_user("school_admin")
    assert principal.get("/rosters/people").status_code == 200

    _override(tenant, district, "school_admin", "users.view", False)

    assert principal.get("/rosters/people").status_code == 404
    assert 'class="site-nav__link" href="/rosters/people"' not in principal.get("/").get_data(as_text=True)


def test_a_district_override_can_grant_a_permission(as_user, tenant, district):
    teacher, _user = as_user("teacher")
    assert teacher.get("/rosters/people").status_code == 404

    _override(tenant, district, "teacher", "users.view", True)

    assert teacher.get("/rosters/people").status_code == 200


def test_another_districts_override_does_not_apply(as_user, make_district, tenant):
    teacher, _user = as_user("teacher")

    _override(tenant, make_district(), "teacher", "users.view", True)

    assert teacher.get("/rosters/people").status_code == 404


def test_the_people_list_shows_only_people_of_the_district(as_user, make_district, make_user):
    admin, _user = as_user("district_admin")
    mine = make_user("teacher", display_name="Mine Colleague")
    theirs = make_user("teacher", district=make_district(), display_name="Foreign Colleague")

    response = admin.get("/rosters/people")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Mine Colleague" in html and mine.email in html
    assert "Foreign Colleague" not in html and theirs.email not in html


def test_an_htmx_people_search_returns_only_the_results_block(as_user, make_user):
    admin, _user = as_user("district_admin")
    make_user("teacher", display_name="Mine Colleague")
    make_user("teacher", display_name="Someone Else")

    response = admin.get("/rosters/people?q=Mine", htmx=True)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert "Mine Colleague" in html and "Someone Else" not in html
