"""What the curriculum views share: reading posted rich text, filling editors, answering a stale save."""

from __future__ import annotations

import secrets

from flask import request

from app.curriculum.data import SECTION_KEYS
from app.curriculum.services.content import UNIT_KEYS
from app.richtext import services as richtext


def posted_sections(form) -> dict[str, str]:
    return {key: request.form.get(f"section_{key}") for key in SECTION_KEYS if f"section_{key}" in request.form}


def posted_unit_fields(form) -> dict[str, str]:
    return {key: request.form.get(key) for key in UNIT_KEYS if key in request.form}


def posted_standards(form) -> list[int] | None:
    """The standards chosen in the picker, or None when the form had no picker (the alignment stays)."""
    return list(form.standards.data or []) if form.standards_shown.data else None


def fill_sections(form, sections: dict) -> None:
    """Load each section's document into its editor (a GET, or a page built from stored content)."""
    for key in SECTION_KEYS:
        getattr(form, f"section_{key}").data = sections.get(key) or richtext.empty_document()


def fill_unit_fields(form, fields: dict) -> None:
    for key in UNIT_KEYS:
        getattr(form, key).data = fields.get(key) or richtext.empty_document()


def start_editing(form, item) -> None:
    form.base_revision.data = item.revision
    form.base_version.data = item.version
    form.editing_session.data = secrets.token_hex(12)


def accept_current(form, stale) -> None:
    """After a refused stale save: the page shows what changed; saving again replaces it with the user's text."""
    form.base_revision.data = stale.current.revision
    form.base_version.data = stale.current.version


def side_choices() -> dict[str, str]:
    """The "take which side" answers of a conflict form (take_<field> = mine | saved)."""
    return {name: value for name, value in request.form.items() if name.startswith("take_")}
