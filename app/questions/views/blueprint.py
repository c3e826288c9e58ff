from flask import Blueprint
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.questions import policy
from app.questions.forms import TYPE_HELP, TYPE_LABELS, VISIBILITY_CHOICES, RichInput
from app.questions.interchange.codes import PROBLEM_CODES
from app.questions.services import excerpt, render_question_html, render_stem, shuffled, text_of_html
from app.ui.context import NavEntry

bp = Blueprint("questions", __name__, url_prefix="/questions")
NAV = (NavEntry(6, "questions.list_banks", _l("Question banks"), policy.can_keep_banks),)
# The names of what a stale save reports as changed (snapshot keys and body keys).
CHANGE_LABELS = {
    "title": _l("Title"),
    "stem": _l("Question"),
    "points": _l("Points"),
    "difficulty": _l("Difficulty"),
    "tags": _l("Tags"),
    "choices": _l("Answers"),
    "text_answers": _l("Accepted answers"),
    "numeric_answers": _l("Numeric answers"),
    "pairs": _l("Pairs"),
    "distractors": _l("Extra answers"),
    "items": _l("Items"),
    "blanks": _l("Blanks"),
    "general_feedback_html": _l("Feedback"),
    "essay_guidance_html": _l("Guidance for grading"),
    "partial_credit": _l("Partial credit"),
    "shuffle": _l("Shuffle"),
}


@bp.app_context_processor
def _vocabulary() -> dict:
    return {
        "question_types": TYPE_LABELS,
        "question_type_help": TYPE_HELP,
        "bank_visibility_labels": {c.value: c.label for c in VISIBILITY_CHOICES},
        "question_change_labels": CHANGE_LABELS,
        "rich_input": _rich_input,
    }


def _rich_input(name: str, label: str, html: str = "", errors: dict | None = None) -> RichInput:
    message = (errors or {}).get(name)
    return RichInput(name, str(label), html or "", [message] if message else [])


@bp.app_template_filter("question_html")
def _question_html(html: str) -> Markup:
    """An answer's stored HTML as the page shows it (math as MathML)."""
    return render_question_html(html)


@bp.app_template_filter("question_text")
def _question_text(html: str) -> str:
    return text_of_html(html)


@bp.app_template_filter("question_name")
def _question_name(data) -> str:
    """What a page calls a question: its title, else the start of its text (blanks shown as ____)."""
    return data.title or excerpt(data.stem_html, 70)


@bp.app_template_filter("import_problem")
def _import_problem(problem: dict) -> str:
    """A problem of an import in the reader's language: the general sentence for its code (the parsers' own
    message, which names the particulars in English, is shown beside it)."""
    general = PROBLEM_CODES.get(problem.get("code") or "")
    return gettext(general) if general else problem.get("message") or ""


@bp.app_template_filter("question_points")
def _question_points(points) -> str:
    """1.00 as 1, 1.50 as 1.5."""
    text = f"{points:f}" if points is not None else "0"
    return text.rstrip("0").rstrip(".") if "." in text else text


@bp.app_template_filter("question_shuffled")
def _question_shuffled(entries, seed) -> list:
    return shuffled(list(entries), str(seed))


@bp.app_template_filter("question_stem")
def _question_stem(data) -> Markup:
    """A question's stem for a student: fill-in blanks become their inputs."""
    return render_stem(data)
