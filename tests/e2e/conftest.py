"""A live server on a seeded database of its own, and Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import psycopg
import pytest
import requests

from app.config import ROOT

E2E_DB = f"chalkline_e2e_{os.getpid()}"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(service_urls, tmp_path_factory):
    from sqlalchemy.engine import make_url

    owner = make_url(service_urls["owner"]).set(database=E2E_DB).render_as_string(False)
    with psycopg.connect(service_urls["admin"], autocommit=True) as conn:
        conn.execute(f"drop database if exists {E2E_DB} with (force)")
        conn.execute(f"create database {E2E_DB}")
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=owner,
        REDIS_URL=service_urls["redis"],
        APP_ENV="development",
        SECRET_KEY="e2e-" + "s" * 40,
        MAIL_DIR=str(tmp_path_factory.mktemp("e2e-mail")),
        BASE_URL=f"http://127.0.0.1:{port}",
    )
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([*flask, "seed", "--size", "demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    server = subprocess.Popen(
        [*flask, "run", "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    # Up to a minute: on a machine shared by several runs the app can take well over ten seconds to start.
    for _ in range(600):
        try:
            if requests.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            pass
        time.sleep(0.1)
    else:
        server.kill()
        raise RuntimeError("live server did not become healthy")
    yield base
    server.terminate()
    server.wait(10)
    with psycopg.connect(service_urls["admin"], autocommit=True) as conn:
        conn.execute(f"drop database if exists {E2E_DB} with (force)")


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_for(chromium):
    """page_for(width, height, **context_options) -> a fresh page (in a context of its own, with e.g. has_touch=True)
    that records console errors and page errors."""
    contexts = []

    def _make(width: int = 1024, height: int = 768, **options):
        context = chromium.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda msg: msg.type == "error" and page.problems.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: page.problems.append(f"pageerror: {exc}"))
        return page

    yield _make
    for context in contexts:
        context.close()


def sign_in(page, base: str, email: str, password: str = "chalkline-demo") -> None:
    page.goto(base + "/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")
