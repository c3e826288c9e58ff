"""The import report a district keeps: every record created, updated (with the fields that changed),
deactivated or removed, and every warning (what was skipped or read otherwise, and why).

It is written when the import is applied, as codes and values (`write_report`), and worded in the reader's
language when downloaded (`report_lines`); both through the one CSV writer.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.csvio import csv_bytes, csv_lines, unsafe_cell
from app.oneroster.services.messages import ENTITIES, error_text
from app.oneroster.services.plan import KEYED
from app.oneroster.services.preview import change_of, label

STORED = ("entity", "action", "key", "name", "fields", "code", "file", "line", "field", "value", "expected")
# The fields of each entity's target (see current.py), named as the report lists what changed.
FIELDS = {
    "schools": ("name", "code"),
    "years": ("name", "starts_on", "ends_on"),
    "terms": ("school_year", "name", "starts_on", "ends_on"),
    "courses": ("school", "school_year", "code", "name", "subject", "grade_low", "grade_high", "is_active"),
    "sections": ("course", "term", "school", "name", "period", "room", "is_archived"),
    "users": (
        "display_name", "given_name", "family_name", "identifier", "email", "grade_level", "birth_date",
        "is_active", "preferred_given_name", "preferred_family_name", "pronouns", "master_identifier",
        "primary_school",
    ),
    "enrollments": ("section", "student", "added_on", "dropped_on"),
    "memberships": (),
    "guardian_links": ("relationship",),
    "section_teachers": ("is_primary",),
}  # fmt: skip
ACTIONS = {
    "create": _l("Created"),
    "update": _l("Updated"),
    "deactivate": _l("Deactivated"),
    "remove": _l("Removed"),
    "warning": _l("Warning"),
}
PAIRED = ("memberships", "guardian_links", "section_teachers")


def _changed(entity: str, before: tuple | None, after: tuple) -> str:
    if before is None:
        return ""
    return ", ".join(name for name, old, new in zip(FIELDS[entity], before, after, strict=False) if old != new)


def _key(key) -> str:
    return " / ".join(str(k) for k in key if k) if isinstance(key, tuple) else str(key)


def _rows(plan, problems) -> Iterator[list]:
    adoptable = plan.adoptable
    for entity in plan.targets:
        now = plan.now[entity] if entity in KEYED else plan.now_pairs[entity]
        for key, values in plan.targets[entity].items():
            change = change_of(plan, entity, key, values, adoptable)
            if change != "unchanged":
                fields = _changed(entity, now.get(key), values) if change == "update" else ""
                yield [entity, change, _key(key), label(entity, key, values), fields, "", "", "", "", "", ""]
        action = "remove" if entity in PAIRED else "deactivate"
        for key in sorted(plan.deactivate[entity], key=str):
            yield [entity, action, _key(key), label(entity, key, now.get(key) or ()), "", "", "", "", "", "", ""]
    for warning in problems.warnings:
        yield ["", "warning", "", "", "", *(warning.get(k) or "" for k in STORED[5:])]
    if problems.warning_count > len(problems.warnings):
        yield ["", "more", "", "", "", "", "", "", "", str(problems.warning_count - len(problems.warnings)), ""]


def write_report(plan, problems) -> bytes:
    """The report as stored: one row per change and per kept warning, in codes and values."""
    return csv_bytes(STORED, _rows(plan, problems))


def _stored(data: bytes) -> Iterator[dict]:
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    next(reader, None)
    for cells in reader:
        yield dict(zip(STORED, (unsafe_cell(c) for c in cells), strict=False))


def report_lines(data: bytes) -> Iterator[str]:
    """The stored report as the CSV a district downloads, worded in the current language. Every word is looked
    up here, before the first line, so the lines stream without the request."""
    header = [_("Record"), _("Change"), _("sourcedId"), _("Name"), _("Details"), _("File"), _("Line")]
    entities = {key: str(label) for key, label in ENTITIES.items()}
    actions = {key: str(label) for key, label in ACTIONS.items()}
    changed = _("Changed: %(fields)s")
    more = _("%(num)s more warnings are not listed.")
    # Warnings are at most problems.KEEP, the only rows whose wording needs more than these few words.
    worded = {n: error_text(row) for n, row in enumerate(_stored(data)) if row["action"] == "warning"}

    def rows():
        for n, row in enumerate(_stored(data)):
            action = row["action"]
            if action == "more":
                yield ["", "", "", "", more % {"num": row["value"]}, "", ""]
                continue
            details = worded.get(n) or (row["fields"] and changed % {"fields": row["fields"]})
            yield [entities.get(row["entity"], row["entity"]), actions.get(action, action), row["key"], row["name"],
                   details, row["file"], row["line"]]  # fmt: skip

    return csv_lines(header, rows())
