"""OneRoster CSV import and export for a district: the names views, jobs and the CLI use.

Upload -> a validate job checks everything and stores a preview (nothing written) -> an apply job writes
the whole set in one transaction, or nothing. The CLI runs the same steps in-process on an import record of
its own. Every function takes the acting user first and raises NotFound (also for a user without the
permission) or Invalid.
"""

from __future__ import annotations

from app.oneroster.data import JOB_KINDS
from app.oneroster.services.exports import export_roster, export_zip
from app.oneroster.services.imports import (
    get_import,
    import_details,
    import_report,
    recent_imports,
    start_apply,
    upload_import,
)
from app.oneroster.services.messages import ENTITIES, error_line, error_text, kind_text, preview_lines
from app.oneroster.services.pipeline import apply_import, import_path, validate_import

__all__ = [
    "ENTITIES",
    "JOB_KINDS",
    "apply_import",
    "error_line",
    "error_text",
    "export_roster",
    "export_zip",
    "get_import",
    "import_details",
    "import_path",
    "import_report",
    "kind_text",
    "preview_lines",
    "recent_imports",
    "start_apply",
    "upload_import",
    "validate_import",
]
