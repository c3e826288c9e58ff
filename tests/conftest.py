"""Test harness: real PostgreSQL (DATABASE_URL's server, else the embedded one) and real Redis.

Each test runs inside one outer transaction that is rolled back; services' commits become savepoints
(SQLAlchemy's "create_savepoint" join mode), and the tenant session hook fires inside it as in production.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app import db
from app.config import ROOT
from tests.browser import Browser

# Every factory (districts, users, actors, sections, years) lives in one module, registered here.
pytest_plugins = ["tests.factories"]

# One database per run, so two runs on one server (a developer's and CI's) never drop each other's.
TEST_DB = f"chalkline_test_{os.getpid()}"
# Redis databases 8-15 by process id: concurrent runs rarely share one (queues and flushes would collide).
TEST_REDIS_DB = int(os.environ.get("TEST_REDIS_DB") or 8 + os.getpid() % 8)
INSTANCE = ROOT / "instance" / "test"


def _database_urls() -> tuple[str, str]:
    """(admin URL on the postgres database, owner URL of the test database)."""
    from app import embedded

    given = os.environ.get("DATABASE_URL")
    if given:
        base = make_url(given).set(drivername="postgresql")
        return base.set(database="postgres").render_as_string(False), base.set(database=TEST_DB).render_as_string(False)
    url = embedded.start_postgres(str(INSTANCE), database="postgres")
    base = make_url(url)
    return url, base.set(database=TEST_DB).render_as_string(False)


def _redis_url() -> str:
    """The given Redis on its own database number (tests flush it), else the embedded one."""
    from urllib.parse import urlsplit, urlunsplit

    from app import embedded

    given = os.environ.get("REDIS_URL")
    if given and given.startswith(("redis://", "rediss://")):
        return urlunsplit(urlsplit(given)._replace(path=f"/{TEST_REDIS_DB}"))
    if given:
        return given
    return embedded.start_redis(str(INSTANCE))


def _fresh_database(admin_url: str, owner_url: str) -> None:
    import psycopg

    from app.migrations import upgrade

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"drop database if exists {TEST_DB} with (force)")
        conn.execute(f"create database {TEST_DB}")
    upgrade(owner_url)


@pytest.fixture(scope="session")
def service_urls(tmp_path_factory):
    admin_url, owner_url = _database_urls()
    _fresh_database(admin_url, owner_url)
    redis_url = _redis_url()
    from redis import Redis

    Redis.from_url(redis_url).flushdb()
    yield {"admin": admin_url, "owner": owner_url, "redis": redis_url}
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"drop database if exists {TEST_DB} with (force)")


def _compile_catalogs() -> None:
    """The suite checks translated output, so it compiles the catalogs itself instead of trusting `make`."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)


@pytest.fixture(scope="session")
def app(service_urls, tmp_path_factory):
    from app import create_app

    _compile_catalogs()

    mail_dir = tmp_path_factory.mktemp("mail")
    overrides = {
        "APP_ENV": "test",
        "TESTING": True,
        "SECRET_KEY": "test-secret-" + "x" * 32,
        "DATABASE_URL": service_urls["owner"],
        "REDIS_URL": service_urls["redis"],
        "MAIL_DIR": str(mail_dir),
        "BASE_URL": "http://localhost",
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        "INSTANCE_DIR": str(INSTANCE),
        # The cheapest argon2id the library allows: the suite hashes hundreds of passwords and checks
        # behaviour, not cost (perf/ measures the production parameters).
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_KIB": 8,
        "ARGON2_PARALLELISM": 1,
    }
    application = create_app(overrides)
    import jobs.runner

    jobs.runner._app = application  # in-process workers run jobs with this app and the test's session
    yield application
    application.extensions["db_engine"].dispose()


@pytest.fixture(autouse=True)
def _db_transaction(request, app):
    if "e2e" in request.keywords:
        yield None
        return
    engine = app.extensions["db_engine"]
    connection = engine.connect()
    outer = connection.begin()
    db.session_factory.configure(bind=connection, join_transaction_mode="create_savepoint")
    ctx = app.app_context()
    ctx.push()
    yield connection
    ctx.pop()
    db.session.remove()
    outer.rollback()
    connection.close()


@pytest.fixture(autouse=True)
def _fresh_limits(request, app):
    if "e2e" not in request.keywords:
        from app.extensions import limiter

        limiter.reset()
    yield


@pytest.fixture
def mail_dir(app) -> Path:
    folder = Path(app.config["MAIL_DIR"])
    for old in folder.glob("*.eml"):
        old.unlink()
    return folder


@pytest.fixture
def browser(app):
    return Browser(app)


@pytest.fixture(scope="session", autouse=True)
def _one_app_context_per_request(app):
    """Each test-client request runs in its own app context, as in production.

    The test body holds an app context; Flask would reuse it for every request, so `g` (and with it
    flask-login's cached user) would carry one request's signed-in user into the next request and
    into other clients. Setting the body's context aside during a request gives each request a fresh
    `g` and removes the scoped session after it (re-set the tenant in the test body afterwards).
    """
    from flask import has_app_context, has_request_context
    from flask.globals import app_ctx
    from flask.testing import FlaskClient

    class OwnContextClient(FlaskClient):
        def open(self, *args, **kwargs):
            if has_request_context() or not has_app_context():
                return super().open(*args, **kwargs)
            body_ctx = app_ctx._get_current_object()
            body_ctx.pop()
            try:
                return super().open(*args, **kwargs)
            finally:
                body_ctx.push()

    app.test_client_class = OwnContextClient
    yield


@pytest.fixture(scope="session", autouse=True)
def _stop_embedded_redis():
    """Shut the embedded Redis down when the run ends: while clients are connected it would outlive pytest."""
    yield
    from app import embedded

    embedded.stop_redis()
