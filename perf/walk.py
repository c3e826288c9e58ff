"""What the perf scripts share: finding the sign-in form and the roster page by following the pages' own links.

Only "/" is known in advance; every other URL comes from a link or a form on a page, so the scripts keep
working when the app moves its URLs. `Fetch` hides whether the pages come over HTTP (requests) or from the
Flask test client.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Protocol
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "chalkline-demo"  # noqa: S105 - the published demo password of the seed
DEMO_ACCOUNTS = {
    "district admin": "admin@demo.chalkline.test",
    "school admin": "principal@demo.chalkline.test",
    "teacher": "teacher@demo.chalkline.test",
    "student": "student@demo.chalkline.test",
    "guardian": "guardian@demo.chalkline.test",
}
SEEDED_ROLES = {
    "district admin": "district_admin",
    "school admin": "school_admin",
    "teacher": "teacher",
    "student": "student",
    "guardian": "guardian",
}


@dataclass
class Link:
    href: str
    text: str
    in_cell: bool
    in_nav: bool


@dataclass
class Form:
    action: str
    method: str
    inputs: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (type, value)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[Link] = []
        self.forms: list[Form] = []
        self._open: list[str] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("td", "nav", "th"):
            self._open.append(tag)
        elif tag == "a" and attributes.get("href"):
            self._href, self._text = attributes["href"], []
        elif tag == "form":
            self.forms.append(Form(attributes.get("action") or "", (attributes.get("method") or "get").lower()))
        elif tag == "input" and self.forms and attributes.get("name"):
            self.forms[-1].inputs[attributes["name"]] = (
                attributes.get("type") or "text",
                attributes.get("value") or "",
            )

    def handle_endtag(self, tag):
        if tag in ("td", "nav", "th") and tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag)]
        elif tag == "a" and self._href is not None:
            text = " ".join("".join(self._text).split())
            self.links.append(Link(self._href, text, "td" in self._open, "nav" in self._open))
            self._href = None

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


class Fetch(Protocol):
    def get(self, url: str) -> tuple[int, str, str]:
        """(status, final URL after redirects, body text)."""

    def post(self, url: str, data: dict) -> int:
        """Status of a form post, redirects not followed."""


class RequestsFetch:
    def __init__(self, base: str):
        import requests

        self.base = base
        self.session = requests.Session()

    def get(self, url):
        response = self.session.get(urljoin(self.base, url))
        return response.status_code, response.url, response.text

    def post(self, url, data):
        return self.session.post(urljoin(self.base, url), data=data, allow_redirects=False).status_code

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.session.cookies.items())


def sign_in_form(fetch: Fetch) -> tuple[str, Form]:
    """From "/": the page holding the sign-in form (following a "Sign in" link if "/" has none) and the form."""
    _status, url, html = fetch.get("/")
    for _attempt in range(2):
        page = parse(html)
        for form in page.forms:
            if any(kind == "password" for kind, _value in form.inputs.values()):
                return url, form
        link = next((link for link in page.links if link.text.lower() == "sign in"), None)
        if link is None:
            break
        _status, url, html = fetch.get(urljoin(url, link.href))
    raise SystemExit("no sign-in form reachable from /")


def sign_in(fetch: Fetch, email: str, password: str = PASSWORD) -> None:
    url, form = sign_in_form(fetch)
    data = {name: value for name, (kind, value) in form.inputs.items() if kind == "hidden"}
    for name, (kind, _value) in form.inputs.items():
        if kind == "password":
            data[name] = password
        elif kind == "email" or "email" in name:
            data[name] = email
    status = fetch.post(urljoin(url, form.action or url), data)
    if status not in (302, 303):
        raise SystemExit(f"sign-in as {email} answered {status}")


def link_to(fetch: Fetch, url: str, text: str) -> str:
    _status, final, html = fetch.get(url)
    for link in parse(html).links:
        if link.text == text:
            return urljoin(final, link.href)
    raise SystemExit(f"no link {text!r} on {url}")


def roster_url(fetch: Fetch) -> str:
    """A teacher's first roster: the first link in a table cell of the page that "My sections" leads to."""
    mine = link_to(fetch, "/", "My sections")
    _status, final, html = fetch.get(mine)
    link = next((link for link in parse(html).links if link.in_cell), None)
    if link is None:
        raise SystemExit(f"no section link on {mine}")
    return urljoin(final, link.href)


def accounts_from_db(database_url: str) -> dict[str, str]:
    """One seeded account per role in district demo, with a password: a generated one (large seed) before the
    named demo account, which is the only one of its role in some seeds (the district admin)."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(database_url).set(drivername="postgresql").render_as_string(False)
    picked = {}
    with psycopg.connect(url) as conn:
        for label, role in SEEDED_ROLES.items():
            row = conn.execute(
                "select u.email from users u join memberships m on m.user_id = u.id "
                "join districts d on d.id = u.district_id "
                "where d.slug = 'demo' and m.role = %s and u.password_hash is not null and u.is_active "
                "order by u.email = any(%s), u.id limit 1",
                (role, list(DEMO_ACCOUNTS.values())),
            ).fetchone()
            if row is None:
                raise SystemExit(f"no seeded {label} with a password in district demo")
            picked[label] = row[0]
    return picked


def server_env(**extra: str) -> dict:
    """The app as benchmarks run it: development (cookies not Secure-only on http), sign-in limits out of the way."""
    return dict(
        os.environ,
        APP_ENV="development",
        SECRET_KEY=os.environ.get("SECRET_KEY", "perf-" + "k" * 40),
        LOGIN_LIMIT_PER_IP="1000000 per minute",
        LOGIN_LIMIT_PER_ACCOUNT="1000000 per minute",
        **extra,
    )


def start_gunicorn(app: str, port: int, workers: int = 3, env: dict | None = None, extra: tuple = (), cwd=ROOT):
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level"]
    return subprocess.Popen([*command, "warning", *extra, app], cwd=cwd, env=env or server_env())


def wait_until_up(base: str, path: str = "/", seconds: float = 60) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(base + path, timeout=1, allow_redirects=False).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{base} did not come up")


def stop(*servers: subprocess.Popen) -> None:
    for server in servers:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
    for server in servers:
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
