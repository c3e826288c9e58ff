"""Issue 14: where a signed-in request's time goes, step by step, in-process (Flask test client, no network).

Signs in with the test client (the sign-in form found from "/"), warms up, then serves the page --requests
times with a timer around each step Flask runs (every before/after-request hook, the session cookie, the user
loader, the view, context processors, template rendering, gettext, csrf_token, url_for, each SQL statement,
the tenant set_config, log records, teardown) and prints microseconds per request. A second pass runs the same
requests under cProfile and writes the top functions to perf/results/profile_<page>.txt.
    DATABASE_URL=... REDIS_URL=... python perf/profile_request.py [--email teacher@demo.chalkline.test]
        [--page home|roster] [--url /any/path] [--requests 500]
Times are inclusive; the indented rows are parts of the row above them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import pstats
import sys
import time
from collections import defaultdict

from walk import ROOT, roster_url, server_env, sign_in

TIMES: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)


def timed(name: str, function):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            TIMES[name] += time.perf_counter() - started
            CALLS[name] += 1

    return wrapper


def _hook_name(function) -> str:
    inner = getattr(function, "func", function)  # functools.partial (Flask-Limiter's hooks)
    name = getattr(inner, "__qualname__", repr(inner)).replace(".<locals>", "")
    return f"{getattr(inner, '__module__', '?').removeprefix('app.')}.{name}"


class TestClientFetch:
    def __init__(self, client):
        self.client = client

    def get(self, url):
        response = self.client.get(url, follow_redirects=True)
        return response.status_code, response.request.path, response.get_data(as_text=True)

    def post(self, url, data):
        return self.client.post(url, data=data).status_code


def _get_ok(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return response


def instrument(app) -> None:
    """Wrap every step of a request in a timer (TIMES/CALLS), without changing what it does."""
    import flask.templating
    from flask_babel import gettext, ngettext
    from sqlalchemy import event

    from app import db
    from app.extensions import login_manager

    app.wsgi_app = timed("request, whole (WSGI app incl. WhiteNoise)", app.wsgi_app)
    for key, hooks in (("before", app.before_request_funcs), ("after", app.after_request_funcs)):
        for blueprint, functions in hooks.items():
            hooks[blueprint] = [timed(f"{key}_request: {_hook_name(f)}", f) for f in functions]
    app.teardown_appcontext_funcs[:] = [timed(f"teardown: {_hook_name(f)}", f) for f in app.teardown_appcontext_funcs]
    for blueprint, functions in app.template_context_processors.items():
        app.template_context_processors[blueprint] = [
            timed(f"  context processor: {_hook_name(f)}", f) for f in functions
        ]
    for endpoint, view in app.view_functions.items():
        app.view_functions[endpoint] = timed("view function (queries + render)", view)
    interface = app.session_interface
    interface.open_session = timed("open_session (cookie decode)", interface.open_session)
    interface.save_session = timed("save_session (cookie re-sign + Set-Cookie)", interface.save_session)
    login_manager._user_callback = timed("  user loader (actor load)", login_manager._user_callback)
    db._apply = timed("    tenant set_config", db._apply)
    flask.templating._render = timed("  template render", flask.templating._render)
    app.jinja_env.install_gettext_callables(
        timed("    gettext (templates)", gettext), timed("    gettext (templates)", ngettext), newstyle=True
    )
    import flask_wtf.csrf

    # Flask-WTF's context processor looks generate_csrf up in its module at each render.
    flask_wtf.csrf.generate_csrf = timed("    csrf_token() (sign the CSRF token)", flask_wtf.csrf.generate_csrf)
    env_globals = app.jinja_env.globals
    env_globals["url_for"] = timed("    url_for (templates)", env_globals["url_for"])
    babel = app.extensions["babel"]
    babel.locale_selector = timed("    babel locale selector", babel.locale_selector)

    engine = app.extensions["db_engine"]

    @event.listens_for(engine, "before_cursor_execute")
    def _started(conn, cursor, statement, parameters, context, executemany):
        conn.info["query_started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _ended(conn, cursor, statement, parameters, context, executemany):
        kind = "set_config" if "set_config" in statement else " ".join(statement.split())[:40]
        TIMES[f"  SQL round trip: {kind}"] += time.perf_counter() - conn.info.pop("query_started")
        CALLS[f"  SQL round trip: {kind}"] += 1

    class _Counting(logging.Handler):
        def emit(self, record):
            CALLS[f"log record: {record.name}"] += 1

    logging.getLogger().addHandler(_Counting())


def report(requests: int) -> None:
    """Steps Flask runs one after another first, then the parts measured inside them (indented)."""
    print(f"{'step':<72} {'µs/request':>10} {'calls/req':>9}")
    steps = sorted((n for n in TIMES if not n.startswith(" ")), key=lambda n: -TIMES[n])
    parts = sorted((n for n in TIMES if n.startswith(" ")), key=lambda n: (len(n) - len(n.lstrip()), -TIMES[n]))
    whole = TIMES[steps[0]]
    rest = whole - sum(TIMES[n] for n in steps[1:])
    for name in [*steps, "(Flask, werkzeug and WhiteNoise between the steps)", *parts]:
        spent = TIMES.get(name, rest)
        calls = f"{CALLS[name] / requests:>9.1f}" if name in CALLS else ""
        print(f"{name[:72]:<72} {spent / requests * 1e6:>10.0f} {calls}")
    for name in sorted(n for n in CALLS if n not in TIMES):
        print(f"{name[:72]:<72} {'':>10} {CALLS[name] / requests:>9.1f}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--email", default="teacher@demo.chalkline.test")
    parser.add_argument("--page", choices=["home", "roster"], default="home")
    parser.add_argument("--url", help="any other path to profile (the output file is named after --page)")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()
    import os

    os.environ.update(server_env())
    from app import create_app

    app = create_app()
    logging.getLogger().handlers[0].setStream(io.StringIO())  # keep the JSON lines, off the terminal
    client = app.test_client()
    fetch = TestClientFetch(client)
    sign_in(fetch, args.email)
    url = args.url or ("/" if args.page == "home" else roster_url(fetch))
    for _ in range(args.warmup):
        _get_ok(client, url)
    size = len(_get_ok(client, url).get_data())

    profiler = cProfile.Profile()
    profiler.enable()
    started = time.perf_counter()
    for _ in range(args.requests):
        client.get(url)
    profiled = time.perf_counter() - started
    profiler.disable()
    out = ROOT / "perf" / "results"
    out.mkdir(parents=True, exist_ok=True)
    with open(out / f"profile_{args.page}.txt", "w") as handle:
        stats = pstats.Stats(profiler, stream=handle).strip_dirs()
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)

    instrument(app)
    started = time.perf_counter()
    for _ in range(args.requests):
        _get_ok(client, url)
    elapsed = time.perf_counter() - started
    print(
        f"{url} as {args.email}, {size} bytes, {args.requests} requests: {elapsed / args.requests * 1e3:.2f} ms "
        f"each through the test client, timers on ({profiled / args.requests * 1e3:.2f} ms under cProfile); "
        f"cProfile top functions in perf/results/profile_{args.page}.txt"
    )
    report(args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
