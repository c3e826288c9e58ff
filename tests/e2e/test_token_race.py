"""Finding 5: eight simultaneous submissions of one reset link against the live (threaded) server: one wins."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading

import psycopg
import requests
from sqlalchemy.engine import make_url

from tests.e2e.conftest import E2E_DB

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _plant_reset_token(service_urls) -> str:
    raw = secrets.token_urlsafe(32)
    url = make_url(service_urls["owner"]).set(database=E2E_DB).render_as_string(False)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            """insert into one_time_tokens (district_id, user_id, purpose, token_hash, expires_at)
               select district_id, id, 'reset', %s, now() + interval '1 hour'
               from users where email = 'guardian@other.chalkline.test'""",
            (hashlib.sha256(raw.encode()).hexdigest(),),
        )
    return raw


def test_one_reset_link_posted_eight_times_at_once_resets_the_password_once(live_server, service_urls):
    raw = _plant_reset_token(service_urls)
    url = f"{live_server}/account/password/reset/{raw}"
    sessions = [requests.Session() for _ in range(8)]
    tokens = [CSRF.search(s.get(url, timeout=10).text).group(1) for s in sessions]
    start = threading.Barrier(len(sessions))
    codes: list[int] = []

    def submit(session, token, n):
        start.wait()
        response = session.post(
            url, data={"csrf_token": token, "password": f"racing passphrase {n}"}, allow_redirects=False, timeout=20
        )
        codes.append(response.status_code)

    threads = [
        threading.Thread(target=submit, args=(s, t, n)) for n, (s, t) in enumerate(zip(sessions, tokens, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(codes).count(303) == 1, codes
    assert all(code in (303, 410) for code in codes), codes
