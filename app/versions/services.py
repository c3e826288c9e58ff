"""Writing and reading version snapshots; the owning domain checks access first and holds the item's row lock.

Numbers run 1, 2, 3 per item. An explicit save always ends with a sealed version. Autosaves coalesce: while the
newest version is an open autosave of the same author and editing session, started less than COALESCE_WINDOW
ago, a further autosave overwrites it (its count goes up) and an explicit save seals it with its note; otherwise
each write is a new number. So a morning of typing leaves a handful of versions, and history says how many
edits each holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, tuple_
from sqlalchemy.orm import defer

from app import db
from app.errors import NotFound
from app.versions.models import ContentVersion

COALESCE_WINDOW = timedelta(minutes=5)
ITEM_TYPES = ("unit", "lesson", "template", "question")


@dataclass(frozen=True)
class Written:
    version: ContentVersion
    # True when an open autosave absorbed this write instead of a new number.
    coalesced: bool


def _now() -> datetime:
    return datetime.now(UTC)


def _check(item_type: str) -> None:
    if item_type not in ITEM_TYPES:
        raise ValueError(f"unknown versioned item type {item_type!r}")


def latest_version(item_type: str, item_id: int) -> ContentVersion | None:
    """The newest version; its snapshot loads only if read (a coalescing autosave just overwrites it)."""
    _check(item_type)
    return db.session.scalar(
        select(ContentVersion)
        .options(defer(ContentVersion.snapshot))
        .where(ContentVersion.item_type == item_type, ContentVersion.item_id == item_id)
        .order_by(ContentVersion.number.desc())
        .limit(1)
    )


def _absorbs(latest: ContentVersion | None, actor, editing_session: str | None) -> bool:
    return bool(
        latest is not None
        and latest.is_autosave
        and editing_session
        and latest.editing_session == editing_session
        and latest.author_id == getattr(actor, "id", None)
        and _now() - latest.created_at < COALESCE_WINDOW
    )


def write_version(
    actor,
    item_type: str,
    item_id: int,
    snapshot: dict,
    *,
    note: str | None = None,
    autosave: bool = False,
    editing_session: str | None = None,
) -> Written:
    """The owning domain, holding the item's row lock: record `snapshot` as the item's newest version."""
    latest = latest_version(item_type, item_id)
    note = (note or "").strip()[:300] or None
    if _absorbs(latest, actor, editing_session):
        latest.snapshot = snapshot
        latest.updated_at = _now()
        if autosave:
            latest.autosave_count += 1
        else:
            latest.is_autosave, latest.note = False, note
        db.session.flush()
        return Written(latest, coalesced=True)
    version = ContentVersion(
        district_id=actor.district_id,
        item_type=item_type,
        item_id=item_id,
        number=(latest.number + 1) if latest else 1,
        snapshot=snapshot,
        author_id=getattr(actor, "id", None),
        note=note,
        is_autosave=autosave,
        autosave_count=1 if autosave else 0,
        editing_session=editing_session if autosave else None,
    )
    db.session.add(version)
    db.session.flush()
    return Written(version, coalesced=False)


def get_version(item_type: str, item_id: int, number: int) -> ContentVersion:
    """One version with its snapshot; NotFound for a number the item does not have."""
    _check(item_type)
    version = db.session.scalar(
        select(ContentVersion).where(
            ContentVersion.item_type == item_type, ContentVersion.item_id == item_id, ContentVersion.number == number
        )
    )
    if version is None:
        raise NotFound()
    return version


def history(item_type: str, item_id: int, limit: int = 50, offset: int = 0) -> tuple[list[ContentVersion], int]:
    """Newest first, without the snapshots (a long history stays cheap to list), and how many there are."""
    _check(item_type)
    where = (ContentVersion.item_type == item_type, ContentVersion.item_id == item_id)
    rows = db.session.scalars(
        select(ContentVersion)
        .options(defer(ContentVersion.snapshot))
        .where(*where)
        .order_by(ContentVersion.number.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    total = db.session.scalar(select(func.count()).where(*where)) or 0
    return list(rows), total


def version_counts(item_type: str, item_ids) -> dict[int, int]:
    ids = list(set(item_ids))
    if not ids:
        return {}
    query = (
        select(ContentVersion.item_id, func.count())
        .where(ContentVersion.item_type == item_type, ContentVersion.item_id.in_(ids))
        .group_by(ContentVersion.item_id)
    )
    return dict(db.session.execute(query).tuples().all())


def snapshot_values(item_type: str, pairs, key: str) -> dict[int, object]:
    """Item id -> one top-level field of the snapshot of version `number`, for many (item id, number) pairs in one
    query (a list page reading what each item's published version says)."""
    _check(item_type)
    pairs = list(set(pairs))
    if not pairs:
        return {}
    query = select(ContentVersion.item_id, ContentVersion.snapshot[key]).where(
        ContentVersion.item_type == item_type,
        tuple_(ContentVersion.item_id, ContentVersion.number).in_(pairs),
    )
    return dict(db.session.execute(query).tuples().all())


def get_version_by_id(item_type: str, version_id: int) -> ContentVersion | None:
    """One version by its own id (what the gradebook pins), with its snapshot; None when there is none."""
    _check(item_type)
    return db.session.scalar(
        select(ContentVersion).where(ContentVersion.id == version_id, ContentVersion.item_type == item_type)
    )


def write_first_versions(actor, item_type: str, items: list[tuple[int, dict, str | None]]) -> dict[int, int]:
    """Many new items at once (an import's), each with no version yet: (item id, snapshot, note) become their
    version 1 in one insert; {item id: version id}. The owning domain has just inserted the items."""
    _check(item_type)
    if not items:
        return {}
    rows = [
        {
            "district_id": actor.district_id,
            "item_type": item_type,
            "item_id": item_id,
            "number": 1,
            "snapshot": snapshot,
            "author_id": getattr(actor, "id", None),
            "note": (note or "").strip()[:300] or None,
            "is_autosave": False,
            "autosave_count": 0,
        }
        for item_id, snapshot, note in items
    ]
    returned = db.session.execute(
        insert(ContentVersion).returning(ContentVersion.item_id, ContentVersion.id), rows
    ).all()
    return dict(returned)
