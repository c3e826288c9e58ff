"""Issue 14: bytes over the wire for the sign-in page with a cold cache, and what a second page view fetches again.

Starts gunicorn (3 workers) with an access log, puts a byte-counting TCP proxy in front of it and drives
Chromium (Playwright, /usr/bin/chromium) through the proxy in a fresh browser context:
  1. cold: "/" and on to the sign-in page, until the service worker is ready and the network is idle;
  2. the sign-in page again (a second page view);
  3. signing in as the teacher, landing on the signed-in home page;
  4. the home page again.
For each step it prints the bytes the server sent (headers included, as counted by the proxy) and the requests
the server saw (gunicorn's access log, so the service worker's own fetches count too). It runs once with the
service worker allowed and once with it blocked (HTTP cache alone).
    DATABASE_URL=... REDIS_URL=... python perf/page_weight.py [--app-dir DIR]
--app-dir serves another checkout (e.g. an unpacked `git archive` of main) for a before/after comparison.
Targets: the cold sign-in page under 40 KB; no static file fetched again after the first page view.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from pathlib import Path

from walk import DEMO_ACCOUNTS, PASSWORD, ROOT, server_env, start_gunicorn, stop, wait_until_up

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
COLD_TARGET = 40 * 1024


class CountingProxy:
    """Forwards 127.0.0.1:<port> to the server and counts the bytes the server sends back."""

    def __init__(self, port: int, upstream: int):
        self.upstream = upstream
        self.down = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            client, _address = self._listener.accept()
            server = socket.create_connection(("127.0.0.1", self.upstream))
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, count: bool):
        try:
            while data := source.recv(65536):
                if count:
                    with self._lock:
                        self.down += len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def take(self) -> int:
        with self._lock:
            taken, self.down = self.down, 0
        return taken


class AccessLog:
    def __init__(self, path: Path):
        self.path = path
        self.offset = 0

    def take(self) -> list[str]:
        time.sleep(0.3)  # gunicorn writes the line after the response
        with open(self.path) as handle:
            handle.seek(self.offset)
            lines = handle.read().splitlines()
            self.offset = handle.tell()
        return lines


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.evaluate(
        "() => 'serviceWorker' in navigator ? Promise.race([navigator.serviceWorker.ready,"
        " new Promise((resolve) => setTimeout(resolve, 3000))]) : null"
    )
    page.wait_for_timeout(500)
    page.wait_for_load_state("networkidle")


def run(chromium, base: str, proxy: CountingProxy, log: AccessLog, service_workers: str) -> list[tuple]:
    context = chromium.new_context(service_workers=service_workers)
    page = context.new_page()
    steps = []

    def step(name: str):
        lines = log.take()
        static = [line for line in lines if " /static/" in line]
        steps.append((name, proxy.take(), lines, static))

    proxy.take(), log.take()
    page.goto(base + "/")
    settle(page)
    step("1 cold: / -> sign-in page")
    sign_in_url = page.url
    page.goto(sign_in_url)
    settle(page)
    step("2 sign-in page again")
    page.fill("input[type=email]", DEMO_ACCOUNTS["teacher"])
    page.fill("input[type=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    settle(page)
    step("3 sign in -> home")
    page.goto(base + "/")
    settle(page)
    step("4 home again")
    context.close()
    return steps


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=5095)
    parser.add_argument("--app-dir", type=Path, default=ROOT)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    upstream = args.port + 1
    log_path = ROOT / "perf" / "results" / "page_weight_access.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_text("")
    app_dir = args.app_dir.resolve()
    access = ("--access-logfile", str(log_path), "--access-logformat", "%(m)s %(U)s %(s)s %(B)s")
    server = start_gunicorn("wsgi:app", upstream, 3, server_env(PYTHONPATH=str(app_dir)), access, cwd=app_dir)
    ok = True
    try:
        wait_until_up(f"http://127.0.0.1:{upstream}", "/healthz")
        proxy = CountingProxy(args.port, upstream)
        log = AccessLog(log_path)
        base = f"http://127.0.0.1:{args.port}"
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
            for service_workers in ("allow", "block"):
                print(f"\nservice worker: {service_workers} (serving {args.app_dir})")
                for name, down, lines, static in run(chromium, base, proxy, log, service_workers):
                    counts = f"{len(lines)} requests, {len(static)} static"
                    print(f"{name:<28} {down / 1024:>7.1f} KB from the server, {counts}")
                    for line in lines:
                        print(f"    {line}")
                    if name.startswith("1") and down >= COLD_TARGET:
                        ok = False
                    if not name.startswith("1") and static:
                        ok = False
            chromium.close()
    finally:
        stop(server)
    print("\nPASS" if ok else "\nFAIL", "(targets: cold sign-in page < 40 KB; later views fetch no static file)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
