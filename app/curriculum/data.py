"""The curriculum vocabulary other packages and the pages read: lesson sections, visibilities, languages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# The sections of a lesson plan, in the order a plan reads.
LESSON_SECTIONS = (
    ("objectives", _l("Objectives")),
    ("materials", _l("Materials")),
    ("warm_up", _l("Warm-up")),
    ("instruction", _l("Instruction")),
    ("activities", _l("Activities")),
    ("assessment", _l("Assessment")),
    ("differentiation", _l("Differentiation")),
    ("homework", _l("Homework")),
    ("notes", _l("Notes")),
)
SECTION_KEYS = tuple(key for key, _label in LESSON_SECTIONS)
# The rich fields of a unit.
UNIT_FIELDS = (
    ("summary", _l("Summary")),
    ("big_ideas", _l("Big ideas")),
    ("essential_questions", _l("Essential questions")),
)
VISIBILITIES = (
    ("private", _l("Only me and my co-teachers")),
    ("school", _l("Teachers of my school")),
    ("district", _l("Teachers of the district")),
)
# PostgreSQL text-search configurations, by the locale a district or a person writes in.
SEARCH_CONFIG = {"en": "english", "es": "spanish"}
EMPTY_DOC = {"version": 1, "blocks": []}  # the rich-text pipeline's empty document
