"""A teacher with a bank, drafts of every question type, and colleagues to share with."""

from __future__ import annotations

import pytest

from app.questions import services


@pytest.fixture
def teacher(make_user, actor_of):
    return actor_of(make_user("teacher"))


@pytest.fixture
def bank(teacher):
    return services.create_bank(teacher, "Forces and motion")


def drafts() -> dict[str, dict]:
    """One valid draft per question type, as an editor or an importer gives them (values as typed)."""
    return {
        "multiple_choice": {
            "type": "multiple_choice",
            "title": "Unit of force",
            "stem_html": "<p>What is the SI unit of force?</p>",
            "points": "2",
            "difficulty": "2",
            "tags": ["physics", "units"],
            "choices": [
                {"id": "o-newton01", "html": "Newton", "correct": True, "feedback_html": "Yes."},
                {"id": "o-joule001", "html": "Joule", "feedback_html": "That is energy."},
                {"id": "o-watt0001", "html": "Watt"},
            ],
        },
        "multiple_select": {
            "type": "multiple_select",
            "stem_html": "<p>Which are vectors?</p>",
            "points": "3",
            "partial_credit": True,
            "choices": [
                {"id": "o-a", "html": "Velocity", "correct": True, "weight": "0.5"},
                {"id": "o-b", "html": "Force", "correct": True, "weight": "0.5"},
                {"id": "o-c", "html": "Mass"},
            ],
        },
        "true_false": {
            "type": "true_false",
            "stem_html": "<p>Friction always opposes motion.</p>",
            "points": "1",
            "choices": [{"id": "true", "correct": True}, {"id": "false", "feedback_html": "Look again."}],
        },
        "short_answer": {
            "type": "short_answer",
            "stem_html": "<p>Name the force that pulls objects to Earth.</p>",
            "points": "1",
            "text_answers": [
                {"id": "t-1", "text": "gravity"},
                {"id": "t-2", "text": "Gravitation", "case_sensitive": True, "weight": "0.5"},
            ],
        },
        "numeric": {
            "type": "numeric",
            "stem_html": r"<p>Compute \(F = ma\) for m = 2 kg, a = 3 m/s².</p>",
            "points": "2",
            "numeric_answers": [
                {"id": "n-1", "kind": "exact", "value": "6", "tolerance": "0.1"},
                {"id": "n-2", "kind": "range", "low": "5.5", "high": "6.5", "weight": "0.5"},
            ],
        },
        "matching": {
            "type": "matching",
            "stem_html": "<p>Match each quantity with its unit.</p>",
            "points": "3",
            "pairs": [
                {"id": "p-1", "prompt_html": "Force", "answer_html": "newton"},
                {"id": "p-2", "prompt_html": "Energy", "answer_html": "joule"},
            ],
            "distractors": [{"id": "d-1", "html": "kelvin"}],
        },
        "ordering": {
            "type": "ordering",
            "stem_html": "<p>Order the planets from the Sun.</p>",
            "items": [{"id": "i-1", "html": "Mercury"}, {"id": "i-2", "html": "Venus"}, {"id": "i-3", "html": "Earth"}],
        },
        "fill_blanks": {
            "type": "fill_blanks",
            "stem_html": "<p>Force equals [[blank:b1]] times [[blank:b2]].</p>",
            "points": "2",
            "blanks": [
                {"id": "b1", "answers": [{"id": "t-b1", "text": "mass"}]},
                {
                    "id": "b2",
                    "choices": [
                        {"id": "o-acc", "html": "acceleration", "correct": True},
                        {"id": "o-vel", "html": "velocity"},
                    ],
                },
            ],
        },
        "essay": {
            "type": "essay",
            "stem_html": "<p>Explain Newton's third law with an example.</p>",
            "points": "5",
            "essay_guidance_html": "<p>Mention action and reaction.</p>",
        },
    }


@pytest.fixture
def draft():
    return lambda kind: drafts()[kind]
