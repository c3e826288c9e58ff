"""Wording of import errors and preview lines, translated when shown (the job stores codes and values)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

ERRORS = {
    "bad_zip": _l("The ZIP file could not be opened. Upload a ZIP made by your student information system."),
    "too_large": _l("The file is larger than the limit of %(expected)s."),
    "not_upload": _l("%(value)s is not a ZIP or CSV file. Upload the OneRoster ZIP or its CSV files."),
    "not_csv_name": _l("This file is not a CSV file; it was left out."),
    "not_csv": _l("This is not a readable CSV file (UTF-8 text with a header row was expected)."),
    "no_files": _l("No OneRoster files were found. Expected some of: %(expected)s."),
    "version": _l("oneroster.version is %(value)s; only OneRoster version %(expected)s files can be imported."),
    "missing_column": _l("The required column %(field)s is missing."),
    "extra_cells": _l("This row has more cells than the header has columns."),
    "empty": _l("%(field)s is empty; it is required."),
    "enum": _l('%(field)s is "%(value)s"; expected one of: %(expected)s.'),
    "date": _l('%(field)s is "%(value)s"; expected a date as %(expected)s.'),
    "duplicate": _l('%(field)s "%(value)s" appears twice (first on line %(expected)s).'),
    "unknown_ref": _l('%(field)s refers to "%(value)s", which is not in %(expected)s nor already in Chalkline.'),
    "end_before_start": _l("%(field)s %(value)s is before the start date %(expected)s."),
    "two_districts": _l('"%(value)s" is a second district org; a file set holds one district.'),
    "code_taken": _l('%(field)s "%(value)s" is already used by another record.'),
    "name_taken": _l('%(field)s "%(value)s" is already the name of another school year.'),
    "overlap": _l('The session "%(value)s" overlaps "%(expected)s".'),
    "term_outside_year": _l('The session "%(value)s" does not lie inside its school year "%(expected)s".'),
    "no_year": _l('The session "%(value)s" has no parent school year, and no school year contains its dates.'),
    "class_needs_term": _l('%(field)s "%(value)s" is a school year; a class needs a term or semester.'),
    "email_twice": _l('%(field)s "%(value)s" is given to two users.'),
    # One wording wherever the address is in use: naming (or hinting at) another district would tell this
    # one that the address has an account there.
    "email_taken": _l(
        '%(field)s "%(value)s" cannot be used for this person. Give them another address in your student '
        "information system, or leave it empty."
    ),
    "apply_failed": _l("The import could not be written, so nothing was changed: %(value)s"),
    "enrolled_twice": _l('%(field)s "%(value)s" is enrolled in this class twice (also on line %(expected)s).'),
}
ENTITIES = {
    "schools": _l("Schools"),
    "years": _l("School years"),
    "terms": _l("Terms"),
    "courses": _l("Courses"),
    "sections": _l("Sections"),
    "users": _l("People"),
    "memberships": _l("School roles"),
    "guardian_links": _l("Guardian links"),
    "section_teachers": _l("Section teachers"),
    "enrollments": _l("Enrollments"),
}


def error_text(error: dict) -> str:
    """The message of one stored error, without its file and line."""
    template = ERRORS.get(error.get("code", ""))
    if template is None:
        return error.get("code", "")
    return str(template) % {k: error.get(k, "") for k in ("field", "value", "expected")}


def error_line(error: dict) -> str:
    """`file:line: message`, the form the CLI prints."""
    where = error.get("file") or _("upload")
    if error.get("line"):
        where = f"{where}:{error['line']}"
    return f"{where}: {error_text(error)}"


def preview_lines(preview: dict) -> list[str]:
    lines = []
    for entity, label in ENTITIES.items():
        counts = preview.get(entity)
        if counts:
            lines.append(
                _(
                    "%(what)s: %(create)s to create, %(update)s to update, %(deactivate)s to deactivate, "
                    "%(unchanged)s unchanged",
                    what=label,
                    create=counts["create"],
                    update=counts["update"],
                    deactivate=counts["deactivate"],
                    unchanged=counts["unchanged"],
                )
            )
    return lines
