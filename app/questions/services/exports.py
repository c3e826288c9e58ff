"""A bank as a QTI 2.1 package (a zip with imsmanifest.xml), written by the interchange's exporter. Images the
questions show travel inside the package as assets, so the file re-imports with them."""

from __future__ import annotations

import importlib.util
import re
from dataclasses import replace

from sqlalchemy import select

from app import db
from app.questions.data import Asset, QuestionData
from app.questions.models import Question
from app.questions.services.banks import load_bank
from app.questions.services.questions import question_data
from app.richtext import services as richtext

IMAGE_SRC = re.compile(r'src="/richtext/images/([0-9a-f]{64})"')
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}
HTML_FIELDS = ("stem_html", "general_feedback_html", "essay_guidance_html")


def can_export() -> bool:
    """Whether the QTI exporter is installed (app/questions/interchange, written alongside the bank)."""
    return importlib.util.find_spec("app.questions.interchange") is not None


def _with_assets(data: QuestionData, cache: dict) -> QuestionData:
    """The question with its stored images' srcs as asset:NAME and the images (in `cache`: key -> Asset, None for
    one that is gone, whose reference then stays as it was) as its assets."""
    names: dict[str, str] = {}

    def swap(html: str) -> str:
        def one(match) -> str:
            key = match.group(1)
            asset = cache.get(key)
            if asset is None:
                return match.group(0)
            names[asset.name] = key
            return f'src="asset:{asset.name}"'

        return IMAGE_SRC.sub(one, html or "")

    changed = {name: swap(getattr(data, name)) for name in HTML_FIELDS}
    choices = [replace(c, html=swap(c.html), feedback_html=swap(c.feedback_html)) for c in data.choices]
    items = [replace(c, html=swap(c.html)) for c in data.items]
    pairs = [replace(p, prompt_html=swap(p.prompt_html), answer_html=swap(p.answer_html)) for p in data.pairs]
    out = replace(data, choices=choices, items=items, pairs=pairs, **changed)
    out.assets = [cache[key] for key in dict.fromkeys(names.values())]
    return out


def bank_data(actor, bank_id: int) -> tuple[str, list[QuestionData]]:
    """Whoever may read the bank: its name and its questions as QuestionData, images as assets."""
    bank, _access = load_bank(actor, bank_id)
    rows = db.session.scalars(
        select(Question).where(Question.bank_id == bank.id, ~Question.is_archived).order_by(Question.id)
    )
    datas = [question_data(q) for q in rows]
    keys = set()
    for data in datas:
        for html in _all_html(data):
            keys.update(IMAGE_SRC.findall(html or ""))
    cache = {
        key: Asset(f"{key[:16]}.{EXTENSIONS.get(row.content_type, 'bin')}", row.content_type, blob)
        for key, (row, blob) in richtext.read_images(actor, keys).items()
    }
    return bank.name, [_with_assets(data, cache) for data in datas]


def _all_html(data: QuestionData) -> list[str]:
    html = [getattr(data, name) for name in HTML_FIELDS]
    html += [c.html for c in data.choices] + [c.feedback_html for c in data.choices] + [c.html for c in data.items]
    return html + [p.prompt_html for p in data.pairs] + [p.answer_html for p in data.pairs]


def export_bank(actor, bank_id: int) -> tuple[str, bytes]:
    """(file name, zip bytes) of the bank as QTI 2.1. NotFound as load_bank."""
    from app.questions.interchange import export_qti21

    name, questions = bank_data(actor, bank_id)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "bank"
    return f"{slug}-qti21.zip", export_qti21(name, questions)
