"""What the dashboards show: the metrics with their definitions, the groups the rollups keep, the privacy rules.
Plain constants other packages may read."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

JOB_KINDS = {"analytics.rebuild": _l("Analytics rebuild")}
# A person is active in a week when they used Chalkline signed in on at least this many days of it.
ACTIVE_MIN_DAYS = 1
# Groups of fewer students than this are suppressed everywhere (NCES 2011-603); shares near the ends are coded.
MIN_CELL = 10
LOW_SHARE, HIGH_SHARE = 0.05, 0.95
# The periodic rebuild's interval (jobs/worker.py PERIODIC), and the longest date range a filter may ask for.
REBUILD_EVERY_SECONDS = 15 * 60
MAX_RANGE_DAYS = 400

# GROUPING(school_id, grade_level, subject, course_id, section_id) of each level the rollups keep (a set bit is a
# dimension summed over). Course and section rows carry their course's subject.
LEVELS = {
    "district": 31,
    "school": 15,
    "grade": 23,
    "subject": 27,
    "grade_subject": 19,
    "school_grade": 7,
    "school_subject": 11,
    "school_grade_subject": 3,
    "course": 9,
    "section": 8,
}
# Guardians belong to their students' schools and grade levels, not to courses.
GUARDIAN_LEVELS = ("district", "school", "grade", "school_grade")


@dataclass(frozen=True)
class Metric:
    key: str
    label: object
    numerator: str
    denominator: str
    kind: str  # "share" (a percentage of people) or "rate" (a number per person)
    counts: object  # what it counts
    denominator_text: object
    period: object
    excludes: object
    student_based: bool  # its groups are groups of students (suppressed under MIN_CELL)


PERIOD = _l(
    "Instructional weeks (Monday to Sunday) in the chosen range: weeks in which the school has at least one "
    "instructional day of a term. Weeks wholly inside a holiday or a break are left out. A range's figure adds the "
    "weeks up: the people counted each week over the people rostered each week."
)

METRICS = (
    Metric(
        "active_students",
        _l("Weekly active students"),
        "active_students",
        "students",
        "share",
        _l("Students who used Chalkline signed in on at least %(days)s day of a week.", days=ACTIVE_MIN_DAYS),
        _l("Students enrolled in a section of the school (or group) during that week, whether or not still enrolled."),
        PERIOD,
        _l("Students not enrolled that week; days outside instructional weeks."),
        True,
    ),
    Metric(
        "active_teachers",
        _l("Weekly active teachers"),
        "active_teachers",
        "teachers",
        "share",
        _l("Teachers who used Chalkline signed in on at least %(days)s day of a week.", days=ACTIVE_MIN_DAYS),
        _l("Teachers of a section whose term includes that week."),
        PERIOD,
        _l("Staff who teach no section; days outside instructional weeks."),
        True,
    ),
    Metric(
        "active_guardians",
        _l("Weekly active guardians"),
        "active_guardians",
        "guardians",
        "share",
        _l("Guardians who used Chalkline signed in on at least %(days)s day of a week.", days=ACTIVE_MIN_DAYS),
        _l("Guardians linked to a student enrolled during that week."),
        PERIOD,
        _l("Guardians whose students were not enrolled that week."),
        True,
    ),
    Metric(
        "guardian_reach",
        _l("Guardian reach"),
        "reached_students",
        "students",
        "share",
        _l("Students with at least one linked guardian who was active in the week."),
        _l("Students enrolled during that week."),
        PERIOD,
        _l("Students with no linked guardian count in the denominator only."),
        True,
    ),
    Metric(
        "lessons_per_teacher",
        _l("Lessons planned per teacher per week"),
        "planned_days",
        "teachers",
        "rate",
        _l("Class days on which a section's plan has a lesson (a lesson of three days counts three)."),
        _l("Teachers of a section whose term includes that week (teacher-weeks)."),
        PERIOD,
        _l("Days a section skips, days off and days the section does not meet are not class days."),
        True,
    ),
    Metric(
        "plan_coverage",
        _l("Class days planned"),
        "planned_days",
        "class_days",
        "share",
        _l("Class days on which a section's plan has a lesson."),
        _l("Class days of the sections: the days they meet, minus days off and skipped days."),
        PERIOD,
        _l("Weeks after the current one count only what is planned so far."),
        True,
    ),
    Metric(
        "taught_share",
        _l("Planned class days taught"),
        "taught_days",
        "planned_days",
        "share",
        _l("Planned class days that have already happened (on or before the day of the rebuild)."),
        _l("Class days on which a section's plan has a lesson."),
        PERIOD,
        _l("Planned days still to come count in the denominator only."),
        True,
    ),
)
METRICS_BY_KEY = {metric.key: metric for metric in METRICS}
