"""Signed-in home page under load. Each simulated user signs in once as a different seeded account
(teachers, students and guardians of the demo district, plus its admins) and then loads `/` repeatedly.

Seeded accounts all use the demo password; see app/seed.
"""

from __future__ import annotations

import itertools
import re

from locust import FastHttpUser, between, events, task

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
_accounts = itertools.count()


ACCOUNTS: list[str] = []


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--accounts-file", default="perf/results/accounts.txt", help="one email per line")


@events.test_start.add_listener
def _load_accounts(environment, **_):
    with open(environment.parsed_options.accounts_file) as handle:
        ACCOUNTS.extend(line.strip() for line in handle if line.strip())


class SignedInUser(FastHttpUser):
    wait_time = between(0.05, 0.15)

    def on_start(self):
        email = ACCOUNTS[next(_accounts) % len(ACCOUNTS)]
        page = self.client.get("/account/login", name="/account/login")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/account/login",
            data={"email": email, "password": "chalkline-demo", "csrf_token": token},
            name="/account/login [POST]",
            allow_redirects=False,
        )
        if response.status_code != 303:
            raise RuntimeError(f"sign-in failed for {email}: {response.status_code}")

    @task
    def home(self):
        self.client.get("/", name="/ (signed in)")
