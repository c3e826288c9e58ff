"""Gradebook CSV out and in, in the layouts teachers already have (Canvas's export, a plain spreadsheet).

Import goes the way of every import here: the upload is stored, checked into a preview (every change, every
unmatched row and column, every refused value) without writing a grade, and applied by a tracked job in one
transaction, which checks the file again against the gradebook as it is then and keeps a report. A blank never
clears a grade and N/A leaves the cell alone. Students match by SIS id, then login, then email; columns by the
`(id)` only in files Chalkline exported, otherwise by exact title."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.errors import Invalid, NotFound
from app.gradebook import csvformats
from app.gradebook.models import Assignment, GradebookImport
from app.gradebook.services import settings
from app.gradebook.services.assignments import graded_section
from app.gradebook.services.book import Book, format_number, load_book
from app.gradebook.services.grading import NeedsApproval, change_for, lock_state, parse_entry, write_grade
from app.jobruns.services import start_job
from app.storage.services import put_bytes, read_bytes

JOB_KIND = "gradebook.import"
JOB_KINDS = {JOB_KIND: _l("Gradebook import")}
MAX_UPLOAD = 5 * 1024 * 1024
CELL_MESSAGES = {
    "negative": _l("%(raw)s is negative"),
    "percent": _l("%(raw)s is a percentage: write the points"),
    "decimal_comma": _l("%(raw)s has a decimal comma: write it with a point"),
    "not_a_number": _l("%(raw)s is not a score"),
}


def _export_value(column, cell) -> str:
    if cell.excused:
        return "EX"
    if cell.score is None:
        return ""
    if column.grading_type == "letter" and cell.letter:
        return cell.letter
    return format_number(cell.score)


def export_gradebook(actor, section_id: int, layout: str = "canvas") -> tuple[str, bytes]:
    """The section's teachers: (file name, CSV bytes) of the gradebook in Canvas's layout or the plain one, with
    the course grade as a read-only column."""
    section = graded_section(actor, section_id)
    book = load_book(actor, section)
    columns = [csvformats.CsvColumn(i, c.title, str(c.id), c.points) for i, c in enumerate(book.columns)] + [
        csvformats.CsvColumn(len(book.columns), "Current Score", read_only=True)
    ]
    students = []
    for line, (row, cells) in enumerate(zip(book.rows, book.cells, strict=True), start=3):
        values = {i: _export_value(book.columns[i], cell) for i, cell in enumerate(cells)}
        values[len(book.columns)] = format_number(row.percent) if row.percent is not None else ""
        students.append(
            csvformats.CsvStudent(
                line, row.name, str(row.student_id), row.sis_id, row.login or row.email, row.email, section.name, values
            )
        )
    writer = csvformats.write_plain_csv if layout == "plain" else csvformats.write_canvas_csv
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    return f"grades-{section.name}-{stamp}.csv".replace(" ", "_").replace("/", "-"), writer(columns, students)


def _match_students(book: Book, parsed) -> tuple[dict[int, int], list[dict]]:
    by = {"sis": {}, "login": {}, "email": {}}
    for row in book.rows:
        for key, value in (("sis", row.sis_id), ("login", row.login), ("email", row.email)):
            if value:
                by[key].setdefault(value.strip().lower(), row.student_id)
    matched, unmatched = {}, []
    for student in parsed.students:
        if student.is_test_student:
            continue
        found = None
        for key, value in (("sis", student.sis_user_id), ("login", student.sis_login_id), ("email", student.email)):
            if value and value.strip().lower() in by[key]:
                found = by[key][value.strip().lower()]
                break
        if found is None:
            unmatched.append({"line": student.line, "name": student.name})
        else:
            matched[student.line] = found
    return matched, unmatched


def _match_columns(book: Book, parsed) -> tuple[dict[int, int], list[dict]]:
    ids = {str(c.id): c.id for c in book.columns}
    titles: dict[str, list[int]] = {}
    for c in book.columns:
        titles.setdefault(c.title, []).append(c.id)
    matched, unmatched = {}, []
    for column in parsed.columns:
        found = None
        if parsed.from_chalkline and column.external_id in ids:
            found = ids[column.external_id]
        elif len(titles.get(column.title, [])) == 1:
            found = titles[column.title][0]
        if found is None:
            unmatched.append({"title": column.title, "id": column.external_id})
        else:
            matched[column.index] = found
    return matched, unmatched


def plan_import(actor, section, data: bytes) -> dict:
    """The preview of a file against the section's gradebook as it is now. Writes nothing."""
    parsed = csvformats.parse_gradebook_csv(data)
    book = load_book(actor, section)
    rules = settings.rules_for(section)
    students, unmatched_rows = _match_students(book, parsed)
    columns, unmatched_columns = _match_columns(book, parsed)
    row_of = {row.student_id: (row, cells) for row, cells in zip(book.rows, book.cells, strict=True)}
    assignments = {
        a.id: a for a in db.session.scalars(select(Assignment).where(Assignment.id.in_(list(columns.values()) or [-1])))
    }
    column_of = {c.id: c for c in book.columns}
    changes, refused, unchanged = [], [], 0
    for student in parsed.students:
        student_id = students.get(student.line)
        if student_id is None:
            continue
        row, cells = row_of[student_id]
        for index, raw in student.cells.items():
            assignment_id = columns.get(index)
            if assignment_id is None:
                continue
            value = csvformats.parse_cell(raw, parsed.decimal_comma)
            where = {
                "line": student.line,
                "student": row.name,
                "assignment": column_of[assignment_id].title,
                "raw": raw,
            }
            if value.kind in ("blank", "not_assigned"):
                continue
            if value.kind == "invalid":
                refused.append(
                    {**where, "message": str(CELL_MESSAGES.get(value.code, "%(raw)s")) % {"raw": raw.strip()}}
                )
                continue
            typed = {"excused": "EX", "missing": "M"}.get(value.kind) or (
                format_number(value.value) if value.kind == "score" else raw.strip()
            )
            try:
                entry = parse_entry(typed, assignments[assignment_id], rules.bands, rules.mastery_scale_max)
            except Invalid as error:
                refused.append({**where, "message": str(error.fields.get("value") or error)})
                continue
            cell = cells[book.column_index(assignment_id)]
            if _same(entry, cell):
                unchanged += 1
                continue
            locked, why = lock_state(actor, section, column_of[assignment_id].due_at)
            if locked:
                refused.append({**where, "message": why})
                continue
            old = "EX" if cell.excused else (format_number(cell.score) if cell.score is not None else "")
            changes.append(
                {**where, "student_id": student_id, "assignment_id": assignment_id, "old": old, "new": typed}
            )
    problems = [{"line": line, "code": code, "message": message} for line, code, message in parsed.problems]
    return {
        "layout": parsed.layout,
        "changes": changes,
        "refused": refused,
        "unmatched_rows": unmatched_rows,
        "unmatched_columns": unmatched_columns,
        "problems": problems,
        "unchanged": unchanged,
    }


def _same(entry, cell) -> bool:
    if entry.kind == "excused":
        return cell.excused
    if entry.kind == "missing":
        return cell.marked_missing and cell.score is None
    if entry.kind == "score":
        return not cell.excused and cell.score is not None and Decimal(cell.score) == entry.score
    return False


def start_import(actor, section_id: int, file_name: str, data: bytes) -> GradebookImport:
    """The section's teachers: store the file and its preview. Raises Invalid for an empty or oversized file or
    one that is not a gradebook at all (nothing stored then)."""
    section = graded_section(actor, section_id)
    if not data:
        raise Invalid({"upload": _("Choose a CSV file.")})
    if len(data) > MAX_UPLOAD:
        raise Invalid({"upload": _("The file is larger than 5 MB.")})
    preview = plan_import(actor, section, data)
    fatal = {"empty_file", "no_student_column", "no_assignment_columns", "too_many_rows"}
    status = "invalid" if any(p["code"] in fatal for p in preview["problems"]) else "ready"
    record = GradebookImport(
        district_id=actor.district_id,
        section_id=section.id,
        user_id=actor.id,
        file_key=put_bytes(data),
        file_name=(file_name or "grades.csv")[-255:],
        layout=preview["layout"],
        status=status,
        preview=preview,
    )
    db.session.add(record)
    db.session.commit()
    return record


def get_import(actor, import_id: int) -> GradebookImport:
    """The import's section's teachers; NotFound otherwise."""
    record = db.scoped_get(actor, GradebookImport, import_id)
    if record is None:
        raise NotFound()
    graded_section(actor, record.section_id)
    return record


def request_apply(actor, import_id: int) -> GradebookImport:
    """The teacher applies a ready preview: a tracked job (once, however often the button is pressed)."""
    record = get_import(actor, import_id)
    if record.status != "ready":
        raise Invalid({"": _("This import cannot be applied (it was applied already, or its file is not usable).")})
    run = start_job(
        actor,
        JOB_KIND,
        "jobs.gradebook.apply_import",
        record.id,
        actor.id,
        dedupe_key=f"gradebook-import-{record.id}",
        total=len(record.preview.get("changes", [])),
    )
    record.status, record.job_run_id = "applying", run.id
    db.session.commit()
    return record


def apply_import(actor, import_id: int, progress=None) -> dict:
    """The apply job (and the CLI): check the stored file again, write every change it still makes in one
    transaction (history and events as for a typed cell), and keep the report. Safe to rerun."""
    record = db.scoped_get(actor, GradebookImport, import_id)
    if record is None or record.status == "applied":
        return {"applied": 0}
    section = graded_section(actor, record.section_id)
    plan = plan_import(actor, section, read_bytes(record.file_key))
    assignments = {}
    written = 0
    rules = settings.rules_for(section)
    for change in plan["changes"]:
        assignment = assignments.get(change["assignment_id"]) or db.scoped_get(
            actor, Assignment, change["assignment_id"]
        )
        assignments[assignment.id] = assignment
        try:
            entry = parse_entry(change["new"], assignment, rules.bands, rules.mastery_scale_max)
        except (Invalid, NeedsApproval):
            continue
        write_grade(actor, section, assignment, change["student_id"], change_for(entry))
        written += 1
        if progress and written % 200 == 0:
            progress(written, len(plan["changes"]))
    record.status, record.applied_at = "applied", datetime.now(UTC)
    record.report = {**plan, "written": written}
    db.session.commit()
    return {"applied": written, "refused": len(plan["refused"])}


def recent_imports(actor, section_id: int) -> list[GradebookImport]:
    graded_section(actor, section_id)
    return list(
        db.session.scalars(
            select(GradebookImport)
            .where(GradebookImport.section_id == section_id)
            .order_by(GradebookImport.created_at.desc())
            .limit(5)
        )
    )
