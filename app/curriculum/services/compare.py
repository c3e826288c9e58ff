"""Comparing versions of units, lessons and templates (and a copy with its origin), and what a restore touches.

Editors compare any two versions of an item; everyone else who may read it compares the versions that were
published. The diff itself is app/diff's: this module says which fields each kind of item has and who may see
which version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import case, func, select

from app import db
from app.accounts import services as accounts
from app.curriculum.data import LESSON_SECTIONS, SECTION_KEYS, UNIT_FIELDS, VISIBILITIES
from app.curriculum.models import ContentTemplate, Lesson, PlannerEntry, Unit
from app.curriculum.services.access import editable_condition, load
from app.diff import services as diff
from app.errors import Invalid, NotFound
from app.richtext import services as richtext
from app.rosters import services as rosters
from app.versions import services as versions

MODELS = {"unit": Unit, "lesson": Lesson, "template": ContentTemplate}
PICKER_LIMIT = 500
FieldSpec = diff.FieldSpec


def _visibility():
    return {key: label for key, label in VISIBILITIES}


def specs_for(item_type: str, kind: str | None = None, units: dict | None = None) -> list[FieldSpec]:
    """The fields of a unit, a lesson or a template (of `kind` unit or lesson), in the order the item reads."""
    if item_type == "lesson":
        return [
            FieldSpec(("title",), _l("Title"), "text"),
            FieldSpec(("duration_minutes",), _l("Length in minutes"), "value"),
            FieldSpec(("visibility",), _l("Who may see it"), "value", choices=_visibility()),
            FieldSpec(("unit_id",), _l("Unit"), "value", choices=units or {}),
            *(FieldSpec(("sections", key), label, "rich") for key, label in LESSON_SECTIONS),
        ]
    if item_type == "unit":
        return [
            FieldSpec(("title",), _l("Title"), "text"),
            FieldSpec(("duration_days",), _l("Length in days"), "value"),
            FieldSpec(("visibility",), _l("Who may see it"), "value", choices=_visibility()),
            *(FieldSpec((key,), label, "rich") for key, label in UNIT_FIELDS),
        ]
    head = [
        FieldSpec(("kind",), _l("Template for"), "value", choices={"unit": _l("Units"), "lesson": _l("Lessons")}),
        FieldSpec(("title",), _l("Title"), "text"),
        FieldSpec(("description",), _l("Description"), "text"),
    ]
    if kind == "unit":
        return [
            *head,
            FieldSpec(("body", "duration_days"), _l("Length in days"), "value"),
            *(FieldSpec(("body", key), label, "rich") for key, label in UNIT_FIELDS),
        ]
    return [
        *head,
        FieldSpec(("body", "duration_minutes"), _l("Length in minutes"), "value"),
        *(FieldSpec(("body", "sections", key), label, "rich") for key, label in LESSON_SECTIONS),
    ]


@dataclass(frozen=True)
class Side:
    """One side of a comparison: which version (or the live copy), who wrote it, when, and its note."""

    number: int | None
    author: str | None
    at: object
    note: str | None
    is_published: bool
    title: str
    item_id: int
    label: str = ""


@dataclass
class Comparison:
    item: object
    item_type: str
    access: object
    choices: list[Side]  # the versions the viewer may pick, newest first
    left: Side | None
    right: Side | None
    fields: list = field(default_factory=list)  # diff.FieldView, changed fields
    unchanged: list = field(default_factory=list)  # labels of the fields that did not change
    changes: int = 0
    view: str = "inline"
    problem: str | None = None  # why nothing is compared (a version that does not exist, say)
    origin: object = None  # across copies: the item this one was copied from
    impact: object = None  # before a restore: what it touches (Impact)


def _item(actor, item_type: str, item_id: int):
    """The item and what the actor may do: units and lessons through their getter, templates for managers."""
    if item_type == "template":
        from app.curriculum.services.templates import managed_template

        template = managed_template(actor, item_id)
        return template, _TemplateAccess()
    model = MODELS.get(item_type)
    if model is None:
        raise NotFound()
    return load(actor, model, item_id)


class _TemplateAccess:
    # Templates have no published copy: their managers see and restore every version.
    can_view = can_edit = sees_drafts = True


def _published(item, row) -> bool:
    return row.published_at is not None or row.number == getattr(item, "published_version", None)


def _choices(item, item_type: str, access) -> list[Side]:
    rows, _total = versions.history(item_type, item.id, PICKER_LIMIT, 0)
    if not access.can_edit:
        rows = [row for row in rows if _published(item, row)]
    names = accounts.names_by_id(row.author_id for row in rows if row.author_id)
    return [
        Side(
            row.number,
            names.get(row.author_id, _("Someone no longer here")) if row.author_id else None,
            row.created_at,
            row.note,
            _published(item, row),
            item.title,
            item.id,
        )
        for row in rows
    ]


def _unit_titles(actor, old, new) -> dict:
    """The titles of a lesson's units on both sides, only when the lesson moved to another unit (the one field that
    names another item; two queries saved on every other comparison)."""
    if not (isinstance(old, dict) and isinstance(new, dict)) or old.get("unit_id") == new.get("unit_id"):
        return {}
    ids = {s.get("unit_id") for s in (old, new) if isinstance(s.get("unit_id"), int)}
    if not ids:
        return {}
    # A unit's title as the actor reads it: its draft title only for its editors.
    title = case((editable_condition(actor, Unit), Unit.title), else_=Unit.published_title)
    rows = db.session.execute(select(Unit.id, title).where(Unit.id.in_(ids))).tuples().all()
    return {unit_id: name for unit_id, name in rows if name}


def _fill(comparison: Comparison, actor, old: dict, new: dict, kind: str | None) -> Comparison:
    specs = specs_for(comparison.item_type, kind, _unit_titles(actor, old, new))
    result = diff.compare(specs, old, new)
    comparison.fields = [fv for fv in diff.field_views(result, comparison.view) if fv.status != diff.UNCHANGED]
    comparison.unchanged = [fd.spec.label for fd in result.unchanged]
    comparison.changes = result.change_count()
    return comparison


def compare_versions(
    actor, item_type: str, item_id: int, left: int | None = None, right: int | None = None, view: str = "inline"
) -> Comparison:
    """Whoever may read the item: two of its versions side by side or inline (defaults: the newest against the
    one before). Editors pick from every version, everyone else from the published ones; a number that is not
    among those gives a Comparison with `problem` set (the page says so). NotFound for an item they may not see."""
    item, access = _item(actor, item_type, item_id)
    choices = _choices(item, item_type, access)
    comparison = Comparison(item, item_type, access, choices, None, None, view=diff.view_of(view))
    by_number = {side.number: side for side in choices}
    if not choices:
        comparison.problem = _("There are no versions to compare yet.")
        return comparison
    if right is None:
        right = choices[0].number
    if left is None:
        older = [side.number for side in choices if side.number < right]
        left = older[0] if older else right
    missing = [n for n in (left, right) if n not in by_number]
    if missing:
        comparison.problem = _(
            "There is no version %(n)d of this that you can compare. Choose versions from the lists.", n=missing[0]
        )
        return comparison
    comparison.left, comparison.right = by_number[left], by_number[right]
    if left == right:
        return comparison
    old = versions.get_version(item_type, item.id, left).snapshot
    new = versions.get_version(item_type, item.id, right).snapshot
    return _fill(comparison, actor, old, new, getattr(item, "kind", None))


def restore_preview(actor, item_type: str, item_id: int, number: int, view: str = "inline") -> Comparison:
    """Editors: what restoring version `number` would change, from the current version to that one, with what
    the restore touches (comparison.impact). NotFound for anyone else and for a version the item does not have."""
    item, access = _item(actor, item_type, item_id)
    if not access.can_edit:
        raise NotFound()
    comparison = compare_versions(actor, item_type, item_id, item.version, number, view)
    if comparison.problem or comparison.right is None:
        raise NotFound()
    comparison.impact = restore_impact(actor, item_type, item_id)
    return comparison


def compare_with_origin(actor, item_type: str, item_id: int, against: str = "copied", view: str = "inline"):
    """Whoever may read a copied unit or lesson and its origin: the origin (the version that was copied, or
    `against="latest"`, the origin as the viewer reads it now) against the copy as the viewer reads it.
    NotFound when the item is no copy or its origin is out of the viewer's sight."""
    if item_type not in ("unit", "lesson"):
        raise NotFound()
    item, access = _item(actor, item_type, item_id)
    if item.copied_from_id is None:
        raise NotFound()
    origin, origin_access = load(actor, MODELS[item_type], item.copied_from_id)
    comparison = Comparison(item, item_type, access, [], None, None, view=diff.view_of(view), origin=origin)
    if against == "latest":
        number = origin.version if origin_access.can_edit else origin.published_version
    else:
        number = item.copied_from_version
    origin_side = _version_side(origin, item_type, number, origin_access)
    mine = _version_side(item, item_type, item.version if access.can_edit else item.published_version, access)
    if origin_side is None or mine is None:
        comparison.problem = _("The version that was copied is not one you can see.")
        return comparison
    comparison.left, comparison.right = origin_side, mine
    old = versions.get_version(item_type, origin.id, origin_side.number).snapshot
    new = versions.get_version(item_type, item.id, mine.number).snapshot
    return _fill(comparison, actor, old, new, None)


def _version_side(item, item_type: str, number: int | None, access) -> Side | None:
    if number is None:
        return None
    try:
        row = versions.get_version(item_type, item.id, number)
    except NotFound:
        return None
    if not access.can_edit and not _published(item, row):
        return None
    author = accounts.names_by_id([row.author_id]).get(row.author_id) if row.author_id else None
    return Side(row.number, author, row.created_at, row.note, _published(item, row), item.title, item.id)


@dataclass(frozen=True)
class PlannedIn:
    label: str
    count: int  # how many times the section's plan has the lesson


@dataclass
class Impact:
    sections: list[PlannedIn]
    hidden: int  # sections planning it that the actor may not see
    lessons_planned: int = 0  # units: how many of their lessons some section plans


def restore_impact(actor, item_type: str, item_id: int) -> Impact:
    """Editors: what restoring a version of this item touches. A lesson: the sections whose plans teach it (they
    show the restored text from then on); a unit: its own fields only (its lessons keep their versions)."""
    item, access = _item(actor, item_type, item_id)
    if not access.can_edit:
        raise NotFound()
    if item_type == "unit":
        planned = db.session.scalar(
            select(func.count(func.distinct(PlannerEntry.lesson_id)))
            .join(Lesson, Lesson.id == PlannerEntry.lesson_id)
            .where(Lesson.unit_id == item.id)
        )
        return Impact([], 0, planned or 0)
    if item_type != "lesson":
        return Impact([], 0)
    counts = dict(
        db.session.execute(
            select(PlannerEntry.section_id, func.count())
            .where(PlannerEntry.lesson_id == item.id)
            .group_by(PlannerEntry.section_id)
        )
        .tuples()
        .all()
    )
    sections, hidden = [], 0
    for section_id, count in counts.items():
        try:
            section = rosters.get_section(actor, section_id)
        except NotFound:
            hidden += 1
            continue
        sections.append(PlannedIn(rosters.section_label(section), count))
    return Impact(sorted(sections, key=lambda s: s.label), hidden)


# Conflicts: after a refused stale save, each field changed meanwhile with the user's own text beside it.
CHOICE_PREFIX = "take_"
TAKE_SAVED = "saved"


@dataclass
class ConflictField:
    key: str  # "title", "summary", "sections.instruction"
    label: object
    field: object  # diff.FieldView: from the version the user started from to the one saved now
    mine: Markup  # the user's own text, as it will read
    same: bool  # the user's text already equals the saved one
    choice: str  # the name of the field's "take which side" input


def _posted_key(item_type: str, key: str) -> str | None:
    """The posted form value of a snapshot key (lesson sections are posted by their own name)."""
    if key == "title":
        return "title"
    if item_type == "lesson" and key.startswith("sections."):
        return key.split(".", 1)[1]
    if item_type == "unit" and key in dict(UNIT_FIELDS):
        return key
    return None


def _mine(value: str | None, rich: bool) -> tuple[Markup, dict | str]:
    if not rich:
        return escape(value or ""), (value or "").strip()
    try:
        doc = richtext.to_document(value or "")
    except Invalid:
        return escape(_("(too long to show here)")), {}
    return richtext.render(doc), doc


def conflict_fields(actor, item_type: str, stale, title: str, posted: dict, view: str = "inline") -> list:
    """Editors, after versioning.Stale: the fields changed since the version they started from, each with its
    diff (started from -> saved now), their own text, and the input that picks a side. Fields the user cannot
    take back here (length, visibility) are listed with their diff and no choice."""
    result = diff.compare(specs_for(item_type), stale.before, stale.snapshot)
    views = {fv.key: fv for fv in diff.field_views(result, diff.view_of(view))}
    out = []
    for fd in result.changed:
        posted_key = _posted_key(item_type, fd.key)
        if posted_key is None:
            out.append(ConflictField(fd.key, fd.spec.label, views[fd.key], Markup(""), True, ""))
            continue
        rich = fd.kind == "rich"
        raw = title if posted_key == "title" else posted.get(posted_key)
        shown, value = _mine(raw, rich)
        saved = fd.new if fd.new is not diff.MISSING else None
        same = (value == saved) if not rich else _same_doc(value, saved)
        out.append(ConflictField(fd.key, fd.spec.label, views[fd.key], shown, same, CHOICE_PREFIX + posted_key))
    return out


def _same_doc(mine: dict, saved) -> bool:
    # Ids differ between the user's text and the saved document; what reads the same is the same.
    return richtext.render(mine) == richtext.render(saved if isinstance(saved, dict) else None)


def take_saved(item_type: str, current: dict, title: str, posted: dict, choices: dict) -> tuple[str, dict]:
    """(title, posted) with each field the user chose to take from the saved version replaced by that version's
    content (as the editor would post it back, so the pipeline keeps it exactly). Any caller; pure."""
    posted = dict(posted)
    for name, side in choices.items():
        if side != TAKE_SAVED or not name.startswith(CHOICE_PREFIX):
            continue
        key = name[len(CHOICE_PREFIX) :]
        if key == "title":
            title = current.get("title") or title
            continue
        doc = (current.get("sections") or {}).get(key) if item_type == "lesson" else current.get(key)
        if key in _editable_keys(item_type):
            posted[key] = richtext.to_editor_html(doc) if isinstance(doc, dict) else ""
    return title, posted


def _editable_keys(item_type: str) -> tuple[str, ...]:
    return SECTION_KEYS if item_type == "lesson" else tuple(dict(UNIT_FIELDS))
