"""Form shapes of the bank's pages. A question's answers are lists of rows whose number changes as the teacher adds,
removes and reorders them, so they are read from the posted form by `draft_from_form` (values kept as typed) rather
than declared as WTForms fields; the rules that check them live in services (rules.check)."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from markupsafe import escape
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput

from app.questions.data import QUESTION_TYPES
from app.questions.services import new_id
from app.richtext.services import RichTextField, clean_html
from app.ui.fields import optional_int

TYPE_LABELS = {
    "multiple_choice": _l("Multiple choice"),
    "multiple_select": _l("Multiple select"),
    "true_false": _l("True or false"),
    "short_answer": _l("Short answer"),
    "numeric": _l("Numeric"),
    "matching": _l("Matching"),
    "ordering": _l("Ordering"),
    "fill_blanks": _l("Fill in the blanks"),
    "essay": _l("Essay"),
}
TYPE_HELP = {
    "multiple_choice": _l("One correct answer among several."),
    "multiple_select": _l("Several correct answers; partial credit if you want it."),
    "true_false": _l("A statement that is true or false."),
    "short_answer": _l("A typed word or phrase, with every answer you accept."),
    "numeric": _l("A number, exact within a tolerance, or in a range."),
    "matching": _l("Match each prompt with its answer."),
    "ordering": _l("Put items in the right order."),
    "fill_blanks": _l("Text with blanks to type in or pick from a list."),
    "essay": _l("A written answer you grade yourself."),
}
VISIBILITY_CHOICES = [
    SelectChoice("private", _l("Only me")),
    SelectChoice("school", _l("Teachers of my school")),
    SelectChoice("district", _l("Teachers of the district")),
]
DIFFICULTY_CHOICES = [
    SelectChoice("", _l("Not set")),
    SelectChoice("1", _l("1 (easy)")),
    SelectChoice("2", "2"),
    SelectChoice("3", "3"),
    SelectChoice("4", "4"),
    SelectChoice("5", _l("5 (hard)")),
]
# Row kinds of the editor: form prefix -> the draft list they fill.
LISTS = {
    "choice": "choices",
    "text": "text_answers",
    "num": "numeric_answers",
    "pair": "pairs",
    "distractor": "distractors",
    "item": "items",
    "blank": "blanks",
}
ID_PREFIX = {"choice": "o", "text": "t", "num": "n", "pair": "p", "distractor": "d", "item": "i", "blank": "blank"}


class BankForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=500)])
    visibility = SelectField(_l("Who may see it"), choices=VISIBILITY_CHOICES, default="private")


class QuestionForm(FlaskForm):
    """The parts every question has; its rows come from draft_from_form."""

    title = StringField(
        _l("Title"), validators=[Length(max=200)], description=_l("For your lists; students do not see it.")
    )
    stem = RichTextField(_l("Question"))
    points = StringField(_l("Points"), default="1")
    difficulty = SelectField(_l("Difficulty"), choices=DIFFICULTY_CHOICES, default="")
    tags = StringField(_l("Tags"), description=_l("Separated by commas, for example: forces, unit 3"))
    partial_credit = BooleanField(_l("Partial credit"))
    shuffle = BooleanField(_l("Shuffle the answers for each student"))
    general_feedback = RichTextField(_l("Feedback after answering"))
    essay_guidance = RichTextField(_l("Guidance for grading"))
    note = StringField(_l("What changed (optional)"), validators=[Length(max=300)])
    base_revision = IntegerField(widget=HiddenInput(), validators=[Optional()])
    base_version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"))
    type = SelectField(
        _l("Type"),
        choices=[SelectChoice("", _l("Any type")), *(SelectChoice(k, v) for k, v in TYPE_LABELS.items())],
        default="",
    )
    tag = SelectField(_l("Tag"), choices=[SelectChoice("", _l("Any tag"))], default="", validate_choice=False)
    difficulty = SelectField(
        _l("Difficulty"), choices=[SelectChoice("", _l("Any difficulty")), *DIFFICULTY_CHOICES[1:]], default=""
    )
    standard = StringField(_l("Standard id"))


class CopyForm(FlaskForm):
    bank_id = SelectField(_l("Into the bank"), coerce=int, choices=[])


class ImportForm(FlaskForm):
    file = FileField(
        _l("Question file"),
        description=_l(
            "QTI 1.2 (a Canvas export, XML or ZIP), QTI 2.1 (an item, a test or a package ZIP), Moodle XML or GIFT."
        ),
    )
    bank_id = SelectField(_l("Into the bank"), coerce=int, choices=[])


class CompareForm(FlaskForm):
    """A GET form: the two versions to compare, a shareable link."""

    class Meta:
        csrf = False

    left = SelectField(_l("Compare"), coerce=optional_int, choices=[], validate_choice=False)
    right = SelectField(_l("with"), coerce=optional_int, choices=[], validate_choice=False)
    view = HiddenField()


class ConfirmForm(FlaskForm):
    """A plain button: the form carries only the CSRF token."""


@dataclass
class RichInput:
    """An editor for one row's HTML, shaped like a RichTextField for the kit's rich_text macro."""

    name: str
    label_text: str
    html: str = ""
    errors: list = field(default_factory=list)

    def __post_init__(self):
        self.id = self.name
        self.label = SimpleNamespace(text=self.label_text)
        self.flags = SimpleNamespace(required=False)
        self.description = None
        self.raw_data = None

    def editor_html(self, doc=None) -> str:
        return clean_html(self.html or "", limit=None)


def _ids(formdata, kind: str) -> list[str]:
    return [i for i in formdata.getlist(kind) if i][:200]


def _choice_rows(formdata, kind: str, plain: bool = False) -> list[dict]:
    rows = []
    for row_id in _ids(formdata, kind):
        get = lambda part, row_id=row_id: formdata.get(f"{kind}-{row_id}-{part}")  # noqa: E731
        rows.append(
            {
                "id": row_id,
                "html": str(escape(get("html") or "")) if plain else get("html") or "",
                "correct": bool(get("correct")) or formdata.get(f"{kind}-correct") == row_id,
                # Feedback is typed as plain text: escaped, so "a < b" stays what was typed.
                "feedback_html": str(escape(get("feedback") or "")),
                "weight": get("weight") or "",
            }
        )
    return rows


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()][:100]


def _blank_rows(formdata) -> list[dict]:
    rows = []
    for blank_id in _ids(formdata, "blank"):
        get = lambda part, blank_id=blank_id: formdata.get(f"blank-{blank_id}-{part}") or ""  # noqa: E731
        ids = [i for i in get("ids").split(",") if i]
        lines = _lines(get("answers"))
        if get("mode") == "dropdown":
            answers = []
            choices = [
                {
                    "id": ids[n] if n < len(ids) else "",
                    "html": str(escape(line.lstrip("*").strip())),
                    "correct": line.startswith("*"),
                }
                for n, line in enumerate(lines)
            ]
        else:
            choices = []
            answers = [{"id": ids[n] if n < len(ids) else "", "text": line} for n, line in enumerate(lines)]
        rows.append({"id": blank_id, "answers": answers, "choices": choices, "mode": get("mode") or "typed"})
    return rows


def draft_from_form(formdata, kind: str) -> dict:
    """The question as posted, in codec's shape with every value as typed (a 422 shows it again unchanged)."""
    draft = {
        "type": kind,
        "title": formdata.get("title") or "",
        "stem_html": formdata.get("stem") or "",
        "points": formdata.get("points") if formdata.get("points") is not None else "1",
        "difficulty": formdata.get("difficulty") or "",
        "tags": [t.strip() for t in (formdata.get("tags") or "").split(",") if t.strip()],
        "partial_credit": bool(formdata.get("partial_credit")),
        "shuffle": bool(formdata.get("shuffle")),
        "general_feedback_html": formdata.get("general_feedback") or "",
        "essay_guidance_html": formdata.get("essay_guidance") or "",
        "choices": _choice_rows(formdata, "choice"),
        "items": _choice_rows(formdata, "item"),
        "distractors": _choice_rows(formdata, "distractor", plain=True),
        "text_answers": [
            {
                "id": i,
                "text": formdata.get(f"text-{i}-text") or "",
                "case_sensitive": bool(formdata.get(f"text-{i}-case")),
                "weight": formdata.get(f"text-{i}-weight") or "",
            }
            for i in _ids(formdata, "text")
        ],
        "numeric_answers": [
            {
                "id": i,
                **{
                    part: formdata.get(f"num-{i}-{part}") or ""
                    for part in ("kind", "value", "tolerance", "low", "high")
                },
                "weight": formdata.get(f"num-{i}-weight") or "",
            }
            for i in _ids(formdata, "num")
        ],
        "pairs": [
            {
                "id": i,
                "prompt_html": formdata.get(f"pair-{i}-prompt") or "",
                "answer_html": formdata.get(f"pair-{i}-answer") or "",
            }
            for i in _ids(formdata, "pair")
        ],
        "blanks": _blank_rows(formdata),
    }
    if kind == "true_false":
        correct = formdata.get("tf-correct")
        draft["choices"] = [
            {
                "id": key,
                "correct": correct == key,
                "feedback_html": str(escape(formdata.get(f"tf-{key}-feedback") or "")),
            }
            for key in ("true", "false")
        ]
    return draft


def new_row(kind: str) -> dict:
    row_id = new_id(ID_PREFIX[kind])
    if kind == "num":
        return {"id": row_id, "kind": "exact", "value": "", "tolerance": "", "low": "", "high": "", "weight": ""}
    if kind == "text":
        return {"id": row_id, "text": "", "case_sensitive": False, "weight": ""}
    if kind == "pair":
        return {"id": row_id, "prompt_html": "", "answer_html": ""}
    if kind == "blank":
        return {"id": row_id, "answers": [], "choices": [], "mode": "typed"}
    return {"id": row_id, "html": "", "correct": False, "feedback_html": "", "weight": ""}


def apply_op(draft: dict, op: str) -> str | None:
    """Apply an editor button ("add:choice", "remove:choice:ID", "up:item:ID", "down:item:ID") to the draft; the
    id of the row it concerns (to move the focus there), or None for an unknown op."""
    parts = (op or "").split(":", 2)
    if len(parts) < 2 or parts[0] not in ("add", "remove", "up", "down") or parts[1] not in LISTS:
        return None
    rows = draft[LISTS[parts[1]]]
    if parts[0] == "add":
        if len(rows) >= 100:
            return None
        rows.append(new_row(parts[1]))
        return rows[-1]["id"]
    index = next((n for n, row in enumerate(rows) if len(parts) == 3 and row["id"] == parts[2]), None)
    if index is None:
        return None
    if parts[0] == "remove":
        rows.pop(index)
        return None
    other = index - 1 if parts[0] == "up" else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    return rows[index]["id"] if 0 <= other < len(rows) else parts[2]


def is_known_type(kind: str | None) -> bool:
    return kind in QUESTION_TYPES


def starting_draft(kind: str) -> dict:
    """What a new question of this kind starts with: a few empty rows to fill in."""
    draft = {
        "type": kind,
        "title": "",
        "stem_html": "",
        "points": "1",
        "difficulty": "",
        "tags": [],
        "choices": [],
        "text_answers": [],
        "numeric_answers": [],
        "pairs": [],
        "distractors": [],
        "items": [],
        "blanks": [],
    }
    rows = {
        "multiple_choice": ("choice", 4),
        "multiple_select": ("choice", 4),
        "short_answer": ("text", 2),
        "numeric": ("num", 1),
        "matching": ("pair", 3),
        "ordering": ("item", 3),
        "fill_blanks": ("blank", 1),
    }
    if kind in rows:
        row_kind, count = rows[kind]
        draft[LISTS[row_kind]] = [new_row(row_kind) for _ in range(count)]
    if kind == "true_false":
        draft["choices"] = [{"id": "true", "correct": True}, {"id": "false", "correct": False}]
    if kind == "fill_blanks":
        draft["stem_html"] = f"<p>… [[blank:{draft['blanks'][0]['id']}]] …</p>"
    return draft


def fill_form(form: QuestionForm, draft: dict) -> None:
    """Load a draft's common parts into the form's fields (a GET, or a page built from a stored question)."""
    form.title.data = draft.get("title") or ""
    form.stem.data = draft.get("stem_html") or ""
    points = str(draft.get("points") if draft.get("points") is not None else "1")
    form.points.data = points.rstrip("0").rstrip(".") if "." in points else points
    form.difficulty.data = str(draft.get("difficulty") or "")
    form.tags.data = ", ".join(draft.get("tags") or [])
    form.partial_credit.data = bool(draft.get("partial_credit"))
    form.shuffle.data = bool(draft.get("shuffle"))
    form.general_feedback.data = draft.get("general_feedback_html") or ""
    form.essay_guidance.data = draft.get("essay_guidance_html") or ""


# Errors the rules give on a name the form has as a field (the others belong to rows).
FORM_FIELDS = {
    "title": "title",
    "stem": "stem",
    "points": "points",
    "difficulty": "difficulty",
    "general_feedback": "general_feedback",
    "essay_guidance": "essay_guidance",
}
