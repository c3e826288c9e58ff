"""The background jobs compliance starts, with the titles users see on progress pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

JOB_KINDS = {
    "records.export": _l("Export of a student's record"),
    "records.delete": _l("Deletion of a student's record"),
    "records.retention": _l("Retention sweep"),
}
