"""Seeded version diffs: one lesson of the district's first teacher gets two more versions, edited the way a
teacher edits (words changed, a word made bold, a link, a list, a paragraph moved), so the compare pages of the
demo have something to show beyond whole sections added. Deterministic: the same seed makes the same versions."""

from __future__ import annotations

import json

from sqlalchemy import text

from app import db
from app.curriculum.data import SECTION_KEYS
from app.richtext.services import plain_text


def _doc(*blocks: dict) -> dict:
    return {"version": 1, "blocks": list(blocks)}


def _p(block_id: str, html: str, kind: str = "p") -> dict:
    return {"id": block_id, "type": kind, "html": html}


LINK = '<a href="https://en.wikipedia.org/wiki/Narrative" rel="noopener noreferrer nofollow">'
EDITS = (
    (
        "Modelled reading and a clearer objective",
        {
            "objectives": _doc(
                _p("b-dobj0001", "Students will name the three parts of a story and find them in a text.")
            ),
            "instruction": _doc(
                _p("b-dins0001", "Model", "h2"),
                _p("b-dins0002", f"Read the mentor text aloud and point out the hook and the {LINK}story arc</a>."),
                _p("b-dins0003", "Students name the beginning, the middle and the end."),
            ),
        },
    ),
    (
        "Reordered; the parts are the focus",
        {
            "objectives": _doc(
                _p(
                    "b-dobj0001",
                    "Students will name the <strong>three</strong> parts of a story and find them in a text.",
                )
            ),
            "instruction": _doc(
                _p("b-dins0003", "Students name the beginning, the middle and the end, then find each one."),
                _p("b-dins0001", "Model", "h2"),
                _p("b-dins0002", f"Read the mentor text aloud and point out the hook and the {LINK}story arc</a>."),
                {
                    "id": "b-dins0004",
                    "type": "ul",
                    "items": [
                        {"id": "i-dins0001", "html": "Beginning: who and where"},
                        {"id": "i-dins0002", "html": "Middle: the problem"},
                        {"id": "i-dins0003", "html": "End: how it is solved"},
                    ],
                },
            ),
        },
    ),
)


def seed_diff_demo(district_id: int) -> int:
    """Two more versions of one lesson of the district's first teacher (runs under its tenant); how many were
    written (0 when the district has no lesson)."""
    sess = db.session
    row = sess.execute(
        text(
            """select l.id, l.owner_id, l.version, v.snapshot from lessons l
               join content_versions v on v.item_type = 'lesson' and v.item_id = l.id and v.number = l.version
               where l.district_id = :d order by l.owner_id, l.id offset 1 limit 1"""
        ),
        {"d": district_id},
    ).first()
    if row is None:
        return 0
    lesson_id, owner_id, version, snapshot = row
    for offset, (note, sections) in enumerate(EDITS, start=1):
        snapshot = {**snapshot, "sections": {**(snapshot.get("sections") or {}), **sections}}
        sess.execute(
            text(
                """insert into content_versions (district_id, item_type, item_id, number, snapshot, author_id, note,
                   created_at, updated_at)
                   values (:d, 'lesson', :id, :n, cast(:s as jsonb), :a, :note,
                           now() - make_interval(hours => :ago), now() - make_interval(hours => :ago))"""
            ),
            {
                "d": district_id,
                "id": lesson_id,
                "n": version + offset,
                "s": json.dumps(snapshot),
                "a": owner_id,
                "note": note,
                "ago": 3 - offset,
            },
        )
    sections = snapshot["sections"]
    words = "\n".join(plain_text(sections.get(key)) for key in SECTION_KEYS)
    sess.execute(
        text(
            """update lessons set sections = cast(:s as jsonb), plain_text = :t, version = :n,
               revision = revision + 2 where id = :id"""
        ),
        {"s": json.dumps(sections), "t": words, "n": version + len(EDITS), "id": lesson_id},
    )
    return len(EDITS)
