"""Rosters: sections (classes) and their teachers, enrollments, the student record's scoped getter, bulk roster
actions, and the days a section meets. Other domains import from here only."""

from app.rosters.policy import can_manage_rosters, can_teach
from app.rosters.services.bulk import BULK_ACTIONS, MAX_BULK, BulkPlan, apply_bulk, export_people_csv, plan_bulk
from app.rosters.services.enrollments import (
    archive_sections_of_year,
    drop_student,
    end_enrollments_of_year,
    enroll_student,
    move_student,
    reopen_enrollments,
    rollover_counts,
    sections_using_courses,
    unarchive_sections,
)
from app.rosters.services.meetings import (
    MEETING_PATTERNS,
    MeetingDay,
    meeting_days,
    meeting_summary,
    next_meeting_day,
)
from app.rosters.services.section_admin import (
    SECTIONS_PER_PAGE,
    create_section,
    get_managed_section,
    school_sections,
    section_choices,
    section_details,
    update_section,
)
from app.rosters.services.sections import (
    Roster,
    SectionRow,
    get_section,
    my_sections,
    section_label,
    section_roster,
    sections_for_actions,
)
from app.rosters.services.students import StudentDetail, get_student, student_detail

__all__ = [
    "BULK_ACTIONS",
    "MAX_BULK",
    "MEETING_PATTERNS",
    "SECTIONS_PER_PAGE",
    "BulkPlan",
    "MeetingDay",
    "Roster",
    "SectionRow",
    "StudentDetail",
    "apply_bulk",
    "archive_sections_of_year",
    "can_manage_rosters",
    "can_teach",
    "create_section",
    "drop_student",
    "end_enrollments_of_year",
    "enroll_student",
    "export_people_csv",
    "get_managed_section",
    "get_section",
    "get_student",
    "meeting_days",
    "meeting_summary",
    "move_student",
    "my_sections",
    "next_meeting_day",
    "plan_bulk",
    "reopen_enrollments",
    "rollover_counts",
    "school_sections",
    "section_choices",
    "section_details",
    "section_label",
    "section_roster",
    "sections_for_actions",
    "sections_using_courses",
    "student_detail",
    "unarchive_sections",
    "update_section",
]
