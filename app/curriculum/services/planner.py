"""The section planner: a section's lessons in order, laid on the days the section meets.

Dates are computed, never stored: walk the section's meeting days (school calendar and the section's schedule,
from rosters) minus the days this section skips, and give each planned lesson its `days` meeting days in order,
none before its `not_before` day. So a snow day skipped in one section moves what follows there and nowhere else,
and a day off added to the calendar moves every section that would have met. One course lesson can be planned
in several sections; an edit reaches all of them until a section forks its own copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, literal, select

from app import db
from app.curriculum.models import Lesson, PlannerEntry, PlannerSkip
from app.curriculum.services import versioning
from app.curriculum.services.access import load
from app.curriculum.services.copies import _readable
from app.curriculum.services.lessons import lesson_choices, lesson_snapshot, readable_title
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.rosters import services as rosters

MAX_SKIP_REASON = 120


@dataclass(frozen=True)
class PlannedLesson:
    entry_id: int
    lesson_id: int
    title: str
    position: int
    day_number: int  # 1 for the lesson's first day, 2 for its second when it takes several
    days: int
    forked: bool


@dataclass
class PlannedDay:
    on: date
    label: str | None
    skipped: str | None = None  # the reason, when the section skips this meeting day
    lessons: list[PlannedLesson] = field(default_factory=list)


@dataclass
class Plan:
    section: object
    days: list[PlannedDay]
    beyond_term: list[PlannedLesson]
    can_edit: bool
    course_lessons: list[tuple[int, str]]  # (id, title) the section's teachers may add


def _section(actor, section_id: int, editing: bool = False):
    """The section (whoever may see it); NotFound for an edit by someone who does not teach it."""
    section = rosters.get_section(actor, section_id)
    can_edit = rosters.teaches_section(actor, section.id)
    if editing and not can_edit:
        raise NotFound()
    return section, can_edit


def planned_section(actor, section_id: int):
    """The section, for one of its teachers planning it; NotFound for anyone else."""
    return _section(actor, section_id, editing=True)[0]


def _entries(actor, section_ids: list[int], titled: bool = True) -> list[tuple[PlannerEntry, str]]:
    """The sections' planned lessons in plan order, with each title as the actor reads it (or none: analytics)."""
    return list(
        db.session.execute(
            select(PlannerEntry, readable_title(actor) if titled else literal(""))
            .join(Lesson, Lesson.id == PlannerEntry.lesson_id)
            .where(PlannerEntry.section_id.in_(section_ids))
            .order_by(PlannerEntry.section_id, PlannerEntry.position, PlannerEntry.id)
        ).tuples()
    )


def _lay_out(meeting, skips: dict[date, str], entries) -> tuple[list[PlannedDay], list[PlannedLesson]]:
    days = [PlannedDay(m.on, m.label, skips.get(m.on)) for m in meeting]
    free = [day for day in days if day.skipped is None]
    cursor, beyond = 0, []
    for entry, title in entries:
        while cursor < len(free) and entry.not_before and free[cursor].on < entry.not_before:
            cursor += 1
        for day_number in range(1, entry.days + 1):
            planned = PlannedLesson(
                entry.id,
                entry.lesson_id,
                title,
                entry.position,
                day_number,
                entry.days,
                entry.forked_from_id is not None,
            )
            if cursor < len(free):
                free[cursor].lessons.append(planned)
                cursor += 1
            elif day_number == 1:
                beyond.append(planned)
    return days, beyond


def _layouts(actor, sections, titled: bool = True) -> dict[int, tuple[list[PlannedDay], list[PlannedLesson]]]:
    """Section id -> (its planned days, what does not fit in its term), for sections already checked: the meeting
    days, skips and entries of all of them in a few queries, however many there are."""
    ids = [section.id for section in sections]
    meeting = rosters.meeting_days_of(actor, sections)
    skips: dict[int, dict[date, str]] = {section_id: {} for section_id in ids}
    for section_id, day, reason in db.session.execute(
        select(PlannerSkip.section_id, PlannerSkip.skipped_on, PlannerSkip.reason).where(
            PlannerSkip.section_id.in_(ids)
        )
    ):
        skips[section_id][day] = reason
    entries: dict[int, list] = {section_id: [] for section_id in ids}
    for entry, title in _entries(actor, ids, titled):
        entries[entry.section_id].append((entry, title))
    return {section_id: _lay_out(meeting[section_id], skips[section_id], entries[section_id]) for section_id in ids}


def planned_days_of(actor, sections) -> dict[int, tuple[list[date], list[tuple[date, int]]]]:
    """Analytics rollups (a system job, for sections it read itself): section id -> (the class days its plan can
    use, i.e. meeting days not skipped; (day, lesson id) for each class day a planned lesson fills)."""
    found = {}
    for section_id, (days, _beyond) in _layouts(actor, sections, titled=False).items():
        usable = [day.on for day in days if day.skipped is None]
        found[section_id] = (usable, [(day.on, lesson.lesson_id) for day in days for lesson in day.lessons])
    return found


def section_plan(
    actor, section_id: int, start: date | None = None, end: date | None = None, with_course_lessons: bool = True
) -> Plan:
    """Whoever may see the section: its plan over its term (or the days start..end of it), with the course's lessons
    its teachers may add. Editing is for the section's teachers."""
    section, can_edit = _section(actor, section_id)
    days, beyond = _layouts(actor, [section])[section.id]
    if start is not None or end is not None:
        low, high = start or date.min, end or date.max
        days = [day for day in days if low <= day.on <= high]
    wanted = can_edit and with_course_lessons
    course_lessons = lesson_choices(actor, section.course_id) if wanted else []
    return Plan(section, days, beyond, can_edit, course_lessons)


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday around `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _next_position(section_id: int) -> int:
    return (
        db.session.scalar(select(func.max(PlannerEntry.position)).where(PlannerEntry.section_id == section_id)) or 0
    ) + 1


def schedule_lesson(actor, section_id: int, lesson_id: int, not_before: date | None = None, days: int = 1):
    """The section's teachers: put a lesson of the section's course (one they may see) at the end of its plan,
    on or after `not_before`. Invalid for a lesson of another course or a length outside 1..30 days."""
    section, _can_edit = _section(actor, section_id, editing=True)
    lesson, _access = load(actor, Lesson, lesson_id)
    if lesson.course_id != section.course_id:
        raise Invalid({"lesson_id": _("Choose a lesson of this section's course.")})
    if not 1 <= days <= 30:
        raise Invalid({"days": _("A lesson takes between 1 and 30 class days.")})
    entry = PlannerEntry(
        district_id=actor.district_id,
        section_id=section.id,
        lesson_id=lesson.id,
        position=_next_position(section.id),
        days=days,
        not_before=not_before,
        created_by=actor.id,
    )
    db.session.add(entry)
    db.session.flush()
    record_event(actor, "lesson.scheduled", "lesson", lesson.id, section_id=section.id, position=entry.position)
    db.session.commit()
    return entry


def _entry(actor, entry_id: int) -> PlannerEntry:
    entry = db.scoped_get(actor, PlannerEntry, entry_id)
    if entry is None:
        raise NotFound()
    _section(actor, entry.section_id, editing=True)
    return entry


def move_entry(actor, entry_id: int, offset: int):
    """The section's teachers: one place earlier (offset -1) or later (+1) in the plan; the keyboard's move."""
    entry = _entry(actor, entry_id)
    ordered = [e for e, _title in _entries(actor, [entry.section_id])]
    index = next(i for i, e in enumerate(ordered) if e.id == entry.id)
    target = max(0, min(len(ordered) - 1, index + offset))
    if target != index:
        ordered.insert(target, ordered.pop(index))
        for position, item in enumerate(ordered, start=1):
            item.position = position
        # Swapped with its neighbour, it takes the neighbour's earliest day too, so the move is what it looks like.
        entry.not_before, ordered[index].not_before = ordered[index].not_before, entry.not_before
    record_event(actor, "lesson.moved", "lesson", entry.lesson_id, section_id=entry.section_id, position=entry.position)
    db.session.commit()
    return entry


def move_to_day(actor, entry_id: int, day: date):
    """The section's teachers (drag and drop): the lesson moves to `day` (a day the section meets and does not skip)
    and the lesson that was there, with what follows, moves on (a class day holds one lesson)."""
    entry = _entry(actor, entry_id)
    plan = section_plan(actor, entry.section_id)
    target = next((d for d in plan.days if d.on == day), None)
    if target is None or target.skipped is not None:
        raise Invalid({"day": _("The section does not meet that day. Choose one of its class days.")})
    ordered = [e for e, _title in _entries(actor, [entry.section_id]) if e.id != entry.id]
    before_day = {p.entry_id for d in plan.days if d.on < day for p in d.lessons}
    ordered.insert(sum(1 for e in ordered if e.id in before_day), entry)
    for position, item in enumerate(ordered, start=1):
        item.position = position
    entry.not_before = day
    record_event(actor, "lesson.moved", "lesson", entry.lesson_id, section_id=entry.section_id, position=entry.position)
    db.session.commit()
    return entry


def unschedule(actor, entry_id: int) -> int:
    """The section's teachers: take the lesson off this section's plan (the lesson itself stays); returns the
    section's id."""
    entry = _entry(actor, entry_id)
    section_id = entry.section_id
    record_event(actor, "lesson.unscheduled", "lesson", entry.lesson_id, section_id=section_id)
    db.session.delete(entry)
    db.session.commit()
    return section_id


def fork_entry(actor, entry_id: int) -> PlannerEntry:
    """The section's teachers: this section plans its own copy of the lesson from now on (edits of the course
    lesson no longer reach it). The copy is the teacher's, private, with its lineage; returns the entry."""
    entry = _entry(actor, entry_id)
    source, access = load(actor, Lesson, entry.lesson_id)
    content, version = _readable("lesson", source, access)
    fork = Lesson(
        district_id=actor.district_id,
        unit_id=source.unit_id,
        course_id=source.course_id,
        school_id=source.school_id,
        owner_id=actor.id,
        title=content["title"],
        duration_minutes=content.get("duration_minutes"),
        visibility="private",
        position=source.position,
        sections=content.get("sections") or {},
        language=source.language,
        copied_from_id=source.id,
        copied_from_version=version,
        plain_text=source.plain_text if access.can_edit else (source.published_text or ""),
    )
    db.session.add(fork)
    db.session.flush()
    versioning.record(actor, fork, "lesson", lesson_snapshot(fork), note=_("This section's own copy"))
    entry.lesson_id, entry.forked_from_id = fork.id, source.id
    record_event(actor, "lesson.forked", "lesson", fork.id, section_id=entry.section_id, from_id=source.id)
    db.session.commit()
    return entry


def skip_day(actor, section_id: int, day: date, reason: str = "") -> None:
    """The section's teachers: this section does not use `day` (a snow day, an assembly); its lessons from that
    day on move to the following class days. Invalid for a day the section does not meet."""
    section, _can_edit = _section(actor, section_id, editing=True)
    if day not in {m.on for m in rosters.meeting_days(actor, section.id)}:
        raise Invalid({"day": _("The section does not meet that day. Choose one of its class days.")})
    if db.session.scalar(
        select(PlannerSkip.id).where(PlannerSkip.section_id == section.id, PlannerSkip.skipped_on == day)
    ):
        return
    reason = (reason or "").strip()[:MAX_SKIP_REASON]
    db.session.add(
        PlannerSkip(
            district_id=actor.district_id, section_id=section.id, skipped_on=day, reason=reason, created_by=actor.id
        )
    )
    record_event(actor, "planner.day_skipped", "section", section.id, day=day.isoformat(), reason=reason)
    db.session.commit()


def unskip_day(actor, section_id: int, day: date) -> None:
    """The section's teachers: use a skipped day again; the lessons after it move back."""
    section, _can_edit = _section(actor, section_id, editing=True)
    db.session.execute(delete(PlannerSkip).where(PlannerSkip.section_id == section.id, PlannerSkip.skipped_on == day))
    record_event(actor, "planner.day_restored", "section", section.id, day=day.isoformat())
    db.session.commit()


@dataclass(frozen=True)
class TodayRow:
    section: object
    lessons: list[PlannedLesson]
    meets: bool  # False when the section has no class that day (not its rotation day, a day off, skipped)


def todays_lessons(actor, day: date) -> list[TodayRow]:
    """Teachers: for each open section they teach, the lessons its plan puts on `day` (empty when it does not meet)."""
    rows = [row for row in rosters.my_sections(actor) if not row.section.is_archived]
    layouts = _layouts(actor, [row.section for row in rows])
    today = []
    for row in rows:
        days = [d for d in layouts[row.section.id][0] if d.on == day]
        lessons = [lesson for d in days for lesson in d.lessons]
        today.append(TodayRow(row, lessons, any(d.skipped is None for d in days)))
    return today
