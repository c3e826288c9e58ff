"""Wording of import problems, their kinds and the preview, translated when shown (jobs store codes and values)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

ERRORS = {
    "bad_zip": _l("The ZIP file could not be opened. Upload a ZIP made by your student information system."),
    "too_large": _l("The files expand to more than %(expected)s MB when unzipped, more than one import may hold."),
    "too_many_files": _l("The ZIP file holds too many files for a OneRoster set."),
    "too_many_rows": _l(
        "The files hold more rows than one import can check. Import them in parts (for example users first, then "
        "enrollments, as delta files), or ask for a higher upload limit."
    ),
    "not_csv": _l("This is not a readable CSV file (UTF-8 text with a header row was expected)."),
    "no_files": _l("No OneRoster files were found. Expected some of: %(expected)s."),
    "version": _l("oneroster.version is %(value)s; OneRoster versions %(expected)s can be imported."),
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
WARNINGS = {
    "duplicate_member": _l("The ZIP file has another file of this name; only the first one was read."),
    "no_manifest": _l("There is no manifest.csv: the files were read as OneRoster %(value)s, each as a bulk file."),
    "manifest_without_files": _l(
        "The manifest lists no files: they were read as OneRoster %(value)s, each as a bulk file."
    ),
    "case": _l('%(field)s "%(value)s" was read as "%(expected)s".'),
    "absent_file": _l("The manifest marks this file absent, so it was not read."),
    "unlisted_file": _l("The manifest does not list this file; it was read as a bulk file."),
    "missing_file": _l(
        "The manifest lists %(expected)s as %(value)s, but the upload has no such file; it was taken as absent."
    ),
    "not_read": _l("Chalkline does not import this file; it was not read."),
    "not_csv_name": _l("This file is not a CSV file; it was left out."),
    "duplicate_column": _l("The column %(field)s appears twice; the second one was not read."),
    "header_renamed": _l('The column "%(value)s" was read as %(expected)s.'),
    "user_ids_joined": _l('userIds "%(value)s" was written without quotes; its parts were read as one list.'),
    "inactive": _l('status "%(value)s" was read as tobedeleted: the record is switched off, never deleted.'),
    "blank_status": _l("status is empty in a delta file; the row was read as active."),
    "read_as": _l('%(field)s "%(value)s" is not a OneRoster value; it was read as "%(expected)s".'),
    "org_placed": _l(
        'The org %(value)s is not a school; classes and people that name it are placed in its school "%(expected)s".'
    ),
    "org_as_school": _l(
        "The org %(value)s (type %(expected)s) is not a school, and no school above it is in the files; it was "
        "taken as a school."
    ),
    "year_placed": _l(
        'The school year "%(value)s" is in neither the files nor Chalkline; the session was placed in the school '
        'year "%(expected)s", which holds its dates.'
    ),
    "year_made": _l(
        'No school year in the files or in Chalkline holds this session; the school year %(expected)s ("%(value)s") '
        "was made for it from its dates."
    ),
    "session_nested": _l('The session "%(value)s" lies inside "%(expected)s"; its classes are placed in that term.'),
    "grade_unknown": _l("grades holds %(value)s, which is not a grade code; it was left out."),
    "course_from_class": _l('courses.csv is absent: the course "%(value)s" was made from this class, "%(expected)s".'),
    "email_unusable": _l('email "%(value)s" is not an email address; the person was imported without one.'),
    "unknown_role": _l('role "%(value)s" is not a OneRoster role; no Chalkline role was given for it.'),
    "no_role": _l('role "%(value)s" has no Chalkline equivalent; no Chalkline role was given for it.'),
    "role_needs_school": _l(
        'role "%(value)s" at the district org "%(expected)s" needs a school; no Chalkline role was given for it.'
    ),
    "role_ended": _l("This role ended on %(value)s; it was not imported."),
    "delete_unknown": _l('The tobedeleted record "%(value)s" is not in Chalkline; there was nothing to switch off.'),
    "role_by_id_only": _l(
        'The tobedeleted role "%(value)s" names only its sourcedId; Chalkline knows roles by person, org and role, so '
        "nothing was removed."
    ),
    "enrollment_role": _l('Enrollments with role "%(value)s" are not imported (only students and teaching staff).'),
}
# Warnings whose value is a count (worded when shown, in the reader's language and plural).
COUNTED = {
    "empty_columns": lambda n: ngettext(
        "The header ends with %(num)s empty column; it was ignored.",
        "The header ends with %(num)s empty columns; they were ignored.",
        n,
    ),
    "trailing_cells": lambda n: ngettext(
        "%(num)s row has empty cells past the last column; they were ignored.",
        "%(num)s rows have empty cells past the last column; they were ignored.",
        n,
    ),
    "passwords_ignored": lambda n: ngettext(
        "%(num)s row has a password; passwords are never imported (people sign in after an invitation).",
        "%(num)s rows have a password; passwords are never imported (people sign in after an invitation).",
        n,
    ),
    "profiles_not_imported": lambda n: ngettext(
        "%(num)s user profile was checked, not imported: Chalkline keeps no other system's accounts or passwords.",
        "%(num)s user profiles were checked, not imported: Chalkline keeps no other system's accounts or passwords.",
        n,
    ),
}
# The kinds the preview groups problems by.
KINDS = {
    "bad_zip": _l("Unreadable ZIP file"),
    "too_large": _l("Too large"),
    "too_many_files": _l("Too many files"),
    "too_many_rows": _l("Too many rows"),
    "not_csv": _l("Unreadable file"),
    "no_files": _l("No OneRoster files"),
    "version": _l("Version not supported"),
    "missing_column": _l("Required column missing"),
    "extra_cells": _l("Extra cells"),
    "empty": _l("Required value missing"),
    "enum": _l("Value not allowed"),
    "date": _l("Not a date"),
    "duplicate": _l("Repeated sourcedId"),
    "unknown_ref": _l("Reference to nothing"),
    "end_before_start": _l("Ends before it starts"),
    "two_districts": _l("Two districts"),
    "code_taken": _l("Code already used"),
    "name_taken": _l("Name already used"),
    "overlap": _l("Overlapping sessions"),
    "term_outside_year": _l("Session outside its year"),
    "class_needs_term": _l("Class without a term"),
    "email_twice": _l("Email given twice"),
    "email_taken": _l("Email cannot be used"),
    "apply_failed": _l("Not written"),
    "enrolled_twice": _l("Enrolled twice"),
    "duplicate_member": _l("File name repeated"),
    "no_manifest": _l("No manifest"),
    "manifest_without_files": _l("Manifest lists no files"),
    "case": _l("Letter case read"),
    "absent_file": _l("File marked absent"),
    "unlisted_file": _l("File not in the manifest"),
    "missing_file": _l("File listed but missing"),
    "not_read": _l("File not used"),
    "not_csv_name": _l("Not a CSV file"),
    "empty_columns": _l("Empty columns"),
    "duplicate_column": _l("Column repeated"),
    "header_renamed": _l("Column name read"),
    "trailing_cells": _l("Empty cells past the header"),
    "user_ids_joined": _l("Unquoted userIds"),
    "inactive": _l("Status inactive"),
    "blank_status": _l("Status empty in a delta file"),
    "read_as": _l("Value read as another"),
    "org_placed": _l("Org placed in its school"),
    "org_as_school": _l("Org taken as a school"),
    "year_placed": _l("School year absent, placed by dates"),
    "year_made": _l("School year made"),
    "session_nested": _l("Session inside another"),
    "grade_unknown": _l("Grade not understood"),
    "course_from_class": _l("Course made from a class"),
    "email_unusable": _l("Not an email address"),
    "passwords_ignored": _l("Passwords not imported"),
    "unknown_role": _l("Unknown role"),
    "no_role": _l("Role without an equivalent"),
    "role_needs_school": _l("Role needs a school"),
    "profiles_not_imported": _l("User profiles not imported"),
    "role_ended": _l("Role ended"),
    "delete_unknown": _l("Nothing to delete"),
    "role_by_id_only": _l("Role to delete not identified"),
    "enrollment_role": _l("Enrollment role not imported"),
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
CHALKLINE_ROLES = {
    "district_admin": _l("District admin"),
    "school_admin": _l("School admin"),
    "teacher": _l("Teacher"),
    "student": _l("Student"),
    "guardian": _l("Guardian"),
}


def error_text(problem: dict) -> str:
    """The message of one stored error or warning, without its file and line."""
    code = problem.get("code", "")
    if code in COUNTED:
        return COUNTED[code](int(problem.get("value") or 0))
    template = ERRORS.get(code) or WARNINGS.get(code)
    if template is None:
        return code
    return str(template) % {k: problem.get(k, "") for k in ("field", "value", "expected")}


def kind_text(code: str) -> str:
    return str(KINDS.get(code, code))


def role_text(mapped: str) -> str:
    """A Chalkline role list as the preview's mapping table shows it ("" is no role)."""
    if not mapped:
        return _("No role")
    return ", ".join(str(CHALKLINE_ROLES.get(name, name)) for name in mapped.split(", "))


def error_line(problem: dict) -> str:
    """`file:line: message`, the form the CLI prints."""
    where = problem.get("file") or _("upload")
    if problem.get("line"):
        where = f"{where}:{problem['line']}"
    return f"{where}: {error_text(problem)}"


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
