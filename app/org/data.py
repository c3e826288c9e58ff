"""The one grade-level vocabulary: numbers as stored, labels as shown, CEDS codes as OneRoster and CASE write them.

Grade levels are stored as small integers: -1 pre-kindergarten, 0 kindergarten, 1 to 12, and 13 for a student
past grade 12 (OneRoster's "13", also where year rollover leaves graduates).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

PRE_K, KINDERGARTEN, HIGHEST_GRADE, GRADUATED = -1, 0, 12, 13
LOWEST_GRADE = PRE_K
GRADE_LEVELS = tuple(range(PRE_K, GRADUATED + 1))
_NAMED = {PRE_K: _l("Pre-K"), KINDERGARTEN: _l("Kindergarten"), GRADUATED: _l("Post-graduate")}
# CEDS grade codes (OneRoster `grades`, CASE `educationLevel`) -> grade level. Infant, preschool and
# transitional kindergarten all land on pre-K; "PS" (postsecondary) on 13.
CEDS_GRADES = {"IT": PRE_K, "PR": PRE_K, "PK": PRE_K, "TK": PRE_K, "KG": KINDERGARTEN, "13": GRADUATED, "PS": GRADUATED}
CEDS_GRADES.update({f"{n:02d}": n for n in range(1, 13)})
CEDS_GRADES.update({str(n): n for n in range(1, 13)})
CEDS_CODES = {PRE_K: "PK", KINDERGARTEN: "KG", GRADUATED: "13"} | {n: f"{n:02d}" for n in range(1, 13)}


def grade_label(grade: int | None) -> str:
    """ "Kindergarten", "Grade 5", "Post-graduate"; "" for no grade."""
    if grade is None:
        return ""
    return str(_NAMED.get(grade) or _("Grade %(n)d", n=grade))


def grade_choices(upto: int = GRADUATED) -> list[tuple[int, str]]:
    return [(grade, grade_label(grade)) for grade in GRADE_LEVELS if grade <= upto]
