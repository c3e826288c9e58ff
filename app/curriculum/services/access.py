"""Who sees and edits which unit or lesson: one answer for one item, and the same rule as a SQL condition for
lists and search (see app/curriculum/policy.py for the rule in words)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, false, or_, select, tuple_

from app import db
from app.curriculum import policy
from app.errors import NotFound
from app.rosters import services as rosters


@dataclass(frozen=True)
class Access:
    can_view: bool
    can_edit: bool

    @property
    def sees_drafts(self) -> bool:
        return self.can_edit


NO_ACCESS = Access(False, False)


def access_to(actor, item) -> Access:
    """What the actor may do with this unit or lesson."""
    if actor.id == item.owner_id or (
        policy.can_plan(actor) and rosters.co_teach(item.owner_id, actor.id, item.course_id)
    ):
        return Access(True, True)
    if item.published_version is not None and policy.reaches(actor, item.visibility, item.school_id):
        return Access(True, False)
    return NO_ACCESS


def load(actor, model, item_id: int):
    """The one scoped getter for units and lessons: the row and what the actor may do; NotFound when they may not
    see it (another district's, a colleague's private draft, an unpublished one)."""
    item = db.scoped_get(actor, model, item_id)
    if item is None:
        raise NotFound()
    access = access_to(actor, item)
    if not access.can_view:
        raise NotFound()
    return item, access


def co_pairs(actor) -> list[tuple[int, int]]:
    """(owner id, course id) pairs whose items the actor edits as a co-teacher (their own included)."""
    pairs = [
        (teacher, course) for course, teachers in rosters.co_teachers_by_course(actor).items() for teacher in teachers
    ]
    return pairs


def editable_condition(actor, model, pairs: list[tuple[int, int]] | None = None):
    """SQL: the rows of `model` (units, lessons) the actor edits; `pairs` from co_pairs when the caller already
    has them (one query fewer per table in a search)."""
    if pairs is None:
        pairs = co_pairs(actor) if policy.can_plan(actor) else []
    own = model.owner_id == actor.id
    if not pairs:
        return own
    return or_(own, tuple_(model.owner_id, model.course_id).in_(pairs))


def published_condition(actor, model):
    """SQL: the published rows the actor may read without editing them."""
    if not policy.is_staff(actor):
        return false()
    schools = policy.staff_school_ids(actor)
    shared = model.visibility == "district"
    if schools is None:
        shared = or_(shared, model.visibility == "school")
    else:
        shared = or_(
            shared,
            and_(model.visibility == "school", or_(model.school_id.is_(None), model.school_id.in_(schools or [-1]))),
        )
    return and_(model.published_version.is_not(None), shared)


def locked_for_edit(actor, model, item_id: int):
    """The live row, locked for this transaction (two saves of one item run one after the other), for one of its
    editors; NotFound for anyone else. One read: the lock is the load."""
    row = db.session.scalar(select(model).where(model.id == item_id).with_for_update())
    if row is None or row.district_id != actor.district_id or not access_to(actor, row).can_edit:
        raise NotFound()
    return row
