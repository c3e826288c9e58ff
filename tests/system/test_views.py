"""Health check, error pages and the PWA files."""

from __future__ import annotations

import pytest

from app.migrations import alembic_config


def test_healthz_reports_database_redis_and_migrations_ok(browser):
    from alembic.script import ScriptDirectory

    response = browser.get("/healthz")

    report = response.get_json()
    assert response.status_code == 200
    assert report["status"] == "ok"
    assert report["database"]["ok"] and report["redis"]["ok"] and report["migrations"]["ok"]
    head = ",".join(sorted(ScriptDirectory.from_config(alembic_config()).get_heads()))
    assert report["migrations"]["current"] == report["migrations"]["head"] == head


def test_healthz_answers_503_and_names_the_part_that_is_down(browser, monkeypatch):
    from app.system import services

    def _redis_down():
        raise ConnectionError("no redis")

    monkeypatch.setattr(services, "redis_connection", _redis_down)

    response = browser.get("/healthz")

    report = response.get_json()
    assert response.status_code == 503
    assert report["status"] == "degraded"
    assert report["redis"] == {"ok": False, "error": "ConnectionError"}
    assert report["database"]["ok"] is True


def test_an_unknown_url_gets_a_friendly_404_page(browser):
    response = browser.get("/no/such/page")

    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<html" in html and "Page not found" in html
    assert "We could not find that page." in html
    assert 'href="/"' in html


def test_an_unknown_url_answers_json_to_a_client_that_asks_for_json(browser):
    response = browser.get("/no/such/page", headers={"Accept": "application/json"})

    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["code"] == 404
    assert response.get_json()["error"]["title"] == "Page not found"


def test_an_htmx_request_gets_html_errors_even_when_it_accepts_json(browser):
    response = browser.get("/no/such/page", headers={"Accept": "application/json", "HX-Request": "true"})

    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_a_body_over_the_size_limit_gets_413_not_500(app, browser):
    browser.get("/account/login")
    too_big = b"email=" + b"x" * app.config["MAX_CONTENT_LENGTH"]

    response = browser.post("/account/login", too_big, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)


def test_a_wrong_method_gets_the_friendly_405_page(browser):
    response = browser.get("/account/logout")

    assert response.status_code == 405
    assert "That action cannot be done from here." in response.get_data(as_text=True)


def test_an_unexpected_error_gets_the_friendly_500_page_without_details(as_user, monkeypatch):
    from app.home import views

    def _broken(actor):
        raise RuntimeError("secret internals")

    client, _user = as_user("teacher")
    monkeypatch.setattr(views, "home_for", _broken)

    response = client.get("/")

    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "secret internals" not in html and "Traceback" not in html


@pytest.mark.parametrize("where", ["query", "form"])
def test_a_nul_byte_in_input_is_refused_with_400(browser, where):
    browser.get("/account/login")
    if where == "query":
        response = browser.get("/activity/?type=a%00b")
    else:
        response = browser.post("/account/login", {"email": "a\x00b@example.com", "password": "x"})

    assert response.status_code == 400


def test_the_dev_mailbox_does_not_exist_outside_development(browser):
    assert browser.get("/dev/mail").status_code == 404


def test_the_manifest_and_service_worker_are_served_from_the_root_scope(browser):
    manifest = browser.get("/manifest.webmanifest", buffered=True)  # buffered: the file is read and closed
    worker = browser.get("/sw.js", buffered=True)

    assert manifest.status_code == 200 and manifest.mimetype == "application/manifest+json"
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Service-Worker-Allowed"] == "/"
    assert worker.headers["Cache-Control"] == "no-cache"


def test_the_offline_page_renders_for_anyone(browser):
    response = browser.get("/offline")

    assert response.status_code == 200
    assert "<html" in response.get_data(as_text=True)
