"""The event catalog: every event type the platform records, its subject and its payload fields, in one place.

Consumers (webhooks, notifications, analytics rollups) and their receivers read this to know what an event
carries; `record_event` refuses a type or a payload field that is not listed here, so the catalog cannot drift
from the code. Adding an event means adding a line here (and to docs/architecture.md's list if it is public).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventType:
    name: str
    subject: str | None
    fields: tuple[str, ...] = ()
    description: str = ""


_TYPES = (
    # accounts
    EventType("user.signed_in", "user", (), "A person signed in."),
    EventType("user.signed_out", "user", (), "A person signed out (their session was ended)."),
    EventType("user.password_reset_requested", "user", (), "A reset link was mailed."),
    EventType("user.password_reset", "user", (), "A password was set through a reset link."),
    EventType("user.password_changed", "user", (), "A signed-in person changed their password."),
    EventType("user.profile_updated", "user", (), "A person changed their name, language or time zone."),
    EventType("user.invited", "user", ("email", "role", "school_id"), "An admin invited a person."),
    EventType("user.invite_accepted", "user", (), "An invited person set their password."),
    EventType("user.deactivated", "user", (), "An admin deactivated an account."),
    EventType("people.exported", None, ("count",), "An admin downloaded people as CSV."),
    EventType("guardian_link.created", "user", ("guardian_id", "can_see_grades"), "A guardian was linked."),
    EventType("guardian_link.updated", "user", ("guardian_id", "can_see_grades"), "A guardian link changed."),
    EventType("guardian_link.removed", "user", ("guardian_id",), "A guardian link was removed."),
    EventType("student.rights_changed", "user", ("holds_own_rights",), "A student's own-rights flag changed."),
    # org
    EventType("school.updated", "school", ("name", "code"), "A school's name, code or grades changed."),
    EventType("academic_year.created", "academic_year", ("name",), "A school year was added."),
    EventType("academic_year.updated", "academic_year", ("name",), "A school year's name or dates changed."),
    EventType("academic_year.made_current", "academic_year", ("name",), "A year became the current one."),
    EventType("term.created", "term", ("name", "academic_year_id"), "A term was added to a year."),
    EventType("term.updated", "term", ("name",), "A term's name or dates changed."),
    EventType("course.created", "course", ("code", "school_id"), "A course was added to a school's catalog."),
    EventType("course.updated", "course", ("code",), "A course changed."),
    EventType(
        "calendar.day_off_added",
        "day_off",
        ("school_id", "starts_on", "ends_on", "kind", "name"),
        "A day off (or a range) was recorded for a school, or for every school when school_id is null.",
    ),
    EventType(
        "calendar.day_off_removed",
        "day_off",
        ("school_id", "starts_on", "ends_on", "kind", "name"),
        "A day off was removed: its days are school days again.",
    ),
    EventType(
        "calendar.schedule_updated",
        "school",
        ("weekdays", "rotation", "rotation_days"),
        "A school's instructional weekdays or day rotation changed.",
    ),
    # rosters
    EventType("section.created", "section", ("course_id", "term_id"), "A section was added."),
    EventType("section.updated", "section", ("course_id", "term_id"), "A section changed."),
    EventType(
        "section.meeting_pattern_changed",
        "section",
        ("meets", "days"),
        "When a section meets changed: daily, on rotation days (1 = A) or on ISO weekdays (`days`).",
    ),
    EventType("enrollment.added", "section", ("student_id",), "A student was enrolled in a section."),
    EventType("enrollment.dropped", "section", ("student_id",), "A student was dropped from a section."),
    # rollover
    EventType(
        "rollover.applied",
        "rollover",
        ("courses_carried", "sections_archived", "enrollments_ended", "students_promoted", "students_graduated"),
        "A year rollover was applied.",
    ),
    EventType(
        "rollover.reverted",
        "rollover",
        ("courses_carried", "sections_archived", "enrollments_ended", "students_promoted", "students_graduated"),
        "An applied rollover was undone.",
    ),
    EventType("rollover.confirmed", "rollover", ("from_year_id", "to_year_id"), "A rollover was made final."),
    # curriculum
    EventType("unit.created", "unit", ("course_id",), "A teacher started a unit."),
    EventType("unit.updated", "unit", ("version", "autosave"), "A unit was saved (a new version)."),
    EventType("unit.published", "unit", ("version",), "A unit's version was published to its viewers."),
    EventType("unit.restored", "unit", ("version", "from_version"), "An older version of a unit was restored."),
    EventType("unit.copied", "unit", ("from_id", "from_version"), "A unit was copied (into a course, or forward)."),
    # questions
    EventType("question.created", "question", ("bank_id", "kind"), "A question was added to a bank."),
    EventType("question.updated", "question", ("version",), "A question was saved, restored or archived."),
    EventType("questions.imported", "question_import", ("bank_id", "format", "count"), "A question file was imported."),
    EventType("lesson.created", "lesson", ("unit_id", "template_id"), "A lesson was added to a unit."),
    EventType("lesson.updated", "lesson", ("version", "autosave"), "A lesson was saved (a new version)."),
    EventType("lesson.published", "lesson", ("version",), "A lesson's version was published to its viewers."),
    EventType("lesson.restored", "lesson", ("version", "from_version"), "An older version of a lesson was restored."),
    EventType("lesson.copied", "lesson", ("from_id", "from_version"), "A lesson was copied into a unit."),
    EventType("lesson.scheduled", "lesson", ("section_id", "position"), "A lesson was placed on a section's plan."),
    EventType("lesson.unscheduled", "lesson", ("section_id",), "A lesson was taken off a section's plan."),
    EventType("lesson.moved", "lesson", ("section_id", "position"), "A lesson moved within a section's plan."),
    EventType("lesson.forked", "lesson", ("section_id", "from_id"), "A section began planning its own copy."),
    EventType("planner.day_skipped", "section", ("day", "reason"), "A section skipped a meeting day."),
    EventType("planner.day_restored", "section", ("day",), "A skipped meeting day is used again."),
    EventType("template.created", "template", ("kind", "school_id"), "An admin created a template."),
    EventType("template.updated", "template", ("version",), "A template was saved (a new version)."),
    EventType("template.archived", "template", (), "A template is no longer offered."),
    EventType("template.restored", "template", (), "An archived template is offered again."),
    EventType(
        "template.version_restored",
        "template",
        ("version", "from_version"),
        "An older version of a template was restored.",
    ),
    # gradebook
    EventType(
        "assignment.published",
        "assignment",
        ("course_id", "section_ids", "publish_at", "title"),
        "An assignment was published to its sections (publish_at may be later: students see it from then).",
    ),
    EventType(
        "submission.created",
        "submission",
        ("assignment_id", "section_id", "student_id", "attempt", "late"),
        "A student handed work in (attempt 2 and up: a resubmission).",
    ),
    EventType(
        "grade.posted",
        "grade",
        ("assignment_id", "section_id", "student_id"),
        "A grade became visible to the student and their guardians.",
    ),
    EventType(
        "grade.changed",
        "grade",
        ("assignment_id", "section_id", "student_id", "posted"),
        "A grade changed (posted: whether the student and guardians can see it).",
    ),
    EventType(
        "term.closed",
        "section",
        ("term_id", "grading_period_id", "students"),
        "A section's term (or grading period) grades were closed; later changes need an admin's approval.",
    ),
    # oneroster
    EventType("roster.imported", "oneroster_import", ("counts",), "A OneRoster import was applied."),
    # standards
    EventType(
        "standards.imported",
        "standard_framework",
        ("import_id", "counts"),
        "A CASE package or CSV of standards was applied (counts: create, update, unretire, retire, unchanged).",
    ),
    EventType(
        "standard.retired",
        "standard",
        ("framework_id", "code", "replaced_by"),
        "A standard left its framework on re-import (kept, with its alignments; replaced_by: the standard's id).",
    ),
    # analytics
    EventType(
        "analytics.student_rows_viewed",
        "school",
        ("week", "section_id", "count"),
        "An admin listed the students behind a week's figure (until the access audit lands, this is the record).",
    ),
    # compliance (records requests, holds, deletions, consents, retention)
    EventType("records_request.submitted", "records_request", ("kind", "due_on"), "A records request was made."),
    EventType("records_request.updated", "records_request", ("status", "assignee_id"), "A request's status changed."),
    EventType("records_request.noted", "records_request", (), "Staff added a note to a records request."),
    EventType("records_request.reminded", "records_request", ("due_on",), "A request's due date is near."),
    EventType("records_request.decided", "records_request", ("decision", "hearing_outcome"), "An amendment decided."),
    EventType("records_request.exported", "records_request", ("size",), "A student's record was exported for it."),
    EventType("records_statement.added", "records_request", (), "A parent added a statement to the record."),
    EventType("legal_hold.placed", "legal_hold", (), "A legal hold stops deletion of a student's record."),
    EventType("legal_hold.released", "legal_hold", (), "A legal hold was released."),
    EventType("deletion.requested", "deletion", ("basis", "scope"), "A deletion by policy was asked for."),
    EventType("deletion.approved", "deletion", (), "A deletion was approved and its job started."),
    EventType("deletion.done", "deletion", ("rows", "files"), "A deletion finished; its receipt is kept."),
    EventType("consent.recorded", "user", ("use", "is_granted"), "A parent decided on a use beyond school."),
    EventType("directory.opt_out_changed", "user", ("opted_out",), "A directory-information opt-out changed."),
    EventType("coppa.authorised", "coppa_authorisation", (), "The district consented for educational use."),
    EventType("retention.swept", "retention_run", ("dry_run", "students"), "A retention sweep ran."),
    EventType("disclosure.recorded", "disclosure", ("party_kind",), "A disclosure to an outside party was recorded."),
    EventType(
        "analytics.settings_changed", None, ("show_teacher_figures",), "A district admin changed analytics settings."
    ),
)
CATALOG: dict[str, EventType] = {event.name: event for event in _TYPES}


def check_event(name: str, subject_type: str | None, payload: dict) -> None:
    """Raise ValueError for an event the catalog does not describe (a bug, caught by the tests)."""
    spec = CATALOG.get(name)
    if spec is None:
        raise ValueError(f"event type {name!r} is not in app/events/catalog.py")
    if subject_type != spec.subject:
        raise ValueError(f"event {name!r} has subject {spec.subject!r}, not {subject_type!r}")
    unknown = set(payload) - set(spec.fields)
    if unknown:
        raise ValueError(f"event {name!r} does not declare payload fields {sorted(unknown)}")
