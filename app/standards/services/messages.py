"""Wording of import problems, translated when shown (jobs store codes and values)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

ERRORS = {
    "too_large": _l("The file is %(value)s bytes; a framework may be at most %(expected)s bytes (50 MB)."),
    "not_json": _l("This is not a JSON file. Export the framework as a CASE 1.0 package (JSON)."),
    "not_case": _l(
        "This JSON file is not a CASE 1.0 package: %(field)s is missing. A package holds a CFDocument and its CFItems."
    ),
    "document_identifier": _l("The CFDocument has no identifier."),
    "no_items": _l("The file holds no standards."),
    "item_shape": _l("Item %(item)s is not an object."),
    "item_identifier": _l("Item %(item)s has no identifier (%(value)s)."),
    "duplicate_identifier": _l("The identifier %(item)s is used by two items."),
    "cycle": _l("Item %(item)s is its own ancestor through isChildOf: %(value)s."),
    "not_csv": _l("This is not a readable CSV file (UTF-8 text with a header row was expected)."),
    "missing_column": _l("The column %(field)s is missing; the header has: %(value)s."),
    "too_many_rows": _l("The file has more than %(value)s rows."),
    "csv_no_code": _l("Line %(line)s has no code."),
    "csv_duplicate_code": _l('Line %(line)s: the code "%(value)s" is also on line %(expected)s.'),
    "csv_unknown_parent": _l('Line %(line)s: the parent code "%(value)s" is not the code of any row.'),
    "apply_failed": _l("The import could not be written, so nothing was changed: %(value)s"),
}
WARNINGS = {
    "field_spelling": _l('The field "%(value)s" was read as %(field)s (%(expected)s times).'),
    "node_as_string": _l(
        "%(field)s was given as a bare address rather than an object (%(expected)s times; first: %(value)s)."
    ),
    "sequence_string": _l(
        'sequenceNumber was written as text, such as "%(value)s", and read as a number (%(expected)s times).'
    ),
    "sequence_unreadable": _l('Item %(item)s: the sequenceNumber "%(value)s" is not a number and was left out.'),
    "definitions_shape": _l("%(field)s is a %(value)s, not what CASE describes; it was left out."),
    "document_title": _l("The CFDocument has no title; its identifier names the framework."),
    "level_unknown": _l('Item %(item)s: the education level "%(value)s" is not a CEDS grade code and was left out.'),
    "no_statement": _l("Item %(item)s (%(value)s) has no statement."),
    "association_shape": _l("Association %(item)s is not an object and was left out."),
    "association_incomplete": _l("Association %(item)s lacks its type, origin or destination and was left out."),
    "association_unknown_origin": _l(
        "Association %(item)s starts at %(value)s, which is not in the package; left out."
    ),
    "parent_unknown": _l("Item %(item)s: its parent %(value)s is not in the package."),
    "orphan": _l("Item %(item)s %(value)s has no parent in the package and is placed at the top level."),
    "column_read_as": _l('The column "%(value)s" was read as %(field)s.'),
}


def problem_text(problem: dict) -> str:
    """One stored problem in the reader's language."""
    code = problem.get("code", "")
    template = ERRORS.get(code) or WARNINGS.get(code)
    values = {
        k: problem.get(k) if problem.get(k) not in (None, "") else "-"
        for k in ("item", "line", "field", "value", "expected")
    }
    if template is None:
        return _("Problem %(code)s", code=code)
    return str(template) % values


def problem_line(problem: dict) -> str:
    """A problem as the CLI prints it: the CSV line first when the wording does not name it already."""
    template = str(ERRORS.get(problem.get("code"), "") or WARNINGS.get(problem.get("code"), ""))
    where = f"line {problem['line']}: " if problem.get("line") and "%(line)s" not in template else ""
    return f"  {where}{problem_text(problem)}"
