"""A question as plain data: what importers produce, exporters read, and the bank stores (as JSON in `body`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

QUESTION_TYPES = (
    "multiple_choice",
    "multiple_select",
    "true_false",
    "short_answer",
    "numeric",
    "matching",
    "ordering",
    "fill_blanks",
    "essay",
)


@dataclass
class Choice:  # multiple_choice, multiple_select, true_false (ids "true"/"false" for true_false)
    id: str  # stable within the question: "o-" + 8 of [a-z0-9] when we make one; imported ids kept if safe
    html: str  # rich-text inline/blocks HTML (sanitised by the bank on save, not by importers)
    correct: bool = False
    feedback_html: str = ""
    weight: Decimal | None = None  # partial credit share 0..1 for multiple_select; None = all-or-nothing rules


@dataclass
class TextAnswer:  # short_answer accepted answers, and the answers of a text blank
    id: str
    text: str
    case_sensitive: bool = False
    weight: Decimal = Decimal(1)  # share of the points this answer earns (Moodle's fraction)


@dataclass
class NumericAnswer:
    id: str
    kind: str  # "exact" (value ± tolerance) or "range" (low..high inclusive)
    value: Decimal | None = None
    tolerance: Decimal = Decimal(0)
    low: Decimal | None = None
    high: Decimal | None = None
    weight: Decimal = Decimal(1)


@dataclass
class Pair:  # matching: prompt -> answer; ordering uses `items` instead
    id: str
    prompt_html: str
    answer_html: str


@dataclass
class Blank:  # fill_blanks: the stem carries "[[blank:ID]]" where blank ID goes
    id: str
    answers: list[TextAnswer] = field(default_factory=list)  # typed blank
    choices: list[Choice] = field(default_factory=list)  # dropdown blank (one correct)


@dataclass
class Asset:  # an image an imported question refers to as src="asset:NAME"
    name: str
    content_type: str
    data: bytes


@dataclass
class QuestionData:
    type: str  # one of QUESTION_TYPES
    stem_html: str
    title: str = ""
    points: Decimal = Decimal(1)
    difficulty: int | None = None  # 1 (easy) .. 5 (hard)
    tags: list[str] = field(default_factory=list)
    standard_codes: list[str] = field(default_factory=list)  # human codes or CASE identifiers as found in files
    general_feedback_html: str = ""
    partial_credit: bool = False
    shuffle: bool = False
    choices: list[Choice] = field(default_factory=list)
    text_answers: list[TextAnswer] = field(default_factory=list)
    numeric_answers: list[NumericAnswer] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    distractors: list[Choice] = field(default_factory=list)  # matching answers with no prompt
    items: list[Choice] = field(default_factory=list)  # ordering, in the correct order
    blanks: list[Blank] = field(default_factory=list)
    essay_guidance_html: str = ""
    assets: list[Asset] = field(default_factory=list)
    source_id: str = ""  # the file's own item identifier, for messages and re-import
    extra: dict = field(default_factory=dict)


@dataclass
class ImportProblem:
    source_id: str  # the item identifier or "line N" the message names
    message: str  # English; the bank's preview translates by `code`
    code: str  # stable key, e.g. "unsupported_type", "no_correct_response", "not_a_number"
    fatal: bool  # True: this question is skipped; False: a warning, imported anyway


@dataclass
class ParsedBank:
    format: str  # "qti12", "qti21", "moodle_xml", "gift"
    questions: list[QuestionData] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
