"""Issue 14: the fixed cost of a signed-in request, as a ratio to a bare Flask page of the same byte size.

Starts two gunicorns with the same settings (3 sync workers by default): the app (APP_ENV=development so the
session cookie is not Secure-only on http, sign-in limits raised) and perf/bare_page.py. Signs in as each demo
role with requests, hands the session cookie to wrk, and loads the role's home page ("/"), then the bare page of
the same size, one after the other with the same wrk settings; the teacher's roster page is found by following
"My sections" to its first section. Run it at least twice: the machine is shared and has two cores.
    DATABASE_URL=... REDIS_URL=... python perf/request_path.py [--seconds 10] [--accounts-from-db] [--rounds 2]
Targets: every role's home >= 0.5 of the bare rate, the roster page >= 0.4.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys

from walk import (
    DEMO_ACCOUNTS,
    RequestsFetch,
    accounts_from_db,
    roster_url,
    server_env,
    sign_in,
    start_gunicorn,
    stop,
    wait_until_up,
)

UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}
HOME_TARGET, ROSTER_TARGET = 0.5, 0.4


def wrk(url: str, seconds: int, connections: int, threads: int, cookie: str | None = None) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    amount, unit = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", out).groups()
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    return {
        "rate": rate,
        "bytes_per_response": float(amount) * UNITS[unit] / rate if rate else 0.0,
        "errors": int(errors.group(1)) if errors else 0,
        "p50": p50,
        "p99": p99,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=1, help="measure every page this many times")
    parser.add_argument("--port", type=int, default=5091)
    parser.add_argument("--bare-port", type=int, default=5092)
    parser.add_argument("--accounts-from-db", action="store_true", help="seeded accounts (large seed) not demo@")
    args = parser.parse_args()
    accounts = accounts_from_db(os.environ["DATABASE_URL"]) if args.accounts_from_db else DEMO_ACCOUNTS
    base, bare_base = f"http://127.0.0.1:{args.port}", f"http://127.0.0.1:{args.bare_port}"
    app_server = start_gunicorn("wsgi:app", args.port, args.workers)
    bare_server = start_gunicorn("bare_page:app", args.bare_port, args.workers, server_env(), ("--chdir", "perf"))
    try:
        wait_until_up(base, "/healthz")
        wait_until_up(bare_base, "/100")
        targets = []  # (label, url, cookie, body size, target ratio)
        for role, email in accounts.items():
            client = RequestsFetch(base)
            sign_in(client, email)
            status, _url, html = client.get("/")
            if status != 200 or 'type="password"' in html:
                raise SystemExit(f"{email}: / is not a signed-in page ({status})")
            targets.append((f"home, {role}", base + "/", client.cookie_header(), len(html.encode()), HOME_TARGET))
            if role == "teacher":
                roster = roster_url(client)
                status, _url, html = client.get(roster)
                if status != 200:
                    raise SystemExit(f"{roster} answered {status}")
                targets.append(("roster, teacher", roster, client.cookie_header(), len(html.encode()), ROSTER_TARGET))
        settings = f"wrk -t{args.threads} -c{args.connections} -d{args.seconds}s; gunicorn -w {args.workers} (sync)"
        print(f"{settings}; accounts: {', '.join(accounts.values())}")
        print(f"{'page':<24} {'bytes':>6} {'app r/s':>8} {'bare r/s':>8} {'ratio':>6}  app p50/p99    target")
        verdicts = []
        for round_number in range(args.rounds):
            for label, url, cookie, size, target in targets:
                app = wrk(url, args.seconds, args.connections, args.threads, cookie)
                bare = wrk(f"{bare_base}/{size}", args.seconds, args.connections, args.threads)
                # A lost session would answer a small redirect to the sign-in page: wrk counts 3xx as success.
                if app["errors"] or app["bytes_per_response"] < size * 0.95:
                    raise SystemExit(f"{label}: {app['errors']} errors, {app['bytes_per_response']:.0f} B/response")
                ratio = app["rate"] / bare["rate"]
                verdict = ratio >= target
                verdicts.append(verdict)
                print(
                    f"{label:<24} {size:>6} {app['rate']:>8.0f} {bare['rate']:>8.0f} {ratio:>6.2f}  "
                    f"{app['p50']:>6}/{app['p99']:<7} >= {target} {'PASS' if verdict else 'FAIL'}"
                    + (f"  (round {round_number + 1})" if args.rounds > 1 else "")
                )
    finally:
        stop(app_server, bare_server)
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
