"""Test harness: real PostgreSQL (DATABASE_URL's server, else the embedded one) and real Redis.

Each test runs inside one outer transaction that is rolled back; services' commits become savepoints
(SQLAlchemy's "create_savepoint" join mode), and the tenant session hook fires inside it as in production.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app import db
from app.config import ROOT

# One database per run, so two runs on one server (a developer's and CI's) never drop each other's.
TEST_DB = f"chalkline_test_{os.getpid()}"
# Redis databases 8-15 by process id: concurrent runs rarely share one (queues and flushes would collide).
TEST_REDIS_DB = 8 + os.getpid() % 8
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


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Browser:
    """A test client that carries the CSRF token like the pages do (meta tag and hx-headers)."""

    def __init__(self, app):
        self.client = app.test_client()
        self.token: str | None = None

    def _remember(self, response):
        match = CSRF_META.search(response.get_data(as_text=True)) if response.mimetype == "text/html" else None
        if match:
            self.token = match.group(1)
        return response

    def get(self, url, htmx: bool = False, **kwargs):
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        return self._remember(self.client.get(url, headers=headers, **kwargs))

    def post(self, url, data=None, htmx: bool = False, csrf: bool = True, **kwargs):
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        if csrf:
            if self.token is None:
                self.get("/login")
            headers["X-CSRFToken"] = self.token
        return self._remember(self.client.post(url, data=data or {}, headers=headers, **kwargs))

    def login(self, email: str, password: str = "chalkline-demo"):
        self.get("/login")
        response = self.post("/login", {"email": email, "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        self.get("/")
        return response


@pytest.fixture
def browser(app):
    return Browser(app)


@pytest.fixture
def as_user(app, make_user):
    """as_user("teacher") -> a signed-in Browser for a new user of that role (district from make_user)."""

    def _as(role: str, **kwargs):
        user = make_user(role=role, **kwargs)
        client = Browser(app)
        client.login(user.email, "correct horse battery")
        return client, user

    return _as


PASSWORD = "correct horse battery"


@pytest.fixture
def make_district():
    counter = {"n": 0}

    def _make(slug: str | None = None, name: str | None = None):
        from sqlalchemy import text

        counter["n"] += 1
        slug = slug or f"d-{uuid.uuid4().hex[:8]}"
        district_id = db.session.execute(text("select nextval('districts_id_seq')")).scalar()
        db.set_tenant(district_id, None, "system")
        from app.org.models import District, School

        district = District(id=district_id, slug=slug, name=name or f"District {slug}")
        db.session.add(district)
        db.session.flush()
        school = School(district_id=district_id, name=f"School of {slug}", code="S1", grade_low=0, grade_high=12)
        db.session.add(school)
        db.session.commit()
        district.school_id = school.id
        return district

    return _make


@pytest.fixture
def district(make_district):
    return make_district()


@pytest.fixture
def make_user(district):
    from app.accounts.models import Membership, User
    from app.accounts.services import hasher

    password_hash = hasher.hash(PASSWORD)

    def _make(
        role: str = "teacher",
        district=district,
        email: str | None = None,
        school_id: int | None = -1,
        password: str | None = PASSWORD,
        **fields,
    ):
        db.set_tenant(district.id, None, "system")
        email = email or f"{role}-{uuid.uuid4().hex[:8]}@example.test"
        user = User(
            district_id=district.id,
            email=email,
            display_name=fields.pop("display_name", email.split("@")[0]),
            password_hash=password_hash
            if password == PASSWORD
            else (None if password is None else hasher.hash(password)),
            is_active=fields.pop("is_active", True),
            **fields,
        )
        db.session.add(user)
        db.session.flush()
        if school_id == -1:
            school_id = None if role in ("district_admin", "guardian") else district.school_id
        db.session.add(Membership(district_id=district.id, user_id=user.id, school_id=school_id, role=role))
        db.session.commit()
        return user

    return _make


@pytest.fixture
def tenant():
    """tenant(district) scopes the test's own queries like a request of that district would be."""

    def _scope(district, user_id=None, role="system"):
        db.set_tenant(district.id if district is not None else None, user_id, role)

    return _scope


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
