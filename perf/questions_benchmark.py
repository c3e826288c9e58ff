"""Question bank speed: importing a 1,000-question QTI package with an image in every question (check and apply, as
the jobs run them), exporting a bank as QTI 2.1, and the bank page with 5,000 questions and its filters.

    DATABASE_URL=postgresql://.../chalkline_questions .venv/bin/python perf/questions_benchmark.py

On the demo seed (`flask --app wsgi seed --size demo`); the benchmark adds a bank of 5,000 questions (five imports
of 1,000) to the demo teacher. Targets (issue 18): import under 10 s, export under 5 s, bank page p95 under 80 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import struct
import sys
import time
import zlib
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from perf.common import gunicorn, report, sign_in, timed_get

TEACHER = "teacher@demo.chalkline.test"
TAGS = ("forces", "energy", "waves", "cells", "ecosystems", "algebra", "geometry", "fractions", "reading", "maps")
WORDS = ("force", "energy", "planet", "cell", "equation", "triangle", "river", "volcano", "fraction", "atom")


def _png(rng: random.Random, side: int = 48) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + rng.randbytes(side) for _ in range(side))
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def questions(count: int, seed: int) -> list:
    """`count` questions of every type, each with its own image and some LaTeX."""
    from app.questions.data import QUESTION_TYPES, Asset, Blank, Choice, NumericAnswer, Pair, QuestionData, TextAnswer

    rng = random.Random(seed)
    out = []
    for n in range(count):
        kind = QUESTION_TYPES[n % len(QUESTION_TYPES)]
        word = rng.choice(WORDS)
        name = f"fig{seed}-{n}.png"
        stem = f'<p>Question {n} about the {word}: what does \\(x^{n % 7}\\) show?</p><p><img src="asset:{name}"></p>'
        q = QuestionData(
            type=kind,
            stem_html=stem,
            points=Decimal(rng.choice([1, 2, 3, 5])),
            difficulty=rng.choice([None, 1, 2, 3, 4, 5]),
            tags=rng.sample(TAGS, 2),
            source_id=f"item-{seed}-{n}",
            assets=[Asset(name, "image/png", _png(rng))],
        )
        if kind in ("multiple_choice", "multiple_select"):
            right = {0} if kind == "multiple_choice" else {0, 2}
            q.choices = [Choice(f"c{k}", f"<p>Answer {k} of {n}</p>", k in right) for k in range(4)]
        elif kind == "true_false":
            q.choices = [Choice("true", "True", n % 2 == 0), Choice("false", "False", n % 2 == 1)]
        elif kind == "short_answer":
            q.text_answers = [TextAnswer("a1", f"{word}{n}")]
        elif kind == "numeric":
            q.numeric_answers = [NumericAnswer("n1", "exact", Decimal(n), Decimal("0.5"))]
        elif kind == "matching":
            q.pairs = [Pair(f"p{k}", f"<p>left {k}</p>", f"<p>right {k}</p>") for k in range(3)]
        elif kind == "ordering":
            q.items = [Choice(f"i{k}", f"<p>step {k}</p>") for k in range(4)]
        elif kind == "fill_blanks":
            q.stem_html = f'<p>The {word} has [[blank:b1]] parts.</p><p><img src="asset:{name}"></p>'
            q.blanks = [Blank("b1", answers=[TextAnswer("t1", str(n % 5 + 2))])]
        out.append(q)
    return out


def in_app(args) -> dict:
    """The import and export timings, in-process (as the jobs run them), and the bank the page benchmark reads."""
    from app import create_app, db
    from app.accounts.services import actor_for_user, user_id_by_email
    from app.org.services import system_actor_for
    from app.questions import services
    from app.questions.interchange import export_qti21
    from app.questions.services.imports import store_upload

    app = create_app({"APP_ENV": "development", "SECRET_KEY": "perf-" + "k" * 40})
    facts: dict = {}
    with app.app_context():
        district = system_actor_for("demo")
        actor = actor_for_user(district.district_id, user_id_by_email(district, TEACHER))
        bank = services.create_bank(actor, f"Benchmark bank {int(time.time())}", visibility="private")
        facts["bank"] = bank.id
        imports = []
        for batch in range(args.batches):
            package = export_qti21("Benchmark", questions(args.questions, seed=batch))
            started, cpu = time.perf_counter(), time.process_time()
            record = store_upload(actor, "benchmark.zip", package, bank.id)
            db.session.commit()
            services.check_import(actor, record.id)
            checked = time.perf_counter()
            record = services.get_import(actor, record.id)
            record.status = "applying"
            db.session.commit()
            services.apply_import(actor, record.id)
            done = time.perf_counter()
            record = services.get_import(actor, record.id)
            imports.append((checked - started, done - checked, record.created_count, len(package)))
            facts.setdefault("import_cpu", []).append(time.process_time() - cpu)
            if batch == 0:
                for _ in range(3):
                    started_export = time.perf_counter()
                    _name, data = services.export_bank(actor, bank.id)
                    facts.setdefault("export_seconds", []).append(time.perf_counter() - started_export)
                facts["export_size"] = len(data)
            print(
                f"import {batch + 1}: {record.created_count} questions ({len(package) / 2**20:.1f} MB zip): "
                f"check {checked - started:.2f} s + apply {done - checked:.2f} s = {done - started:.2f} s "
                f"(this process's CPU {facts['import_cpu'][-1]:.2f} s)"
            )
        facts["import_seconds"] = [check + apply for check, apply, _n, _size in imports]
        started = time.perf_counter()
        _name, data = services.export_bank(actor, bank.id)
        facts["export_all"] = (time.perf_counter() - started, len(data))
        facts["total"] = services.bank_questions(actor, bank.id, services.Filters())["total"]
        db.session.commit()
    return facts


def server_cpu(port: int) -> float:
    """CPU seconds used so far by this benchmark's own gunicorn (master and workers), from /proc: on a machine
    other work keeps busy, wall-clock times include waiting for a core; this is the work the requests cost."""
    import subprocess

    pids = subprocess.run(["pgrep", "-f", f"gunicorn.*127.0.0.1:{port}"], capture_output=True, text=True).stdout
    ticks = 0
    for pid in pids.split():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def vacuum_analyze() -> None:
    """What autovacuum does after a bulk import (statistics, and the visibility map index-only scans need)."""
    import psycopg

    from perf.common import owner_url

    with psycopg.connect(owner_url(), autocommit=True) as conn:
        conn.execute("vacuum analyze questions")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--port", type=int, default=5118)
    parser.add_argument("--page-bank", type=int, help="Measure the bank page on this bank (else the imported one).")
    parser.add_argument("--pages-only", action="store_true", help="Only the bank page (on --page-bank).")
    args = parser.parse_args()
    results = []
    if not args.pages_only:
        results += import_and_export(args)
    results += pages(args, args.page_bank)
    return 0 if all(results) else 1


def import_and_export(args) -> list[bool]:
    facts = in_app(args)
    args.page_bank = args.page_bank or facts["bank"]
    first = facts["import_seconds"][0]
    best_import = min(facts["import_seconds"])
    results = [first < 10]
    print(
        f"import of {args.questions} QTI 2.1 questions with an image each: first {first:.2f} s, best "
        f"{best_import:.2f} s{' PASS' if first < 10 else ' FAIL'} (target < 10 s)"
    )
    slowest_export = max(facts["export_seconds"])
    results.append(slowest_export < 5)
    print(
        f"export of {args.questions} questions ({facts['export_size'] / 2**20:.1f} MB): "
        f"{', '.join(f'{s:.2f}' for s in facts['export_seconds'])} s{' PASS' if slowest_export < 5 else ' FAIL'} "
        "(target < 5 s)"
    )
    seconds, size = facts["export_all"]
    print(f"export of all {facts['total']} questions ({size / 2**20:.1f} MB): {seconds:.2f} s")
    return results


def pages(args, bank: int) -> list[bool]:
    results = []
    rng = random.Random(18)
    vacuum_analyze()
    with gunicorn(args.port, 2) as base:
        teacher = sign_in(base, TEACHER)
        filters = {
            "no filter": lambda: "",
            "type": lambda: f"type={rng.choice(['numeric', 'matching', 'essay'])}",
            "tag": lambda: f"tag={rng.choice(TAGS)}",
            "difficulty": lambda: f"difficulty={rng.randint(1, 5)}",
            "search": lambda: f"q={rng.choice(WORDS)}",
            "search + type + tag": lambda: f"q={rng.choice(WORDS)}&type=multiple_choice&tag={rng.choice(TAGS)}",
            "page 40": lambda: "page=40",
        }
        print(f"bank {bank}; gunicorn 2 sync workers")
        for name, query in filters.items():
            urls = [f"{base}/questions/banks/{bank}?{query()}" for _ in range(args.requests)]
            cpu = server_cpu(args.port)
            samples = timed_get(teacher, urls)
            used = (server_cpu(args.port) - cpu) * 1000 / (len(urls) + 20)
            results.append(report(f"bank page ({name})", samples, 80))
            print(f"    app CPU per request {used:.1f} ms")
        urls = [f"{base}/questions/banks/{bank}?{filters['tag']()}" for _ in range(args.requests)]
        htmx = [f"{base}/questions/banks/{bank}?{filters['search']()}" for _ in range(args.requests)]
        teacher.headers["HX-Request"] = "true"
        results.append(report("bank results fragment (HTMX, search)", timed_get(teacher, htmx), 80))
        del teacher.headers["HX-Request"]
        del urls
    return results


if __name__ == "__main__":
    sys.exit(main())
