"""The gradebook's services: other packages import from here only."""

from app.gradebook.policy import can_approve_changes, can_review_changes, can_set_policy, can_teach
from app.gradebook.services.approvals import cell_detail, decide_request, pending_requests, request_change
from app.gradebook.services.assignments import (
    AssignmentInput,
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
from app.gradebook.services.settings import set_categories, update_policy
from app.gradebook.services.terms import close_term, override_term_grade, term_sheet

__all__ = [
    "AssignmentInput",
    "Book",
    "NeedsApproval",
    "can_approve_changes",
    "can_review_changes",
    "can_set_policy",
    "can_teach",
    "cell_detail",
    "close_term",
    "create_assignment",
    "decide_request",
    "enter_column",
    "fill_column",
    "get_assignment",
    "grade_cell",
    "graded_section",
    "hold_grades",
    "load_book",
    "override_term_grade",
    "parse_entry",
    "pending_requests",
    "post_grades",
    "publish_assignment",
    "request_change",
    "set_categories",
    "set_comment",
    "set_override",
    "term_sheet",
    "update_assignment",
    "update_policy",
]
