"""Curriculum at district scale: saving a lesson, coalescing autosaves, search, a 500-version history, the term
planner, and the bytes a version costs. HTTP round trips from one client (perf/common.py).

    DATABASE_URL=... REDIS_URL=... python perf/curriculum_benchmark.py [--requests 200] [--workers 2]

On `flask --app wsgi seed --size large` (about 200,000 lessons in the demo district). Targets (issue 16):
saving a lesson (a new version) p95 < 50 ms; an autosave that coalesces p95 < 20 ms; search over the lessons
p95 < 100 ms with each filter; the history page of an item with 500 versions < 50 ms; the term planner of a
section < 60 ms. The setup gives one of the busiest teacher's lessons 500 versions (once; rerunning keeps it).
"""

from __future__ import annotations

import argparse
import html
import random
import re
import sys

import psycopg
from common import gunicorn, owner_url, report, sign_in, timed, timed_get

WORDS = ["forces", "ecosystems", "fractions", "poetry", "water cycle", "exit ticket", "gallery walk", "vocabulary",
         "narrative writing", "place value", "weather", "civilizations", "energy", "ratios", "cells", "maps",
         "evidence", "partner", "investigation", "reflection"]  # fmt: skip
REVISION = re.compile(r'name="base_revision"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="base_revision"')

# A typical lesson as a teacher writes one: a few sentences per section, a list, a table, some emphasis.
PARAGRAPH = (
    "<p>Students revisit yesterday's <strong>key idea</strong> and connect it to a new example from their own "
    "lives. The teacher circulates, listens for misconceptions and notes who needs a second pass.</p>"
)
LESSON_SECTIONS = {
    "objectives": "<ul><li>Explain the main idea with evidence</li><li>Use three new vocabulary words</li></ul>",
    "materials": "<p>Chart paper, markers, the reading packet (pages 12-15), timers for each table.</p>",
    "warm_up": PARAGRAPH,
    "instruction": PARAGRAPH * 3,
    "activities": PARAGRAPH
    * 2
    + "<table><tr><th>Station</th><th>Task</th></tr><tr><td>1</td><td>Read and annotate</td></tr>"
    "<tr><td>2</td><td>Build a model</td></tr><tr><td>3</td><td>Discuss and record</td></tr></table>",
    "assessment": "<p>Exit ticket: one thing learned, one question, one connection.</p>",
    "differentiation": PARAGRAPH,
    "homework": "<p>Read pages 16-18 and answer the two questions at the end.</p>",
    "notes": "<p><em>Period 3 needs more time on the stations.</em></p>",
}


def setup() -> dict:
    with psycopg.connect(owner_url(), autocommit=True) as conn:
        district = conn.execute("select id from districts where slug = 'demo'").fetchone()[0]
        lessons = conn.execute("select count(*) from lessons where district_id = %s", (district,)).fetchone()[0]
        owner, email = conn.execute(
            """select l.owner_id, u.email from lessons l join users u on u.id = l.owner_id
               where l.district_id = %s group by l.owner_id, u.email order by count(*) desc, l.owner_id limit 1""",
            (district,),
        ).fetchone()
        saved, historic = (
            row[0]
            for row in conn.execute(
                "select id from lessons where owner_id = %s order by id limit 2", (owner,)
            ).fetchall()
        )
        version = conn.execute("select version from lessons where id = %s", (historic,)).fetchone()[0]
        if version < 500:
            conn.execute(
                """insert into content_versions (district_id, item_type, item_id, number, snapshot, author_id, note)
                   select v.district_id, 'lesson', v.item_id, n, v.snapshot, v.author_id, 'Benchmark edit ' || n
                   from content_versions v cross join generate_series(%s + 1, 500) as n
                   where v.item_type = 'lesson' and v.item_id = %s and v.number = %s""",
                (version, historic, version),
            )
            conn.execute(
                "update lessons set version = 500, revision = revision + 500 - version where id = %s", (historic,)
            )
        section = conn.execute(
            """select p.section_id from planner_entries p join section_teachers t on t.section_id = p.section_id
               where t.teacher_id = %s group by p.section_id order by count(*) desc limit 1""",
            (owner,),
        ).fetchone()
        course, subject, grade = conn.execute(
            "select c.id, c.subject, c.grade_low from lessons l join courses c on c.id = l.course_id where l.id = %s",
            (saved,),
        ).fetchone()
        entries = conn.execute(
            "select count(*) from planner_entries where section_id = %s", (section[0] if section else 0,)
        ).fetchone()[0]
    return {
        "district": district,
        "lessons": lessons,
        "email": email,
        "saved": saved,
        "historic": historic,
        "section": section[0] if section else None,
        "entries": entries,
        "course": course,
        "subject": subject or "",
        "grade": grade,
    }


def bytes_per_version(lesson_id: int) -> None:
    with psycopg.connect(owner_url()) as conn:
        mine = conn.execute(
            """select pg_column_size(snapshot), octet_length(snapshot::text) from content_versions
               where item_type = 'lesson' and item_id = %s order by number desc limit 1""",
            (lesson_id,),
        ).fetchone()
        seeded = conn.execute(
            """select count(*), avg(pg_column_size(snapshot)), pg_total_relation_size('content_versions')
               from content_versions"""
        ).fetchone()
    print(
        f"bytes per version, a typical lesson (9 sections, ~450 words, a list and a table): {mine[0]} bytes stored "
        f"(JSONB, compressed in TOAST), {mine[1]} bytes as JSON text"
    )
    print(
        f"content_versions: {seeded[0]} versions, average snapshot {float(seeded[1]):.0f} bytes, table with indexes "
        f"and TOAST {seeded[2] / seeded[0]:.0f} bytes per version"
    )


SERVED = re.compile(r'<input[^>]*name="(section_[a-z_]+)"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')


def served_sections(page: str) -> dict:
    """The editors' values as the edit page serves them: what a browser posts back for an editor left alone."""
    found = {}
    for tag in SERVED.finditer(page):
        value = VALUE.search(tag.group(0))
        found[tag.group(1)] = html.unescape(value.group(1)) if value else ""
    return found


def lesson_form(title: str, revision: int, number: int, served: dict | None = None, **extra) -> dict:
    """A lesson form as the browser posts it: the sections as served (or the typical lesson's on the first save),
    with the notes section edited."""
    form = {"title": title, "duration_minutes": "50", "visibility": "school", "base_revision": str(revision)}
    form.update(served or {f"section_{key}": text for key, text in LESSON_SECTIONS.items()})
    form["section_notes"] = f"<p><em>Edit {number}: period 3 needs more time on the stations.</em></p>"
    form.update(extra)
    return form


def edit_page(client, base: str, lesson_id: int) -> tuple[int, dict]:
    """The revision the edit page edits from, and its editors' values."""
    page = client.get(f"{base}/curriculum/lessons/{lesson_id}/edit").text
    match = REVISION.search(page)
    return int(match.group(1) or match.group(2)), served_sections(page)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=5078)
    args = parser.parse_args()
    facts = setup()
    rng = random.Random(16)
    with gunicorn(args.port, args.workers) as base:
        teacher = sign_in(base, facts["email"])
        lesson = facts["saved"]
        print(
            f"gunicorn {args.workers} sync workers; {facts['lessons']} lessons in the demo district; "
            f"teacher {facts['email']}; lesson {lesson}; planner section {facts['section']} ({facts['entries']} "
            "lessons planned)"
        )
        # Once with the typical lesson's content, so the saves and autosaves below edit a lesson of that size.
        revision, _served = edit_page(teacher, base, lesson)
        teacher.post_form(f"{base}/curriculum/lessons/{lesson}/edit", lesson_form("Benchmark lesson", revision, 0))
        revision, served = edit_page(teacher, base, lesson)
        state = {"revision": revision}

        def save(i: int):
            response = teacher.post_form(
                f"{base}/curriculum/lessons/{lesson}/edit",
                lesson_form("Benchmark lesson", state["revision"], i, served),
            )
            state["revision"] += 1
            return response

        results = [report("save a lesson (a new version)", timed(save, args.requests, ok=(303,)), 50)]

        session = f"bench-{rng.randrange(10**9)}"

        def autosave(i: int):
            form = lesson_form("Benchmark lesson", state["revision"], i, served, editing_session=session)
            response = teacher.post_form(f"{base}/curriculum/lessons/{lesson}/autosave", form, htmx=True)
            found = REVISION.search(response.text)
            if found:
                state["revision"] = int(found.group(1) or found.group(2))
            return response

        autosave(-100)  # opens the autosave version that the timed ones coalesce into
        results.append(report("autosave that coalesces", timed(autosave, args.requests), 20))

        def searches(extra: str) -> list[str]:
            return [f"{base}/curriculum/search?q={rng.choice(WORDS)}{extra}" for _ in range(args.requests)]

        filters = {
            "no filter": "",
            "type = lessons": "&kind=lesson",
            "one course": f"&course={facts['course']}",
            "subject": f"&subject={facts['subject']}",
            "grade": f"&grade={facts['grade']}",
        }
        for name, extra in filters.items():
            results.append(report(f"search ({name})", timed_get(teacher, searches(extra)), 100))

        history = [f"{base}/curriculum/lessons/{facts['historic']}/history"] * args.requests
        results.append(report("history page, 500 versions", timed_get(teacher, history), 50))
        if facts["section"]:
            term = [f"{base}/curriculum/sections/{facts['section']}/plan?view=term"] * args.requests
            results.append(report(f"term planner ({facts['entries']} lessons)", timed_get(teacher, term), 60))
            week = [f"{base}/curriculum/sections/{facts['section']}/plan"] * args.requests
            results.append(report("week planner", timed_get(teacher, week), None))
        results.append(report("home (today's lessons)", timed_get(teacher, [f"{base}/"] * args.requests), None))
    bytes_per_version(lesson)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
