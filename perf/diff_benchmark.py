"""Version diff (issue 19): the diff of two 10,000-word versions with scattered edits, and the compare page of a
typical lesson next to the diff computation alone, in the same run.

    DATABASE_URL=... REDIS_URL=... python perf/diff_benchmark.py [--requests 200] [--workers 2]

On a seeded database (`flask --app wsgi seed --size demo` is enough: a diff reads two version rows, whatever the
district's size). The setup gives one of the demo teacher's lessons two 10,000-word versions and another two
versions of a typical lesson (nine sections, about 450 words, a list and a table), each pair with scattered edits
(words changed, a word made bold, a link changed, a paragraph moved, one deleted, one added).

Targets: the 10,000-word diff, server time (the engine and its HTML, in-process) p95 < 100 ms, and its compare
page over HTTP for reference; the typical lesson's compare page p95 < 60 ms and within 2x of the diff computation
alone (the engine and its HTML for the same two versions, in-process, measured in this run).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import psycopg
from common import gunicorn, owner_url, report, sign_in, timed_get

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TEACHER = "teacher@demo.chalkline.test"
VOCABULARY = [
    "students", "explain", "evidence", "partner", "model", "energy", "force", "motion", "water", "cycle",
    "fraction", "number", "line", "poem", "reader", "theater", "gallery", "walk", "notice", "wonder", "sketch",
    "predict", "measure", "compare", "describe", "record", "share", "question", "answer", "observe", "investigate",
    "reflect", "vocabulary", "sentence", "paragraph", "chart", "table", "station", "group", "discuss",
]  # fmt: skip


def _paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(VOCABULARY) for _ in range(words))
    return f"<p>{text[0].upper()}{text[1:]}.</p>"


def _typical(rng: random.Random) -> dict[str, str]:
    para = lambda n: _paragraph(rng, n)  # noqa: E731
    return {
        "objectives": "<ul><li>Explain the main idea with evidence</li><li>Use three new vocabulary words</li></ul>",
        "materials": "<p>Chart paper, markers, the reading packet (pages 12-15), timers for each table.</p>",
        "warm_up": para(40),
        "instruction": para(45) + para(50) + para(40),
        "activities": para(40)
        + para(35)
        + "<table><tr><th>Station</th><th>Task</th></tr><tr><td>1</td><td>Read and annotate</td></tr>"
        "<tr><td>2</td><td>Build a model</td></tr></table>",
        "assessment": "<p>Exit ticket: one thing learned, one question, one connection.</p>",
        "differentiation": para(40),
        "homework": "<p>Read pages 16-18 and answer the two questions at the end.</p>",
        "notes": '<p><em>Period 3</em> needs more time; see <a href="https://example.org/a">the guide</a>.</p>',
    }


def _long(rng: random.Random, words: int = 10_000) -> dict[str, str]:
    per = 50
    return {"instruction": "".join(_paragraph(rng, per) for _ in range(words // per))}


def _edited(doc: dict, rng: random.Random, share: float) -> dict:
    """A copy of a Document with scattered edits: words replaced in `share` of its paragraphs, a word made bold,
    a link changed, one paragraph moved to the end, one deleted, one added."""
    blocks = [dict(block) for block in doc["blocks"]]
    paragraphs = [block for block in blocks if block["type"] == "p"]
    if not paragraphs:
        return doc
    for block in rng.sample(paragraphs, max(1, int(len(paragraphs) * share))):
        words = block["html"].split(" ")
        words[rng.randrange(len(words))] = rng.choice(["carefully", "twice", "together", "aloud"])
        block["html"] = " ".join(words)
    bold = rng.choice(paragraphs)
    words = bold["html"].split(" ")
    words[2] = f"<strong>{words[2]}</strong>"
    bold["html"] = " ".join(words)
    for block in blocks:
        if "html" in block:
            block["html"] = block["html"].replace("https://example.org/a", "https://example.org/b")
    if len(blocks) > 3:
        blocks.append(blocks.pop(1))
        blocks.pop(2)
    blocks.insert(len(blocks) // 2, {"id": "b-added01", "type": "p", "html": "A new paragraph added in this version."})
    return {**doc, "blocks": blocks}


def _snapshots(rng: random.Random, sections: dict[str, str], share: float) -> tuple[dict, dict]:
    from app.richtext.services import to_document

    old_sections = {key: to_document(html) for key, html in sections.items()}
    new_sections = {key: _edited(doc, rng, share) for key, doc in old_sections.items()}
    base = {"duration_minutes": 45, "visibility": "private", "unit_id": None}
    return (
        {**base, "title": "Benchmark lesson", "sections": old_sections},
        {**base, "title": "Benchmark lesson, revised", "sections": new_sections},
    )


def setup(rng: random.Random) -> dict:
    """Two lessons of the demo teacher, each with two more versions (the pairs compared); their ids and numbers."""
    pairs = {"long": _snapshots(rng, _long(rng), 0.1), "typical": _snapshots(rng, _typical(rng), 0.3)}
    out = {}
    with psycopg.connect(owner_url(), autocommit=True) as conn:
        owner = conn.execute("select id from users where email = %s", (TEACHER,)).fetchone()[0]
        lessons = conn.execute(
            "select id, district_id, unit_id from lessons where owner_id = %s order by id desc limit 2", (owner,)
        ).fetchall()
        for (name, (old, new)), (lesson_id, district_id, unit_id) in zip(pairs.items(), lessons, strict=True):
            version = conn.execute("select version from lessons where id = %s", (lesson_id,)).fetchone()[0]
            for offset, snapshot in enumerate((old, new), start=1):
                conn.execute(
                    """insert into content_versions (district_id, item_type, item_id, number, snapshot, author_id,
                       note) values (%s, 'lesson', %s, %s, %s, %s, 'Benchmark')""",
                    (district_id, lesson_id, version + offset, json.dumps({**snapshot, "unit_id": unit_id}), owner),
                )
            conn.execute(
                "update lessons set version = %s, revision = revision + 2 where id = %s", (version + 2, lesson_id)
            )
            out[name] = (lesson_id, version + 1, version + 2, {**old, "unit_id": unit_id}, {**new, "unit_id": unit_id})
    return out


def _engine_samples(old: dict, new: dict, count: int) -> tuple[list[float], list[float]]:
    """(wall, CPU) milliseconds of the diff alone, in-process: the structured diff and the HTML of the inline
    view. CPU time is what the diff costs whatever else the machine runs; wall time includes waiting for a core."""
    from app import create_app
    from app.curriculum.services.compare import specs_for
    from app.diff import services as diff

    app = create_app()
    wall, cpu = [], []
    with app.test_request_context():
        specs = specs_for("lesson")
        for i in range(count + 10):
            started, started_cpu = time.perf_counter(), time.process_time()
            diff.field_views(diff.compare(specs, old, new), "inline")
            if i >= 10:
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def _service_samples(lesson_id: int, left: int, right: int, count: int) -> list[float]:
    """Milliseconds of the compare service in-process (both versions read, diffed, turned into HTML), as the page
    calls it: the whole computation the page wraps in sign-in, session and layout."""
    from app import create_app, db
    from app.accounts.services.signin import actor_for_user
    from app.curriculum import services

    app = create_app()
    samples = []
    with app.app_context():
        with psycopg.connect(owner_url()) as conn:
            user_id, district_id = conn.execute(
                "select id, district_id from users where email = %s", (TEACHER,)
            ).fetchone()
        for i in range(count + 10):
            db.set_tenant(district_id, user_id, "teacher")
            actor = actor_for_user(district_id, user_id)
            started = time.perf_counter()
            services.compare_versions(actor, "lesson", lesson_id, left, right, "inline")
            if i >= 10:
                samples.append((time.perf_counter() - started) * 1000)
            db.session.rollback()
    return samples


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=5919)
    args = parser.parse_args()
    pairs = setup(random.Random(19))
    words = sum(len(block.get("html", "").split()) for block in pairs["long"][3]["sections"]["instruction"]["blocks"])
    print(f"long versions: {words} words; typical lesson: {len(json.dumps(pairs['typical'][3]))} bytes of JSON")
    wall, cpu = _engine_samples(*pairs["long"][3:], args.requests)
    ok = report("diff of two 10,000-word versions (engine + HTML, in-process, wall)", wall, 100)
    report("diff of two 10,000-word versions (engine + HTML, in-process, CPU)", cpu, 100)
    alone, alone_cpu = _engine_samples(*pairs["typical"][3:], args.requests)
    report("diff of a typical lesson (engine + HTML, in-process, wall)", alone, None)
    report("diff of a typical lesson (engine + HTML, in-process, CPU)", alone_cpu, None)
    lesson, left, right, _old, _new = pairs["typical"]
    service = _service_samples(lesson, left, right, args.requests)
    report("compare service of a typical lesson (two versions read + diff + HTML, in-process)", service, None)
    with gunicorn(args.port, args.workers) as base:
        client = sign_in(base, TEACHER)
        url = f"{base}/curriculum/lessons/{lesson}/compare?left={left}&right={right}"
        page = timed_get(client, [url] * args.requests)
        ok &= report("compare page of a typical lesson (HTTP)", page, 60)
        side = timed_get(client, [url + "&view=side"] * args.requests)
        report("compare page of a typical lesson, side by side (HTTP)", side, 60)
        history = timed_get(client, [f"{base}/curriculum/lessons/{lesson}/history"] * args.requests)
        report("history page of the same lesson (HTTP, for scale: a page without a diff)", history, None)
        lesson, left, right, _old, _new = pairs["long"]
        url = f"{base}/curriculum/lessons/{lesson}/compare?left={left}&right={right}"
        report("compare page of the 10,000-word versions (HTTP)", timed_get(client, [url] * 50, warmup=5), None)
    for name, computation in (("the diff alone", alone), ("the compare service", service)):
        ratio = _p95(page) / _p95(computation)
        print(f"compare page p95 / {name} p95 = {ratio:.1f}x{' PASS' if ratio <= 2 else ' FAIL'} (target <= 2x)")
    return 0 if ok else 1


def _p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]


if __name__ == "__main__":
    sys.exit(main())
