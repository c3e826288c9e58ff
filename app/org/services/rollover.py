"""Year rollover: preview, apply as a job, revert until confirmed."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.types import BigInteger, SmallInteger

from app import db
from app.accounts.models import Membership, User
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.jobruns.models import JobRun
from app.jobruns.services import register_kind, start_job
from app.org.models import AcademicYear, Course, Rollover, Term
from app.org.policy import (
    can_run_rollover,
)
from app.org.services.structure import (
    HIGHEST_GRADE,
    LOWEST_GRADE,
    _day,
    _make_current,
    _now,
    _require,
    get_year,
)
from app.rosters.models import Enrollment, Section

# Apply runs these in order and revert in reverse; each is one transaction that also records its undo data.
ROLLOVER_STEPS = ("courses", "sections", "enrollments", "grades", "years")
OPEN_ROLLOVER = ("applying", "applied", "reverting")
register_kind("org.rollover_apply", _l("Applying the year rollover"))
register_kind("org.rollover_revert", _l("Reverting the year rollover"))


def _student_ids_query():
    return select(Membership.user_id).where(Membership.role == "student")


def _from_year_sections(year_id: int):
    return select(Section.id).join(Term, Term.id == Section.term_id).where(Term.academic_year_id == year_id)


def _carry_pairs(from_year_id: int, to_year_id: int) -> list[tuple[Course, int | None]]:
    """Each active course of the from-year with the id of its namesake (school and code) in the to-year."""
    existing = {
        (school_id, code.lower()): course_id
        for course_id, school_id, code in db.session.execute(
            select(Course.id, Course.school_id, Course.code).where(Course.academic_year_id == to_year_id)
        )
    }
    courses = db.session.scalars(
        select(Course).where(Course.academic_year_id == from_year_id, Course.is_active).order_by(Course.id)
    )
    return [(course, existing.get((course.school_id, course.code.lower()))) for course in courses]


def compute_rollover_preview(from_year: AcademicYear, to_year: AcademicYear) -> dict:
    """Counts of what applying would change, from the data as it is now."""
    students = (
        select(User.grade_level, func.count())
        .where(User.id.in_(_student_ids_query()), User.is_active, User.grade_level.between(LOWEST_GRADE, HIGHEST_GRADE))
        .group_by(User.grade_level)
    )
    by_grade = dict(db.session.execute(students).tuples().all())
    pairs = _carry_pairs(from_year.id, to_year.id)
    return {
        "sections_to_archive": db.session.scalar(
            select(func.count()).where(Section.id.in_(_from_year_sections(from_year.id)), ~Section.is_archived)
        ),
        "promote_by_grade": {str(grade): count for grade, count in sorted(by_grade.items()) if grade < HIGHEST_GRADE},
        "students_to_promote": sum(count for grade, count in by_grade.items() if grade < HIGHEST_GRADE),
        "graduates": by_grade.get(HIGHEST_GRADE, 0),
        "students_without_grade": db.session.scalar(
            select(func.count()).where(User.id.in_(_student_ids_query()), User.is_active, User.grade_level.is_(None))
        ),
        "enrollments_to_end": db.session.scalar(
            select(func.count()).where(
                Enrollment.section_id.in_(_from_year_sections(from_year.id)), Enrollment.dropped_on.is_(None)
            )
        ),
        "courses_to_carry": sum(1 for _course, existing in pairs if existing is None),
        "courses_already_there": sum(1 for _course, existing in pairs if existing is not None),
    }


def list_rollovers(actor) -> list[Rollover]:
    _require(can_run_rollover(actor))
    return list(db.session.scalars(select(Rollover).order_by(Rollover.created_at.desc(), Rollover.id.desc()).limit(20)))


def get_rollover(actor, rollover_id: int) -> Rollover:
    """District admins with rollover.run; NotFound otherwise."""
    _require(can_run_rollover(actor))
    rollover = db.session.get(Rollover, rollover_id)
    if rollover is None or rollover.district_id != actor.district_id:
        raise NotFound()
    return rollover


def rollover_details(actor, rollover_id: int) -> dict:
    """The rollover, its years, job run and preview counts (recounted while not yet applied)."""
    rollover = get_rollover(actor, rollover_id)
    from_year, to_year = get_year(actor, rollover.from_year_id), get_year(actor, rollover.to_year_id)
    # Until applied the counts follow the data; applying freezes the ones it started from.
    preview = compute_rollover_preview(from_year, to_year) if rollover.status == "previewed" else rollover.preview
    run = db.session.get(JobRun, rollover.job_run_id) if rollover.job_run_id else None
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
    from_year = get_year(actor, from_year_id) if from_year_id else None
    to_year = get_year(actor, to_year_id) if to_year_id else None
    if from_year is None:
        errors["from_year_id"] = _("Choose the year that is ending.")
    if to_year is None:
        errors["to_year_id"] = _("Choose the new year. Create it first on the years page if it is not listed.")
    if from_year and to_year and to_year.starts_on <= from_year.starts_on:
        errors["to_year_id"] = _(
            "The new year must come after %(from_year)s; %(to_year)s starts on %(start)s.",
            from_year=from_year.name,
            to_year=to_year.name,
            start=_day(to_year.starts_on),
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


def _busy(rollover: Rollover) -> bool:
    run = db.session.get(JobRun, rollover.job_run_id) if rollover.job_run_id else None
    return run is not None and run.is_active


def apply_rollover(actor, rollover_id: int) -> JobRun:
    """District admins. Starts (or, after a failed run, restarts) the apply job; returns its run."""
    rollover = get_rollover(actor, rollover_id)
    if _busy(rollover):
        return db.session.get(JobRun, rollover.job_run_id)
    if rollover.status not in ("previewed", "applying"):
        raise Invalid({"": _("This rollover has already been applied.")})
    if rollover.status == "previewed":
        from_year, to_year = get_year(actor, rollover.from_year_id), get_year(actor, rollover.to_year_id)
        rollover.preview = compute_rollover_preview(from_year, to_year)
    rollover.status = "applying"
    run = start_job(
        actor, "org.rollover_apply", "jobs.rollover.apply_rollover", rollover.id, actor.id, total=len(ROLLOVER_STEPS)
    )
    rollover.job_run_id = run.id
    db.session.commit()
    return run


def revert_rollover(actor, rollover_id: int) -> JobRun:
    """District admins, before confirming. Starts the revert job; raises Invalid once confirmed, or when a
    carried-forward course already has sections."""
    rollover = get_rollover(actor, rollover_id)
    if _busy(rollover):
        return db.session.get(JobRun, rollover.job_run_id)
    if rollover.status == "confirmed":
        raise Invalid({"": _("This rollover is confirmed and can no longer be reverted.")})
    if rollover.status not in ("applied", "reverting"):
        raise Invalid({"": _("Only an applied rollover can be reverted.")})
    created = (rollover.undo or {}).get("created_courses", [])
    if "courses" not in rollover.undo.get("reverted", []) and created:
        used = db.session.scalar(select(func.count()).where(Section.course_id.in_(created)))
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
    if rollover.status != "applied" or _busy(rollover):
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


def _ids(statement, **params) -> list[int]:
    return [row[0] for row in db.session.execute(statement, params)]


def _apply_step(step: str, rollover: Rollover, undo: dict) -> None:
    from_year = db.session.get(AcademicYear, rollover.from_year_id)
    to_year = db.session.get(AcademicYear, rollover.to_year_id)
    if step == "courses":
        course_map, created = {}, []
        for course, existing in _carry_pairs(from_year.id, to_year.id):
            if existing is None:
                copy = Course(
                    district_id=course.district_id,
                    school_id=course.school_id,
                    academic_year_id=to_year.id,
                    code=course.code,
                    name=course.name,
                    subject=course.subject,
                    grade_low=course.grade_low,
                    grade_high=course.grade_high,
                )
                db.session.add(copy)
                db.session.flush()
                existing = copy.id
                created.append(copy.id)
            course_map[str(course.id)] = existing
        undo["course_map"], undo["created_courses"] = course_map, created
    elif step == "sections":
        undo["archived_sections"] = _ids(
            update(Section)
            .where(Section.id.in_(_from_year_sections(from_year.id)), ~Section.is_archived)
            .values(is_archived=True)
            .returning(Section.id)
        )
    elif step == "enrollments":
        # Ended on the year's last day (or the day it began, for an enrollment added after the year).
        undo["ended_enrollments"] = _ids(
            update(Enrollment)
            .where(Enrollment.section_id.in_(_from_year_sections(from_year.id)), Enrollment.dropped_on.is_(None))
            .values(dropped_on=func.greatest(Enrollment.added_on, from_year.ends_on))
            .returning(Enrollment.id)
        )
    elif step == "grades":
        rows = db.session.execute(
            text(
                "update users set grade_level = grade_level + 1 where is_active and grade_level between :low and :high"
                " and id in (select user_id from memberships where role = 'student')"
                " returning id, grade_level - 1"
            ),
            {"low": LOWEST_GRADE, "high": HIGHEST_GRADE},
        ).all()
        undo["grades"] = [[user_id, old] for user_id, old in rows]
    elif step == "years":
        previous = db.session.scalar(select(AcademicYear.id).where(AcademicYear.is_current))
        undo["years"] = {"current_id": previous, "from_archived": from_year.is_archived}
        _make_current(to_year)
        from_year.is_archived = True


def _revert_step(step: str, rollover: Rollover, undo: dict) -> None:
    if step == "courses":
        db.session.execute(delete(Course).where(Course.id.in_(undo.get("created_courses") or [-1])))
    elif step == "sections":
        db.session.execute(
            update(Section).where(Section.id.in_(undo.get("archived_sections") or [-1])).values(is_archived=False)
        )
    elif step == "enrollments":
        db.session.execute(
            update(Enrollment).where(Enrollment.id.in_(undo.get("ended_enrollments") or [-1])).values(dropped_on=None)
        )
    elif step == "grades":
        pairs = undo.get("grades") or []
        if pairs:
            db.session.execute(
                text(
                    "update users set grade_level = v.old from unnest(:ids, :olds) as v(id, old) where users.id = v.id"
                ).bindparams(bindparam("ids", type_=ARRAY(BigInteger)), bindparam("olds", type_=ARRAY(SmallInteger))),
                {"ids": [p[0] for p in pairs], "olds": [p[1] for p in pairs]},
            )
    elif step == "years":
        saved = undo.get("years") or {}
        db.session.execute(update(AcademicYear).where(AcademicYear.is_current).values(is_current=False))
        db.session.flush()
        if saved.get("current_id"):
            db.session.execute(
                update(AcademicYear).where(AcademicYear.id == saved["current_id"]).values(is_current=True)
            )
        db.session.execute(
            update(AcademicYear)
            .where(AcademicYear.id == rollover.from_year_id)
            .values(is_archived=bool(saved.get("from_archived")))
        )


def perform_rollover_apply(actor, rollover_id: int, progress=None) -> dict:
    """The apply job. Each step commits together with its undo data, so a rerun after a crash skips the
    steps already done and never copies a course or promotes a student twice."""
    rollover = _locked_rollover(actor, rollover_id)
    if rollover.status != "applying":
        db.session.commit()
        return {"status": rollover.status}
    for number, step in enumerate(ROLLOVER_STEPS, start=1):
        rollover = _locked_rollover(actor, rollover_id)
        undo = dict(rollover.undo or {})
        if step not in undo.setdefault("applied", []):
            _apply_step(step, rollover, undo)
            undo["applied"] = [*undo["applied"], step]
            rollover.undo = undo
            flag_modified(rollover, "undo")
        db.session.commit()
        if progress:
            progress(number, len(ROLLOVER_STEPS))
    rollover = _locked_rollover(actor, rollover_id)
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
    for number, step in enumerate(reversed(ROLLOVER_STEPS), start=1):
        rollover = _locked_rollover(actor, rollover_id)
        undo = dict(rollover.undo or {})
        done = undo.setdefault("reverted", [])
        if step in undo.get("applied", []) and step not in done:
            _revert_step(step, rollover, undo)
            undo["reverted"] = [*done, step]
            rollover.undo = undo
            flag_modified(rollover, "undo")
        db.session.commit()
        if progress:
            progress(number, len(ROLLOVER_STEPS))
    rollover = _locked_rollover(actor, rollover_id)
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


def rollover_year_choices(actor) -> list[AcademicYear]:
    _require(can_run_rollover(actor))
    return list(db.session.scalars(select(AcademicYear).order_by(AcademicYear.starts_on)))
