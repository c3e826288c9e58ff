"""Security headers on every kind of response; a CSP strict enough that no inline script could run."""

from __future__ import annotations

import re

import pytest


def _directives(csp: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in csp.split(";") if part.strip())}


@pytest.fixture
def responses(as_user, browser):
    """A plain page, a 404, an HTMX fragment, a redirect and JSON, as the app answers them."""
    admin, _user = as_user("district_admin")
    return {
        "page": browser.get("/account/login"),
        "not found": browser.get("/no/such/page"),
        "htmx fragment": admin.get("/activity/", htmx=True),
        "redirect": browser.get("/"),
        "json": browser.get("/healthz"),
    }


@pytest.mark.parametrize("kind", ["page", "not found", "htmx fragment", "redirect", "json"])
def test_every_response_carries_the_security_headers(responses, kind):
    response = responses[kind]

    csp = _directives(response.headers["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    everything = " ".join(value for values in csp.values() for value in values)
    assert "'unsafe-inline'" not in everything and "'unsafe-eval'" not in everything and "*" not in everything
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_htmx_response_really_is_a_fragment(responses):
    response = responses["htmx fragment"]

    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["page", "not found", "htmx fragment"])
def test_rendered_pages_vary_on_the_htmx_header_and_are_not_stored(responses, kind):
    response = responses[kind]

    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "no-store"


def test_pages_carry_no_inline_script_style_or_eval_attributes(as_user, browser):
    admin, _user = as_user("district_admin")
    pages = [
        browser.get("/account/login"),
        admin.get("/"),
        admin.get("/rosters/people"),
        admin.get("/activity/"),
        admin.get("/account/profile"),
        admin.get("/account/invitations/new"),
    ]

    for response in pages:
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html)), response.request.path
        assert not re.search(r"\s(on[a-z]+|style|hx-on[:\w-]*|hx-vars)=", html), response.request.path
        assert "<style" not in html


def test_htmx_is_configured_without_eval(browser):
    html = browser.get("/account/login").get_data(as_text=True)

    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html).group(1)
    assert '"allowEval":false' in config
    assert '"includeIndicatorStyles":false' in config


@pytest.mark.parametrize(("env", "sent"), [("production", True), ("development", False), ("test", False)])
def test_hsts_is_sent_only_in_production(env, sent):
    from flask import Flask

    from app import security

    bare = Flask(__name__)
    bare.config["APP_ENV"] = env
    security.init_app(bare)
    bare.add_url_rule("/", "index", lambda: "ok")

    response = bare.test_client().get("/")

    assert ("Strict-Transport-Security" in response.headers) is sent
    if sent:
        assert "max-age=63072000" in response.headers["Strict-Transport-Security"]
