"""Term grades to the SIS as OneRoster CSV: lineItems (one per section and grading period, and the term),
results (each student's final percent: the override where there is one, else the closed or computed grade, with
the override's comment) and categories, with a manifest, in OneRoster 1.1 or 1.2 (what the district imports).

Records keep the sourcedIds the SIS gave them; Chalkline's own get the same stable ids the roster export writes."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from app.csvio import csv_bytes
from app.errors import Invalid
from app.gradebook.services.terms import term_sheet
from app.oneroster.services.plan import OWN_PREFIX
from app.oneroster.services.schema import MANIFEST_FILES

COMMON = ["sourcedId", "status", "dateLastModified"]
HEADERS = {
    "1.1": {
        "categories": [*COMMON, "title"],
        "lineItems": [
            *COMMON, "title", "description", "assignDate", "dueDate", "classSourcedId", "categorySourcedId",
            "gradingPeriodSourcedId", "resultValueMin", "resultValueMax",
        ],
        "results": [
            *COMMON, "lineItemSourcedId", "studentSourcedId", "scoreStatus", "score", "scoreDate", "comment",
        ],
    },
    "1.2": {
        "categories": [*COMMON, "title", "weight"],
        "lineItems": [
            *COMMON, "title", "description", "assignDate", "dueDate", "classSourcedId", "categorySourcedId",
            "gradingPeriodSourcedId", "academicSessionSourcedId", "scoreScaleSourcedId", "resultValueMin",
            "resultValueMax",
        ],
        "results": [
            *COMMON, "lineItemSourcedId", "studentSourcedId", "classSourcedId", "scoreScaleSourcedId",
            "scoreStatus", "score", "textScore", "scoreDate", "comment",
        ],
    },
}  # fmt: skip
CATEGORY_ID = f"{OWN_PREFIX}category-term-grade"


def _sourced(row, kind: str) -> str:
    return getattr(row, "sourced_id", None) or f"{OWN_PREFIX}{kind}-{row.id}"


def term_grades_rows(actor, section_id: int) -> dict[str, list[dict]]:
    """The section's teachers: the three files' rows for the section's term grades."""
    from app.accounts import services as accounts

    sheet = term_sheet(actor, section_id)
    section, term = sheet.book.section, sheet.book.term
    class_id, term_id = _sourced(section, "class"), _sourced(term, "term")
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    users = accounts.users_by_id(row.student_id for row in sheet.rows)
    line_items, results = [], []
    for period_id, name, _weight in sheet.period_keys:
        item_id = f"{OWN_PREFIX}lineitem-{section.id}-{period_id or 'term'}"
        line_items.append(
            {
                "sourcedId": item_id,
                "status": "active",
                "dateLastModified": stamp,
                "title": f"{name} grade",
                "description": f"{section.name}: {name}",
                "assignDate": term.starts_on.isoformat(),
                "dueDate": term.ends_on.isoformat(),
                "classSourcedId": class_id,
                "categorySourcedId": CATEGORY_ID,
                "gradingPeriodSourcedId": term_id,
                "academicSessionSourcedId": term_id,
                "resultValueMin": "0",
                "resultValueMax": "100",
            }
        )
        for row in sheet.rows:
            percent, letter, is_override = row.final(period_id)
            if percent is None and not letter:
                continue
            stored = row.stored.get(period_id)
            results.append(
                {
                    "sourcedId": f"{OWN_PREFIX}result-{section.id}-{period_id or 'term'}-{row.student_id}",
                    "status": "active",
                    "dateLastModified": stamp,
                    "lineItemSourcedId": item_id,
                    "studentSourcedId": _sourced(users[row.student_id], "user"),
                    "classSourcedId": class_id,
                    "scoreStatus": "fully graded" if period_id in sheet.closed else "partially graded",
                    "score": "" if percent is None else format(percent.normalize(), "f"),
                    "textScore": letter or "",
                    "scoreDate": (stored.closed_at if stored and stored.closed_at else datetime.now(UTC))
                    .date()
                    .isoformat(),
                    "comment": stored.override_comment if is_override and stored else "",
                }
            )
    category = {"sourcedId": CATEGORY_ID, "status": "active", "dateLastModified": stamp, "title": "Term grade"}
    return {"categories": [category], "lineItems": line_items, "results": results}


def export_term_grades(actor, section_id: int, version: str = "1.1") -> tuple[str, bytes]:
    """The section's teachers: (file name, ZIP) of the OneRoster files. Invalid for another version."""
    if version not in HEADERS:
        raise Invalid({"version": "1.1 or 1.2"})
    rows = term_grades_rows(actor, section_id)
    manifest = [["manifest.version", "1.0"], ["oneroster.version", version]]
    manifest += [[f"file.{f}", "bulk" if f in rows else "absent"] for f in MANIFEST_FILES[version]]
    manifest += [["source.systemName", "Chalkline"], ["source.systemCode", "chalkline"]]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.csv", csv_bytes(["propertyName", "value"], manifest))
        for name, found in rows.items():
            header = HEADERS[version][name]
            archive.writestr(f"{name}.csv", csv_bytes(header, ([row.get(c, "") for c in header] for row in found)))
    return f"term-grades-{section_id}-oneroster-{version}.zip", buffer.getvalue()
