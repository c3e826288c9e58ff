"""The gradebook's services: other packages import from here only."""

from app.gradebook.data import MAX_FILE_BYTES
from app.gradebook.policy import (
    can_approve_changes,
    can_review_changes,
    can_set_policy,
    can_teach,
    is_guardian,
    is_student,
    sees_own_grades,
)
from app.gradebook.services.approvals import cell_detail, decide_request, pending_requests, request_change
from app.gradebook.services.assignments import (
    AssignmentChoices,
    AssignmentInput,
    assignment_choices,
    create_assignment,
    get_assignment,
    graded_section,
    publish_assignment,
    set_override,
    update_assignment,
)
from app.gradebook.services.book import Book, load_book
from app.gradebook.services.digest import digest_items
from app.gradebook.services.grading import (
    NeedsApproval,
    enter_column,
    fill_column,
    grade_cell,
    hold_grades,
    parse_entry,
    post_grades,
    set_comment,
)
from app.gradebook.services.grid import ColumnEntry, GridPage, column_entry, gradebook_page, row_page
from app.gradebook.services.mastery import MasteryReport, mastery_report
from app.gradebook.services.settings import set_categories, update_policy
from app.gradebook.services.sis import export_term_grades
from app.gradebook.services.students import StudentWork, my_children, student_work
from app.gradebook.services.submissions import submission_file, submit_work, work_page
from app.gradebook.services.terms import close_term, override_term_grade, term_sheet
from app.gradebook.services.transfer import (
    JOB_KINDS,
    MAX_UPLOAD,
    apply_import,
    export_gradebook,
    get_import,
    recent_imports,
    request_apply,
    start_import,
)

__all__ = [
    "JOB_KINDS",
    "MAX_FILE_BYTES",
    "MAX_UPLOAD",
    "AssignmentChoices",
    "AssignmentInput",
    "Book",
    "ColumnEntry",
    "GridPage",
    "MasteryReport",
    "NeedsApproval",
    "StudentWork",
    "apply_import",
    "assignment_choices",
    "can_approve_changes",
    "can_review_changes",
    "can_set_policy",
    "can_teach",
    "cell_detail",
    "close_term",
    "column_entry",
    "create_assignment",
    "decide_request",
    "digest_items",
    "enter_column",
    "export_gradebook",
    "export_term_grades",
    "fill_column",
    "get_assignment",
    "get_import",
    "grade_cell",
    "gradebook_page",
    "graded_section",
    "hold_grades",
    "is_guardian",
    "is_student",
    "load_book",
    "mastery_report",
    "my_children",
    "override_term_grade",
    "parse_entry",
    "pending_requests",
    "post_grades",
    "publish_assignment",
    "recent_imports",
    "request_apply",
    "request_change",
    "row_page",
    "sees_own_grades",
    "set_categories",
    "set_comment",
    "set_override",
    "start_import",
    "student_work",
    "submission_file",
    "submit_work",
    "term_sheet",
    "update_assignment",
    "update_policy",
    "work_page",
]
