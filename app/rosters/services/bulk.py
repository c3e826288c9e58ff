"""Bulk actions on selected people, from the directory or a section's roster: enroll, move, drop, deactivate,
export. Planned first (who changes, who is skipped, the question to confirm), then applied in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app import db
from app.accounts import services as accounts
from app.audit import services as audit
from app.csvio import csv_lines
from app.errors import Invalid, NotFound
from app.rosters import policy
from app.rosters.models import Enrollment, Section
from app.rosters.services.enrollments import drop, editable_section, enroll, not_enrolled
from app.rosters.services.sections import get_section, section_label

MAX_BULK = 1000
BULK_ACTIONS = ("enroll", "move", "drop", "deactivate", "export")


@dataclass(frozen=True)
class BulkPlan:
    action: str
    user_ids: list[int]
    skipped: int
    question: str
    section: Section | None = None
    from_section: Section | None = None

    @property
    def count(self) -> int:
        return len(self.user_ids)


def _clean_ids(raw_ids) -> list[int]:
    ids = list(dict.fromkeys(int(i) for i in raw_ids if str(i).strip().isdigit() and len(str(i).strip()) < 19))
    if not ids:
        raise Invalid({"user_ids": _("Select at least one row first.")})
    if len(ids) > MAX_BULK:
        raise Invalid({"user_ids": _("Select at most %(n)d rows at a time.", n=MAX_BULK)})
    return ids


def _visible_ids(actor, ids: list[int], from_section: Section | None) -> list[int]:
    """The selected people the actor may act on: in a roster, its active students; else the directory's scope."""
    if from_section is None:
        return accounts.visible_people(actor, ids)
    allowed = set(
        db.session.scalars(
            select(Enrollment.student_id).where(
                Enrollment.section_id == from_section.id,
                Enrollment.dropped_on.is_(None),
                Enrollment.student_id.in_(ids),
            )
        )
    )
    return [i for i in ids if i in allowed]


def plan_bulk(actor, action: str, raw_ids, section_id: int | None = None, from_section_id: int | None = None):
    """Who may act on these rows, and how many will change; nothing is written. Raises Invalid per field,
    NotFound for a section or action outside the actor's reach."""
    if action not in BULK_ACTIONS:
        raise Invalid({"action": _("Choose an action from the list.")})
    ids = _clean_ids(raw_ids)
    source = get_section(actor, from_section_id) if from_section_id else None
    if action != "export" and not policy.can_manage_rosters(actor):
        raise NotFound()
    visible = _visible_ids(actor, ids, source)
    target = None
    if action in ("enroll", "move"):
        if not section_id:
            raise Invalid({"section_id": _("Choose a section.")})
        target = editable_section(actor, section_id)
    if action in ("move", "drop"):
        if source is None:
            raise Invalid({"action": _("Moving and dropping start from a section's roster.")})
        editable_section(actor, source.id)
        if target is not None and target.id == source.id:
            raise Invalid({"section_id": _("Choose a different section to move to.")})
    changing = _changing(actor, action, visible, target)
    skipped = len(ids) - len(changing)
    return BulkPlan(action, changing, skipped, _question(action, len(changing), target, source), target, source)


def _changing(actor, action: str, ids: list[int], target: Section | None) -> list[int]:
    if not ids or action in ("drop", "export"):
        return ids
    if action == "deactivate":
        return accounts.deactivatable(actor, ids)
    keep = accounts.students_of_school(ids, target.school_id) & not_enrolled(target.id, ids)
    return [i for i in ids if i in keep]


def _question(action: str, n: int, target: Section | None, source: Section | None) -> str:
    if action == "enroll":
        return ngettext(
            "Enroll %(num)d student in %(section)s?",
            "Enroll %(num)d students in %(section)s?",
            n,
            section=section_label(target),
        )
    if action == "move":
        return ngettext(
            "Move %(num)d student from %(source)s to %(section)s?",
            "Move %(num)d students from %(source)s to %(section)s?",
            n,
            source=section_label(source),
            section=section_label(target),
        )
    if action == "drop":
        return ngettext(
            "Drop %(num)d student from %(section)s?",
            "Drop %(num)d students from %(section)s?",
            n,
            section=section_label(source),
        )
    if action == "deactivate":
        return ngettext("Deactivate %(num)d person?", "Deactivate %(num)d people?", n)
    return ngettext("Export %(num)d row as CSV?", "Export %(num)d rows as CSV?", n)


def apply_bulk(actor, action: str, raw_ids, section_id: int | None = None, from_section_id: int | None = None) -> str:
    """As plan_bulk, then applies the plan in one transaction; returns the message for the result toast."""
    plan = plan_bulk(actor, action, raw_ids, section_id, from_section_id)
    if action == "export":
        raise Invalid({"action": _("Exports are downloaded, not applied.")})
    today = date.today()
    for student_id in plan.user_ids:
        if action in ("move", "drop"):
            drop(actor, plan.from_section, student_id, today)
        if action in ("enroll", "move"):
            enroll(actor, plan.section, student_id, today)
    if action == "deactivate":
        accounts.deactivate_people(actor, plan.user_ids)
    db.session.commit()
    done = {
        "enroll": ngettext("%(num)d student enrolled.", "%(num)d students enrolled.", plan.count),
        "move": ngettext("%(num)d student moved.", "%(num)d students moved.", plan.count),
        "drop": ngettext("%(num)d student dropped.", "%(num)d students dropped.", plan.count),
        "deactivate": ngettext("%(num)d person deactivated.", "%(num)d people deactivated.", plan.count),
    }[action]
    if plan.skipped:
        done += " " + ngettext("%(num)d row was unchanged.", "%(num)d rows were unchanged.", plan.skipped)
    return done


def export_people_csv(actor, raw_ids, from_section_id: int | None = None) -> Iterator[str]:
    """Directory viewers (or a roster's viewers, with from_section_id): the selected people as CSV lines,
    header first. Rows are read before the first line is yielded, so the response streams without the session."""
    plan = plan_bulk(actor, "export", raw_ids, from_section_id=from_section_id)
    rows = accounts.people_rows(actor, plan.user_ids)
    students = [row[0] for row in rows if "student" in str(row[6]).split()]
    detail = f"section {from_section_id}" if from_section_id else "directory"
    audit.record_accesses(actor, students, "people.csv", "administration", detail)
    db.session.commit()
    return csv_lines(accounts.PEOPLE_CSV_HEADER, rows)
