"""Standards: frameworks imported from CASE 1.0 packages and CSV, browsing and search, and the data other packages
align to. Other packages import from here only."""

from app.standards.data import JOB_KINDS, Standard
from app.standards.policy import can_browse_standards, can_manage_standards
from app.standards.services.browse import (
    MAX_ALIGNED,
    Node,
    alignable,
    by_identifiers,
    children_of,
    frameworks,
    get_framework,
    get_many,
    get_standard,
    search,
    standards_for,
)
from app.standards.services.imports import (
    apply_import,
    get_import,
    import_data,
    import_details,
    import_path,
    recent_imports,
    start_apply,
    upload_import,
    validate_import,
)
from app.standards.services.levels import codes_for_grades
from app.standards.services.messages import problem_line, problem_text
from app.standards.services.picker import picker_context

__all__ = [
    "JOB_KINDS",
    "MAX_ALIGNED",
    "Node",
    "Standard",
    "alignable",
    "apply_import",
    "by_identifiers",
    "can_browse_standards",
    "can_manage_standards",
    "children_of",
    "codes_for_grades",
    "frameworks",
    "get_framework",
    "get_import",
    "get_many",
    "get_standard",
    "import_data",
    "import_details",
    "import_path",
    "picker_context",
    "problem_line",
    "problem_text",
    "recent_imports",
    "search",
    "standards_for",
    "start_apply",
    "upload_import",
    "validate_import",
]
