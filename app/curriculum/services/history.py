"""Version history of units, lessons and templates: the list, one version read-only, restore as a new version."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app import db
from app.accounts import services as accounts
from app.curriculum.models import ContentTemplate, Lesson, Unit
from app.curriculum.services import versioning
from app.curriculum.services.access import load
from app.curriculum.services.content import lesson_text, unit_text
from app.errors import NotFound
from app.events.services import record_event
from app.versions import services as versions

MODELS = {"unit": Unit, "lesson": Lesson}
HISTORY_PAGE = 50


@dataclass(frozen=True)
class HistoryEntry:
    number: int
    author: str
    created_at: object
    updated_at: object
    note: str | None
    is_autosave: bool
    autosave_count: int
    is_published: bool
    is_current: bool


def _item(actor, item_type: str, item_id: int, editing: bool = False):
    model = MODELS.get(item_type)
    if model is None:
        raise NotFound()
    item, access = load(actor, model, item_id)
    if editing and not access.can_edit:
        raise NotFound()
    return item, access


def item_history(actor, item_type: str, item_id: int, page: int = 1) -> dict:
    """Editors: every version, newest first. Viewers who are not editors: only the published one."""
    item, access = _item(actor, item_type, item_id)
    rows, total = versions.history(item_type, item.id, HISTORY_PAGE, (max(page, 1) - 1) * HISTORY_PAGE)
    if not access.can_edit:
        rows = [row for row in rows if row.number == item.published_version]
        total = len(rows)
    names = accounts.names_by_id(row.author_id for row in rows if row.author_id)
    entries = [
        HistoryEntry(
            row.number,
            names.get(row.author_id, _("Someone no longer here")),
            row.created_at,
            row.updated_at,
            row.note,
            row.is_autosave,
            row.autosave_count,
            row.number == item.published_version,
            row.number == item.version,
        )
        for row in rows
    ]
    return {"item": item, "access": access, "entries": entries, "total": total, "per_page": HISTORY_PAGE}


def item_version(actor, item_type: str, item_id: int, number: int) -> dict:
    """One version read-only: any of them for editors, the published one for everyone else (NotFound)."""
    item, access = _item(actor, item_type, item_id)
    if not access.can_edit and number != item.published_version:
        raise NotFound()
    version = versions.get_version(item_type, item.id, number)
    author = accounts.names_by_id([version.author_id]).get(version.author_id) if version.author_id else None
    return {"item": item, "access": access, "version": version, "author": author}


def restore(actor, item_type: str, item_id: int, number: int, base_revision: int | None, note: str | None = None):
    """Editors (a template's managers). Writes a new version equal to version `number` (nothing is lost: the
    newer ones stay in the history), noted "Restored version N" and the editor's own note. Raises
    versioning.Stale when the item moved on since the page was loaded."""
    from app.curriculum.services.lessons import lesson_snapshot
    from app.curriculum.services.templates import managed_template, template_snapshot
    from app.curriculum.services.units import unit_snapshot

    if item_type == "template":
        managed_template(actor, item_id)
        model, snapshot_of = ContentTemplate, template_snapshot
    else:
        _item(actor, item_type, item_id, editing=True)
        model = MODELS[item_type]
        snapshot_of = lesson_snapshot if item_type == "lesson" else unit_snapshot
    item = versioning.lock(actor, model, item_id)
    versioning.check_fresh(actor, item, item_type, base_revision, item.version, snapshot_of)
    old = versions.get_version(item_type, item.id, number).snapshot
    if item_type == "lesson":
        item.title, item.duration_minutes, item.visibility = old["title"], old["duration_minutes"], old["visibility"]
        item.sections = old["sections"]
        item.standard_ids = old.get("standards") or []
        item.plain_text = lesson_text(item.title, item.sections)
    elif item_type == "template":
        item.title, item.description, item.body = old["title"], old.get("description") or "", old.get("body") or {}
        sections = item.body.get("sections")
        item.plain_text = lesson_text("", sections) if item.kind == "lesson" else unit_text(item.body)
    else:
        item.title, item.duration_days, item.visibility = old["title"], old["duration_days"], old["visibility"]
        for key in ("summary", "big_ideas", "essential_questions"):
            setattr(item, key, old[key])
        item.standard_ids = old.get("standards") or []
        item.plain_text = unit_text({k: old[k] for k in ("summary", "big_ideas", "essential_questions")})
    label = _("Restored version %(n)d", n=number)
    note = (note or "").strip()
    versioning.record(actor, item, item_type, snapshot_of(item), note=f"{label}: {note}" if note else label)
    # "template.restored" already names an archived template offered again.
    event = "template.version_restored" if item_type == "template" else f"{item_type}.restored"
    record_event(actor, event, item_type, item.id, version=item.version, from_version=number)
    db.session.commit()
    return item
