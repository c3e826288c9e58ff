"""What the HTTP benchmarks share: a gunicorn of their own on DATABASE_URL, signing in, timing requests, reporting
p50/p95 against a target. Each benchmark is sequential requests from one client on loopback, so a number is one
request's whole round trip (routing, session, actor, queries, Jinja) with no queueing behind other users."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import requests
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
PASSWORD = "chalkline-demo"  # noqa: S105 - the demo seed's published password


def owner_url() -> str:
    """DATABASE_URL for psycopg (the schema owner's connection, which setup queries use)."""
    return make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql").render_as_string(False)


@contextlib.contextmanager
def gunicorn(port: int, workers: int = 2) -> Iterator[str]:
    """A gunicorn serving the app on 127.0.0.1:port for the block; yields its base URL."""
    env = dict(
        os.environ,
        APP_ENV="development",  # the session cookie is not Secure-only over plain http on loopback
        SECRET_KEY=os.environ.get("SECRET_KEY", "perf-" + "k" * 40),
        LOGIN_LIMIT_PER_IP="100000 per minute",
        LOGIN_LIMIT_PER_ACCOUNT="100000 per minute",
        LOGIN_LIMIT_PER_ACCOUNT_AND_IP="100000 per minute",
    )
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*command, "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(base + "/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(20)


class Client(requests.Session):
    """A signed-in browser: remembers the page's CSRF token for posts."""

    token = ""

    def get(self, url, **kwargs):
        response = super().get(url, **kwargs)
        found = CSRF.search(response.text) if "text/html" in response.headers.get("Content-Type", "") else None
        if found:
            self.token = found.group(1)
        return response

    def post_form(self, url, data: dict, htmx: bool = False, **kwargs):
        headers = {"X-CSRFToken": self.token, **({"HX-Request": "true"} if htmx else {})}
        return self.post(url, data={**data, "csrf_token": self.token}, headers=headers, allow_redirects=False, **kwargs)


def sign_in(base: str, email: str) -> Client:
    client = Client()
    client.get(base + "/account/login")
    response = client.post_form(base + "/account/login", {"email": email, "password": PASSWORD})
    if response.status_code != 303:
        raise SystemExit(f"sign-in failed for {email}: {response.status_code}")
    client.get(base + "/")
    return client


def timed(call: Callable[[int], requests.Response], count: int, warmup: int = 10, ok=(200,)) -> list[float]:
    """Milliseconds of `call(i)` for i in range(count), after `warmup` untimed calls; any other status stops."""
    for i in range(warmup):
        call(-1 - i)
    samples = []
    for i in range(count):
        started = time.perf_counter()
        response = call(i)
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code not in ok:
            raise SystemExit(f"{response.request.method} {response.url} answered {response.status_code}")
    return samples


def timed_get(client: requests.Session, urls: list[str], warmup: int = 20) -> list[float]:
    for url in urls[:warmup]:
        client.get(url).raise_for_status()
    return timed(lambda i: client.get(urls[i]), len(urls), warmup=0)


def report(name: str, samples: list[float], target: float | None) -> bool:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    verdict = "" if target is None else (" PASS" if p95 < target else " FAIL") + f" (target p95 < {target:.0f} ms)"
    print(f"{name}: n={len(samples)} p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms{verdict}")
    return target is None or p95 < target
