"""The gradebook's services: other packages import from here only."""

from app.gradebook.policy import can_approve_changes, can_review_changes, can_set_policy, can_teach
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
from app.gradebook.services.settings import set_categories, update_policy
from app.gradebook.services.terms import close_term, override_term_grade, term_sheet

__all__ = [
    "AssignmentChoices",
    "AssignmentInput",
    "Book",
    "ColumnEntry",
    "GridPage",
    "NeedsApproval",
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
    "enter_column",
    "fill_column",
    "get_assignment",
    "grade_cell",
    "gradebook_page",
    "graded_section",
    "hold_grades",
    "load_book",
    "override_term_grade",
    "parse_entry",
    "pending_requests",
    "post_grades",
    "publish_assignment",
    "request_change",
    "row_page",
    "set_categories",
    "set_comment",
    "set_override",
    "term_sheet",
    "update_assignment",
    "update_policy",
]
