"""The question bank: banks, versioned questions, pinning for the gradebook, search, import and export.
Other packages import from here only."""

from app.questions.policy import can_keep_banks, is_staff
from app.questions.services.banks import (
    VISIBILITIES,
    Access,
    BankRow,
    create_bank,
    editable_banks,
    get_bank,
    update_bank,
    visible_banks,
)
from app.questions.services.exports import bank_data, can_export, export_bank
from app.questions.services.history import question_history, question_version, restore_question
from app.questions.services.listing import PER_PAGE, Filters, Hit, Row, bank_questions, search_questions
from app.questions.services.questions import (
    PinnedVersion,
    Stale,
    archive_question,
    copy_bank,
    copy_question,
    create_question,
    data_of,
    draft_of,
    get_question,
    get_version,
    pin_current,
    question_data,
    snapshot_of,
    update_question,
)
from app.questions.services.render import excerpt, render_question_html, render_stem, shuffled, text_of_html
from app.questions.services.rules import check, new_id

__all__ = [
    "PER_PAGE",
    "VISIBILITIES",
    "Access",
    "BankRow",
    "Filters",
    "Hit",
    "PinnedVersion",
    "Row",
    "Stale",
    "archive_question",
    "bank_data",
    "bank_questions",
    "can_export",
    "can_keep_banks",
    "check",
    "copy_bank",
    "copy_question",
    "create_bank",
    "create_question",
    "data_of",
    "draft_of",
    "editable_banks",
    "excerpt",
    "export_bank",
    "get_bank",
    "get_question",
    "get_version",
    "is_staff",
    "new_id",
    "pin_current",
    "question_data",
    "question_history",
    "question_version",
    "render_question_html",
    "render_stem",
    "restore_question",
    "search_questions",
    "shuffled",
    "snapshot_of",
    "text_of_html",
    "update_bank",
    "update_question",
    "visible_banks",
]
