"""Standards coverage of a course or a section: for each standard of the course's grades and subject, where it is
planned (a lesson aligned to it), taught (that lesson on a day of a section's plan that has come), and, once their
packages provide them, assessed (a gradebook assignment this term) and available (a bank question aligned to it).

One pass: the course's aligned lessons (curriculum), its standards (standards), the sections' planned days
(curriculum's planner, computed for all sections at once); then each row is built from dictionaries. Assessed and
available plug in as SOURCES: functions (actor, course, sections, standard ids) -> {standard id: [Evidence]}.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from app.coverage.policy import can_view_coverage
from app.curriculum import services as curriculum
from app.errors import NotFound
from app.org import services as org
from app.rosters import services as rosters
from app.standards import services as standards


@dataclass(frozen=True)
class Evidence:
    """One thing that covers a standard: a lesson (planned, or taught in a section on a day), later an assignment
    or a bank question. Pages build their links from `kind` and the ids."""

    kind: str  # lesson | assignment | question
    item_id: int
    title: str
    context: str = ""  # the unit's title, the section's name
    section_id: int | None = None
    on: date | None = None


@dataclass
class Row:
    standard: standards.Standard
    planned: list[Evidence] = field(default_factory=list)
    taught: list[Evidence] = field(default_factory=list)
    assessed: list[Evidence] = field(default_factory=list)
    available: list[Evidence] = field(default_factory=list)

    @property
    def is_covered(self) -> bool:
        return bool(self.planned or self.assessed)

    @property
    def status(self) -> str:
        if self.taught:
            return "taught"
        if self.planned:
            return "planned"
        if self.assessed:
            return "assessed"
        return "uncovered"


@dataclass
class Coverage:
    course: object
    section: object | None
    sections: list
    rows: list[Row]
    sources: tuple[str, ...]  # which of "assessed" and "available" are wired
    today: date
    levels: list[str] | None

    @property
    def counts(self) -> dict[str, int]:
        rows = self.rows
        return {
            "total": len(rows),
            "planned": sum(1 for r in rows if r.planned),
            "taught": sum(1 for r in rows if r.taught),
            "assessed": sum(1 for r in rows if r.assessed),
            "available": sum(1 for r in rows if r.available),
            "uncovered": sum(1 for r in rows if not r.is_covered),
        }


# "assessed" (gradebook) and "available" (question bank) providers, wired when those packages exist.
SOURCES: dict[str, Callable] = {}


def _course(actor, course_id: int):
    course = org.course_of(actor, course_id)
    if course is None or not standards.can_browse_standards(actor):
        raise NotFound()
    teaches = course.id in rosters.taught_course_ids(actor)
    if not can_view_coverage(actor, course.school_id, teaches):
        raise NotFound()
    return course


def _build(actor, course, sections: list, section=None, today: date | None = None) -> Coverage:
    today = today or (actor.today() if callable(getattr(actor, "today", None)) else date.today())
    lessons = curriculum.aligned_lessons(actor, course.id)
    aligned = {sid for lesson in lessons for sid in lesson["standards"]}
    levels = standards.codes_for_grades(course.grade_low, course.grade_high)
    rows = {s.id: Row(s) for s in standards.standards_for(actor, levels, course.subject, include=aligned)}
    days = curriculum.lesson_days(actor, sections) if sections else {}
    names = {s.id: rosters.section_label(s) for s in sections}
    for lesson in lessons:
        planned = Evidence("lesson", lesson["id"], lesson["title"], lesson["unit_title"])
        taught = [
            Evidence("lesson", lesson["id"], lesson["title"], names[section_id], section_id, on)
            for section_id, first in days.items()
            if (on := first.get(lesson["id"])) is not None and on <= today
        ]
        for standard_id in lesson["standards"]:
            row = rows.get(standard_id)
            if row is not None:
                row.planned.append(planned)
                row.taught.extend(taught)
    for kind, source in SOURCES.items():
        for standard_id, found in source(actor, course, sections, list(rows)).items():
            if standard_id in rows:
                getattr(rows[standard_id], kind).extend(found)
    return Coverage(course, section, sections, list(rows.values()), tuple(SOURCES), today, levels)


def course_coverage(actor, course_id: int, today: date | None = None) -> Coverage:
    """The course's teachers and its school's admins: coverage over the open sections they may see, taught
    meaning on or before `today` (the actor's today by default). NotFound for anyone else and for another
    district's course."""
    course = _course(actor, course_id)
    return _build(actor, course, rosters.open_sections_of_course(actor, course.id, course.school_id), today=today)


def section_coverage(actor, section_id: int, today: date | None = None) -> Coverage:
    """Whoever may see the section (its teachers, its school's admins): coverage with only its own plan."""
    section = rosters.get_section(actor, section_id)
    course = org.course_of(actor, section.course_id)
    if course is None or not standards.can_browse_standards(actor):
        raise NotFound()
    return _build(actor, course, [section], section, today=today)


def standard_in_course(actor, course_id: int, standard_id: int, section_id: int | None = None) -> dict:
    """The drill-down: one standard's row of the course's (or the section's) coverage, with the standard's page
    data. NotFound when the standard is not one of the course's."""
    coverage = section_coverage(actor, section_id) if section_id else course_coverage(actor, course_id)
    if coverage.course.id != course_id:
        raise NotFound()
    row = next((r for r in coverage.rows if r.standard.id == standard_id), None)
    if row is None:
        raise NotFound()
    return {"coverage": coverage, "row": row, **standards.get_standard(actor, standard_id)}
