"""What every versioned item (unit, lesson, template) shares: the guarded save, stale-edit detection, restore."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.accounts import services as accounts
from app.errors import NotFound, StaleEdit
from app.events.services import record_event
from app.versions import services as versions


def now() -> datetime:
    return datetime.now(UTC)


def lock(actor, model, item_id: int):
    """The live row, locked for this transaction (two saves of one item run one after the other)."""
    row = db.session.scalar(select(model).where(model.id == item_id).with_for_update())
    if row is None or row.district_id != actor.district_id:
        return None
    return row


def changed_fields(before: dict, after: dict) -> list[str]:
    """The top-level fields (and lesson sections) whose value differs between two snapshots."""
    keys = sorted(set(before) | set(after))
    changed = []
    for key in keys:
        if key == "sections":
            inner = sorted(set(before.get(key) or {}) | set(after.get(key) or {}))
            changed += [
                f"sections.{k}" for k in inner if (before.get(key) or {}).get(k) != (after.get(key) or {}).get(k)
            ]
        elif before.get(key) != after.get(key):
            changed.append(key)
    return changed


class Stale(StaleEdit):
    """A save that started from an older revision. `current` is the item; `changes` names what differs from
    the version the editor started from; `snapshot` is the item as it is now."""

    def __init__(
        self, current, changes: list[str], snapshot: dict, base_version: int | None, by=None, at=None, before=None
    ):
        super().__init__(current, _("Someone saved a newer version while you were editing."))
        self.changes = changes
        self.snapshot = snapshot
        self.before = before or {}  # the version the editor started from (empty when unknown)
        self.base_version = base_version
        self.by = by  # the name of who saved the newer version, when known
        self.at = at


def check_fresh(actor, item, item_type: str, base_revision: int | None, base_version: int | None, snapshot_of):
    """Raise Stale when the item moved on since the editor loaded revision `base_revision`."""
    if base_revision is None or base_revision == item.revision:
        return
    current = snapshot_of(item)
    try:
        before = versions.get_version(item_type, item.id, base_version).snapshot if base_version else {}
    except NotFound:  # an unknown base version: everything counts as changed
        before = {}
    latest = versions.latest_version(item_type, item.id)
    by = accounts.names_by_id([latest.author_id]).get(latest.author_id) if latest and latest.author_id else None
    at = latest.updated_at if latest else None
    raise Stale(item, changed_fields(before, current), current, base_version, by, at, before)


def record(actor, item, item_type: str, snapshot: dict, *, note=None, autosave=False, editing_session=None):
    """Write the version of an item whose fields were just set; bumps its version number and revision."""
    written = versions.write_version(
        actor, item_type, item.id, snapshot, note=note, autosave=autosave, editing_session=editing_session
    )
    item.version = written.version.number
    item.revision = (item.revision or 0) + 1
    item.updated_at = now()
    return written


def save(actor, item, item_type: str, snapshot: dict, *, note=None, autosave=False, editing_session=None):
    """After an editor's change to a unit or lesson: its version, the `<type>.updated` event (not for an autosave
    that an open version absorbed), commit."""
    written = record(actor, item, item_type, snapshot, note=note, autosave=autosave, editing_session=editing_session)
    if not written.coalesced:
        record_event(actor, f"{item_type}.updated", item_type, item.id, version=item.version, autosave=autosave)
    db.session.commit()
    return item


def publish(actor, item, item_type: str):
    """Readers who are not editors now see the item as it is: its newest version, sealed (a published version
    never changes), with its title and text for their search."""
    latest = versions.latest_version(item_type, item.id)
    if latest is not None and latest.is_autosave:
        latest.is_autosave = False
    if latest is not None and latest.published_at is None:
        latest.published_at = now()
    item.published_version, item.published_title, item.published_text = item.version, item.title, item.plain_text
    record_event(actor, f"{item_type}.published", item_type, item.id, version=item.version)
    db.session.commit()
    return item
