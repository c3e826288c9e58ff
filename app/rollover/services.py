"""Year rollover: preview, apply as a job, revert until confirmed.

Each step is done by the domain that owns the data (org copies courses and switches the current year, rosters
archives sections and ends enrollments, accounts promotes students); this module orders the steps, commits each
one together with its undo data, and so can rerun a crashed job without doing a step twice.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from app import db
from app.accounts import services as accounts
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.jobruns.services import get_run_of, start_job
from app.org import services as org
from app.org.data import HIGHEST_GRADE
from app.rollover.models import Rollover
from app.rollover.policy import can_run_rollover
from app.rosters import services as rosters

# Apply runs these in order and revert in reverse; each is one transaction that also records its undo data.
ROLLOVER_STEPS = ("courses", "sections", "enrollments", "grades", "years")
OPEN_ROLLOVER = ("applying", "applied", "reverting")
JOB_KINDS = {
    "org.rollover_apply": _l("Applying the year rollover"),
    "org.rollover_revert": _l("Reverting the year rollover"),
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotFound()


def _now() -> datetime:
    return datetime.now(UTC)


def compute_rollover_preview(from_year, to_year) -> dict:
    """Counts of what applying would change, from the data as it is now."""
    by_grade = accounts.student_grade_counts()
    to_carry, already = org.carry_counts(from_year.id, to_year.id)
    return {
        **rosters.rollover_counts(from_year.id),
        "promote_by_grade": {str(grade): count for grade, count in sorted(by_grade.items()) if grade < HIGHEST_GRADE},
        "students_to_promote": sum(count for grade, count in by_grade.items() if grade < HIGHEST_GRADE),
        "graduates": by_grade.get(HIGHEST_GRADE, 0),
        "students_without_grade": accounts.students_without_grade(),
        "courses_to_carry": to_carry,
        "courses_already_there": already,
    }


def list_rollovers(actor) -> list[Rollover]:
    _require(can_run_rollover(actor))
    return list(db.session.scalars(select(Rollover).order_by(Rollover.created_at.desc(), Rollover.id.desc()).limit(20)))


def get_rollover(actor, rollover_id: int) -> Rollover:
    """The one scoped getter for rollovers: district admins with rollover.run; NotFound otherwise."""
    _require(can_run_rollover(actor))
    rollover = db.scoped_get(actor, Rollover, rollover_id)
    if rollover is None:
        raise NotFound()
    return rollover


def rollover_details(actor, rollover_id: int) -> dict:
    """The rollover, its years, job run and preview counts (recounted while not yet applied)."""
    rollover = get_rollover(actor, rollover_id)
    from_year, to_year = org.get_year(actor, rollover.from_year_id), org.get_year(actor, rollover.to_year_id)
    # Until applied the counts follow the data; applying freezes the ones it started from.
    preview = compute_rollover_preview(from_year, to_year) if rollover.status == "previewed" else rollover.preview
    run = get_run_of(actor, rollover.job_run_id)
    busy = run is not None and run.is_active
    return {
        "rollover": rollover,
        "preview": preview or {},
        "from_year": from_year,
        "to_year": to_year,
        "run": run,
        "can_apply": not busy and rollover.status in ("previewed", "applying"),
        "can_revert": not busy and rollover.status in ("applied", "reverting"),
        "can_confirm": not busy and rollover.status == "applied",
    }


def start_rollover(actor, from_year_id, to_year_id) -> Rollover:
    """District admins with rollover.run. Records a previewed rollover; raises Invalid when the to-year is
    missing or not later, or another rollover is still open."""
    _require(can_run_rollover(actor))
    errors = {}
    from_year = org.get_year(actor, from_year_id) if from_year_id else None
    to_year = org.get_year(actor, to_year_id) if to_year_id else None
    if from_year is None:
        errors["from_year_id"] = _("Choose the year that is ending.")
    if to_year is None:
        errors["to_year_id"] = _("Choose the new year. Create it first on the years page if it is not listed.")
    if from_year and to_year and to_year.starts_on <= from_year.starts_on:
        errors["to_year_id"] = _(
            "The new year must come after %(from_year)s; %(to_year)s starts on %(start)s.",
            from_year=from_year.name,
            to_year=to_year.name,
            start=format_date(to_year.starts_on, "medium"),
        )
    if errors:
        raise Invalid(errors)
    open_one = db.session.scalar(select(Rollover).where(Rollover.status.in_(OPEN_ROLLOVER)))
    if open_one is not None:
        raise Invalid(
            {"": _("Another rollover is applied or running. Confirm or revert it before starting a new one.")}
        )
    done = db.session.scalar(
        select(Rollover).where(Rollover.from_year_id == from_year.id, Rollover.status == "confirmed")
    )
    if done is not None:
        raise Invalid({"from_year_id": _("%(year)s has already been rolled over and confirmed.", year=from_year.name)})
    rollover = Rollover(
        district_id=actor.district_id,
        user_id=getattr(actor, "id", None),
        from_year_id=from_year.id,
        to_year_id=to_year.id,
        status="previewed",
        preview=compute_rollover_preview(from_year, to_year),
        undo={"applied": [], "reverted": []},
    )
    db.session.add(rollover)
    db.session.commit()
    return rollover


def _busy(actor, rollover: Rollover) -> bool:
    run = get_run_of(actor, rollover.job_run_id)
    return run is not None and run.is_active


def apply_rollover(actor, rollover_id: int):
    """District admins. Starts (or, after a failed run, restarts) the apply job; returns its run."""
    rollover = get_rollover(actor, rollover_id)
    if _busy(actor, rollover):
        return get_run_of(actor, rollover.job_run_id)
    if rollover.status not in ("previewed", "applying"):
        raise Invalid({"": _("This rollover has already been applied.")})
    if rollover.status == "previewed":
        from_year, to_year = org.get_year(actor, rollover.from_year_id), org.get_year(actor, rollover.to_year_id)
        rollover.preview = compute_rollover_preview(from_year, to_year)
    rollover.status = "applying"
    run = start_job(
        actor, "org.rollover_apply", "jobs.rollover.apply_rollover", rollover.id, actor.id, total=len(ROLLOVER_STEPS)
    )
    rollover.job_run_id = run.id
    db.session.commit()
    return run


def revert_rollover(actor, rollover_id: int):
    """District admins, before confirming. Starts the revert job; raises Invalid once confirmed, or when a
    carried-forward course already has sections."""
    rollover = get_rollover(actor, rollover_id)
    if _busy(actor, rollover):
        return get_run_of(actor, rollover.job_run_id)
    if rollover.status == "confirmed":
        raise Invalid({"": _("This rollover is confirmed and can no longer be reverted.")})
    if rollover.status not in ("applied", "reverting"):
        raise Invalid({"": _("Only an applied rollover can be reverted.")})
    created = (rollover.undo or {}).get("created_courses", [])
    if "courses" not in rollover.undo.get("reverted", []) and created:
        used = rosters.sections_using_courses(created)
        if used:
            raise Invalid(
                {
                    "": _(
                        "%(n)d sections were already added to carried-forward courses. "
                        "Remove them before reverting the rollover.",
                        n=used,
                    )
                }
            )
    rollover.status = "reverting"
    run = start_job(
        actor, "org.rollover_revert", "jobs.rollover.revert_rollover", rollover.id, actor.id, total=len(ROLLOVER_STEPS)
    )
    rollover.job_run_id = run.id
    db.session.commit()
    return run


def confirm_rollover(actor, rollover_id: int) -> Rollover:
    """District admins. Makes an applied rollover final; raises Invalid in any other state."""
    rollover = get_rollover(actor, rollover_id)
    if rollover.status != "applied" or _busy(actor, rollover):
        raise Invalid({"": _("Only an applied rollover can be confirmed.")})
    rollover.status, rollover.confirmed_at = "confirmed", _now()
    record_event(
        actor,
        "rollover.confirmed",
        "rollover",
        rollover.id,
        from_year_id=rollover.from_year_id,
        to_year_id=rollover.to_year_id,
    )
    db.session.commit()
    return rollover


def _locked_rollover(actor, rollover_id: int) -> Rollover:
    _require(can_run_rollover(actor))
    rollover = db.session.scalar(select(Rollover).where(Rollover.id == rollover_id).with_for_update())
    if rollover is None:
        raise NotFound()
    return rollover


def _apply_step(actor, step: str, rollover: Rollover, undo: dict) -> None:
    from_year, to_year = org.year_of(actor, rollover.from_year_id), org.year_of(actor, rollover.to_year_id)
    if step == "courses":
        undo["course_map"], undo["created_courses"] = org.carry_courses_forward(from_year.id, to_year.id)
    elif step == "sections":
        undo["archived_sections"] = rosters.archive_sections_of_year(from_year.id)
    elif step == "enrollments":
        # Ended on the year's last day (or the day it began, for an enrollment added after the year).
        undo["ended_enrollments"] = rosters.end_enrollments_of_year(from_year.id, from_year.ends_on)
    elif step == "grades":
        undo["grades"] = accounts.promote_students()
    elif step == "years":
        undo["years"] = {"current_id": org.current_year_id(), "from_archived": from_year.is_archived}
        org.set_current_year_id(to_year.id)
        org.archive_year(from_year)


def _revert_step(actor, step: str, rollover: Rollover, undo: dict) -> None:
    if step == "courses":
        org.delete_courses(undo.get("created_courses") or [])
    elif step == "sections":
        rosters.unarchive_sections(undo.get("archived_sections") or [])
    elif step == "enrollments":
        rosters.reopen_enrollments(undo.get("ended_enrollments") or [])
    elif step == "grades":
        accounts.restore_grades(undo.get("grades") or [])
    elif step == "years":
        saved = undo.get("years") or {}
        org.set_current_year_id(saved.get("current_id"))
        org.archive_year(org.year_of(actor, rollover.from_year_id), bool(saved.get("from_archived")))


def _walk(actor, rollover_id: int, steps, done_key: str, do_step, progress) -> Rollover:
    """Run each step not yet done, committing it with its undo data; returns the locked rollover at the end."""
    for number, step in enumerate(steps, start=1):
        rollover = _locked_rollover(actor, rollover_id)
        undo = dict(rollover.undo or {})
        done = undo.setdefault(done_key, [])
        wanted = step in undo.get("applied", []) if done_key == "reverted" else True
        if wanted and step not in done:
            do_step(actor, step, rollover, undo)
            undo[done_key] = [*done, step]
            rollover.undo = undo
            flag_modified(rollover, "undo")
        db.session.commit()
        if progress:
            progress(number, len(ROLLOVER_STEPS))
    return _locked_rollover(actor, rollover_id)


def perform_rollover_apply(actor, rollover_id: int, progress=None) -> dict:
    """The apply job. Each step commits together with its undo data, so a rerun after a crash skips the
    steps already done and never copies a course or promotes a student twice."""
    rollover = _locked_rollover(actor, rollover_id)
    if rollover.status != "applying":
        db.session.commit()
        return {"status": rollover.status}
    rollover = _walk(actor, rollover_id, ROLLOVER_STEPS, "applied", _apply_step, progress)
    rollover.status, rollover.applied_at = "applied", _now()
    summary = _summary(rollover.undo)
    record_event(actor, "rollover.applied", "rollover", rollover.id, **summary)
    db.session.commit()
    return summary


def perform_rollover_revert(actor, rollover_id: int, progress=None) -> dict:
    """The revert job: undoes exactly what the undo record lists, step by step, each step once."""
    rollover = _locked_rollover(actor, rollover_id)
    if rollover.status != "reverting":
        db.session.commit()
        return {"status": rollover.status}
    rollover = _walk(actor, rollover_id, tuple(reversed(ROLLOVER_STEPS)), "reverted", _revert_step, progress)
    rollover.status = "reverted"
    summary = _summary(rollover.undo)
    record_event(actor, "rollover.reverted", "rollover", rollover.id, **summary)
    db.session.commit()
    return summary


def _summary(undo: dict) -> dict:
    grades = undo.get("grades") or []
    return {
        "courses_carried": len(undo.get("created_courses") or []),
        "sections_archived": len(undo.get("archived_sections") or []),
        "enrollments_ended": len(undo.get("ended_enrollments") or []),
        "students_promoted": sum(1 for _id, old in grades if old < HIGHEST_GRADE),
        "students_graduated": sum(1 for _id, old in grades if old == HIGHEST_GRADE),
    }


def rollover_year_choices(actor) -> list:
    _require(can_run_rollover(actor))
    return org.years_in_order()
