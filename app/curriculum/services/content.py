"""Turning what editors post into stored documents and back, through the one rich-text pipeline."""

from __future__ import annotations

from app.curriculum.data import EMPTY_DOC, SEARCH_CONFIG, SECTION_KEYS, UNIT_FIELDS
from app.errors import Invalid
from app.richtext import services as richtext

UNIT_KEYS = tuple(key for key, _label in UNIT_FIELDS)


def documents(posted: dict[str, str], previous: dict | None, keys, field_prefix: str = "") -> dict[str, dict]:
    """{key: document} for each key, from posted HTML (ids kept from `previous` where blocks survived).

    Raises Invalid naming every field that is too large, all at once, so nothing typed is lost."""
    result, errors = {}, {}
    for key in keys:
        raw = posted.get(key)
        before = (previous or {}).get(key) or EMPTY_DOC
        if raw is None:
            result[key] = before
            continue
        # An editor the user did not touch posts back exactly what it was given; parsing that again would give
        # the same document (the pipeline's normal form is a fixed point), so an autosave after typing in one
        # section does not re-sanitise the other eight.
        if before.get("blocks") and raw == richtext.to_editor_html(before):
            result[key] = before
            continue
        try:
            result[key] = richtext.to_document(raw, before, field=field_prefix + key)
        except Invalid as error:
            errors.update(error.fields)
    if errors:
        raise Invalid(errors)
    return result


def lesson_text(title: str, sections: dict) -> str:
    return "\n".join(richtext.plain_text(sections.get(key) or EMPTY_DOC) for key in SECTION_KEYS)


def unit_text(unit_fields: dict) -> str:
    return "\n".join(richtext.plain_text(unit_fields.get(key) or EMPTY_DOC) for key in UNIT_KEYS)


def search_language(actor) -> str:
    """The text-search configuration for what this person writes: their language, else the district's."""
    locale = getattr(actor, "locale", None) or getattr(actor, "district_locale", None) or "en"
    return SEARCH_CONFIG.get(locale.split("_")[0], "english")
