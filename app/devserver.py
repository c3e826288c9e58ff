"""`make run`: embedded servers when no URLs are given, migrations, demo data if empty, web and worker.

Ctrl-C stops the web server, the worker and the embedded servers; their data stays under instance/.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from app.config import ROOT, load_config


def _prepare_environment() -> dict:
    from app import embedded

    # `make run` is the development server unless APP_ENV says otherwise (every other start is production).
    os.environ.setdefault("APP_ENV", "development")
    config = load_config()
    env = dict(os.environ)
    if not config.DATABASE_URL:
        env["DATABASE_URL"] = embedded.start_postgres(config.INSTANCE_DIR)
    else:
        _ensure_named_database(config.DATABASE_URL)
    if not config.REDIS_URL:
        env["REDIS_URL"] = embedded.start_redis(config.INSTANCE_DIR)
    env.setdefault("APP_ENV", "development")
    return env


def _ensure_named_database(url: str) -> None:
    from sqlalchemy.engine import make_url

    from app.embedded import ensure_database

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    ensure_database(admin, parsed.database)


def _flask(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], env=env, cwd=ROOT, check=True)


def main() -> int:
    env = _prepare_environment()
    _flask(env, "db", "upgrade")
    _flask(env, "seed", "--size", "demo", "--if-empty")
    port = env.get("PORT", "5000")
    web_cmd = [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--host", "127.0.0.1", "--port", port]
    if env["APP_ENV"] == "production":
        web_cmd = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"]
    children = [
        subprocess.Popen(web_cmd, env=env, cwd=ROOT),
        subprocess.Popen([sys.executable, "-m", "jobs.worker"], env=env, cwd=ROOT),
    ]
    print(f"Chalkline is running on http://127.0.0.1:{port}  (Ctrl-C stops it)", flush=True)
    stopping = False

    def _stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
        from app import embedded

        embedded.stop_redis()
    return 0 if stopping else 1


if __name__ == "__main__":
    sys.exit(main())
