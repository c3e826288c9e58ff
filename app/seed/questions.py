"""Seeded question bank: the demo teacher's bank with a few questions of every type (made through the bank's
services, so they are checked and versioned like a teacher's own)."""

from __future__ import annotations

from app.accounts.services import actor_for_user
from app.questions import services as questions


def _mc(stem, right, wrong, tags, difficulty=2):
    choices = [{"id": f"o-{n:08d}", "html": text, "correct": n == 0} for n, text in enumerate([right, *wrong])]
    return {"type": "multiple_choice", "stem_html": stem, "choices": choices, "tags": tags, "difficulty": difficulty}


DEMO_QUESTIONS = [
    _mc("<p>What is the SI unit of force?</p>", "newton", ["joule", "watt", "pascal"], ["forces", "units"], 1),
    _mc(
        r"<p>Which value of \(x\) solves \(2x + 3 = 11\)?</p>",
        r"\(x = 4\)",
        [r"\(x = 7\)", r"\(x = 5.5\)"],
        ["algebra"],
    ),
    {
        "type": "multiple_select",
        "stem_html": "<p>Which of these are vector quantities?</p>",
        "partial_credit": True,
        "tags": ["forces"],
        "points": "2",
        "choices": [
            {"id": "o-velocity", "html": "velocity", "correct": True},
            {"id": "o-force000", "html": "force", "correct": True},
            {"id": "o-mass0000", "html": "mass", "feedback_html": "Mass has no direction."},
            {"id": "o-temp0000", "html": "temperature"},
        ],
    },
    {
        "type": "true_false",
        "stem_html": "<p>An object at rest stays at rest unless a net force acts on it.</p>",
        "tags": ["forces", "newton's laws"],
        "choices": [{"id": "true", "correct": True}, {"id": "false", "feedback_html": "This is Newton's first law."}],
    },
    {
        "type": "short_answer",
        "stem_html": "<p>Which force pulls objects toward the center of the Earth?</p>",
        "tags": ["forces"],
        "text_answers": [{"id": "t-gravity0", "text": "gravity"}, {"id": "t-gravita1", "text": "gravitation"}],
    },
    {
        "type": "numeric",
        "stem_html": r"<p>A 2 kg cart accelerates at 3 m/s². What net force acts on it, in newtons? \(F = ma\)</p>",
        "points": "2",
        "difficulty": 2,
        "tags": ["forces", "calculation"],
        "numeric_answers": [{"id": "n-exact001", "kind": "exact", "value": "6", "tolerance": "0.1"}],
    },
    {
        "type": "numeric",
        "stem_html": "<p>Estimate the boiling point of water at sea level, in °C.</p>",
        "tags": ["matter"],
        "numeric_answers": [{"id": "n-range001", "kind": "range", "low": "99", "high": "101"}],
    },
    {
        "type": "matching",
        "stem_html": "<p>Match each quantity with its SI unit.</p>",
        "points": "3",
        "partial_credit": True,
        "tags": ["units"],
        "pairs": [
            {"id": "p-force000", "prompt_html": "force", "answer_html": "newton"},
            {"id": "p-energy00", "prompt_html": "energy", "answer_html": "joule"},
            {"id": "p-power000", "prompt_html": "power", "answer_html": "watt"},
        ],
        "distractors": [{"id": "d-kelvin00", "html": "kelvin"}],
    },
    {
        "type": "ordering",
        "stem_html": "<p>Put the planets in order from the Sun.</p>",
        "tags": ["space"],
        "items": [
            {"id": "i-mercury0", "html": "Mercury"},
            {"id": "i-venus000", "html": "Venus"},
            {"id": "i-earth000", "html": "Earth"},
            {"id": "i-mars0000", "html": "Mars"},
        ],
    },
    {
        "type": "fill_blanks",
        "stem_html": "<p>Newton's second law says force equals [[blank:b-mass0000]] times [[blank:b-accel000]].</p>",
        "points": "2",
        "tags": ["forces", "newton's laws"],
        "blanks": [
            {"id": "b-mass0000", "answers": [{"id": "t-mass0000", "text": "mass"}]},
            {
                "id": "b-accel000",
                "choices": [
                    {"id": "o-accel000", "html": "acceleration", "correct": True},
                    {"id": "o-veloc000", "html": "velocity"},
                    {"id": "o-time0000", "html": "time"},
                ],
            },
        ],
    },
    {
        "type": "essay",
        "stem_html": "<p>Describe an everyday example of Newton's third law and name both forces.</p>",
        "points": "5",
        "difficulty": 3,
        "tags": ["newton's laws", "writing"],
        "essay_guidance_html": "<p>Full marks: a clear example, both forces named, equal and opposite explained.</p>",
    },
]


def seed_questions(district_id: int, teacher_id: int | None) -> int:
    """The demo teacher's bank "Forces and motion", shared with their school; the number of questions made."""
    if teacher_id is None:
        return 0
    actor = actor_for_user(district_id, teacher_id)
    bank = questions.create_bank(
        actor, "Forces and motion", "Grade 8 physical science: one or two of every kind of question.", "school"
    )
    for draft in DEMO_QUESTIONS:
        questions.create_question(actor, bank.id, draft)
    return len(DEMO_QUESTIONS)
