"""A question as a student sees it: answers' HTML rendered (math as MathML), and the blanks of a fill-in question
turned into their inputs. Pure functions over QuestionData; every piece of text is sanitised or escaped."""

from __future__ import annotations

import hashlib
import re
from html import unescape

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.questions.data import QuestionData
from app.questions.services.rules import BLANK
from app.richtext import services as richtext


def render_question_html(html: str) -> Markup:
    return richtext.render(richtext.to_document(html or "")) if html else Markup("")


TAG = re.compile(r"<[^>]+>")


def text_of_html(html: str) -> str:
    """The words of a piece of HTML, for lists, previews and search (no markup; entities decoded; escape it to
    show it). A tag strip rather than a rich-text document: the stored HTML is already sanitised."""
    return " ".join(unescape(TAG.sub(" ", html or "")).split())


def excerpt(html: str, length: int) -> str:
    """The start of a text, blanks shown as ____, cut at a word with an ellipsis."""
    text = " ".join(BLANK.sub("____", text_of_html(html)).split())
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"


def _blank_markup(data: QuestionData, blank_id: str, number: int) -> str:
    blank = next((b for b in data.blanks if b.id == blank_id), None)
    label = escape(_("Blank %(n)d", n=number))
    if blank is not None and blank.choices:
        options = "".join(f"<option>{escape(text_of_html(c.html))}</option>" for c in shuffled(blank.choices, blank_id))
        return f'<select class="q-blank" aria-label="{label}"><option value=""></option>{options}</select>'
    return f'<input type="text" class="q-blank" aria-label="{label}" autocomplete="off">'


def render_stem(data: QuestionData) -> Markup:
    """The stem's HTML; for fill-in questions each [[blank:ID]] becomes a text box or a list to pick from."""
    html = str(render_question_html(data.stem_html))
    if data.type != "fill_blanks":
        return Markup(html)  # noqa: S704 - the rich-text renderer's own safe output
    counter = iter(range(1, 1000))
    return Markup(BLANK.sub(lambda m: _blank_markup(data, m.group(1), next(counter)), html))  # noqa: S704


def shuffled(entries: list, seed: str) -> list:
    """A fixed shuffle (the same on every page load), for showing ordering items and matching answers mixed."""
    return sorted(entries, key=lambda e: hashlib.sha256(f"{seed}:{e.id}".encode()).hexdigest())
