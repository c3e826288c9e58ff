"""Retention: a district's rules (delete a group of student data N years after the student left), and the sweep.

The dry run and the real run share one plan: the dry run reports it, the real run carries it out and reports what
it did, and the two reports are equal (a test holds them to it). Held students (a legal hold, an open inspection
request) are skipped and counted as held. A student "left" when they have no open enrollment in a current section;
the day is the latest end of their enrollments (the drop date, else the term's end).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import select, text

from app import db
from app.accounts import services as accounts
from app.compliance import policy
from app.compliance.models import Deletion, RetentionRule, RetentionRun
from app.compliance.services.deletion import delete_student_data
from app.compliance.services.registry import WHOLE_RECORD, registry
from app.compliance.services.requests import held_students
from app.errors import Invalid, NotFound
from app.events.services import record_event

# Reads rosters' and org's tables in SQL (one set-based query for thousands of leavers), like the OneRoster apply.
LEAVERS = """
select e.student_id, max(coalesce(e.dropped_on, t.ends_on)) as left_on
from enrollments e join sections s on s.id = e.section_id join terms t on t.id = s.term_id
group by e.student_id
having bool_and(e.dropped_on is not null or s.is_archived or t.ends_on < :today)
   and max(coalesce(e.dropped_on, t.ends_on)) <= :cutoff
"""


def set_rule(actor, data_group: str, years: int) -> RetentionRule:
    """Records staff: one rule per group of data (the registry's groups). Raises Invalid."""
    if not policy.can_manage_records(actor):
        raise NotFound()
    if data_group not in registry().groups:
        raise Invalid({"data_group": _("Choose the data the rule is about.")})
    if not 0 <= int(years) <= 99:
        raise Invalid({"years_after_leaving": _("Between 0 and 99.")})
    rule = db.session.scalar(select(RetentionRule).where(RetentionRule.data_group == data_group))
    if rule is None:
        rule = RetentionRule(district_id=actor.district_id, data_group=data_group, created_by=actor.id)
        db.session.add(rule)
    rule.years_after_leaving, rule.is_active = int(years), True
    db.session.commit()
    return rule


def _cutoff(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def leavers(today: date, years: int) -> list[int]:
    rows = db.session.execute(text(LEAVERS), {"today": today, "cutoff": _cutoff(today, years)})
    return sorted(row.student_id for row in rows)


def _count(student, tables: set[str] | None, gone: set[str]) -> dict[str, int]:
    """What delete_student_data would delete for this student: the same registry, the same conditions; tables an
    earlier rule of the same sweep emptied for the student (`gone`) count nothing."""
    params = {"student_id": student.id, "email": student.email or None, "name": student.display_name or None}
    counts: dict[str, int] = {}
    forgotten = 0
    for entry in registry().entries:
        if (tables is not None and entry.table not in tables) or entry.table in gone:
            continue
        found = db.session.scalar(text(f"select count(*) from {entry.table} where {entry.condition}"), params) or 0
        if entry.delete == "forget":
            forgotten += found
        elif entry.delete in ("rows", "root") and found:
            counts[entry.table] = found
    if tables is None:
        counts["audit"] = forgotten
    return counts


def _group_tables(group: str) -> set[str] | None:
    if group == WHOLE_RECORD:
        return None
    return {entry.table for entry in registry().entries if entry.group == group and entry.delete == "rows"}


def _add(total: dict[str, int], counts: dict[str, int]) -> None:
    for table, n in counts.items():
        if n:
            total[table] = total.get(table, 0) + n


def sweep(actor, dry_run: bool = True, today: date | None = None) -> RetentionRun:
    """Records staff or the periodic job: apply (or with dry_run only report) every active rule of the district."""
    if not (policy.can_manage_records(actor) or "system" in actor.roles):
        raise NotFound()
    today = today or datetime.now(UTC).date()
    report: dict[str, dict] = {}
    gone: dict[int, set[str]] = {}  # student -> tables an earlier rule of this sweep emptied (for the dry run)
    rules = db.session.scalars(select(RetentionRule).where(RetentionRule.is_active).order_by(RetentionRule.id))
    for rule in rules:
        ids = leavers(today, rule.years_after_leaving)
        held = held_students(ids)
        tables = _group_tables(rule.data_group)
        rows: dict[str, int] = {}
        done = 0
        for student in accounts.users_by_id([i for i in ids if i not in held]).values():
            if dry_run:
                _add(rows, _count(student, tables, gone.setdefault(student.id, set())))
                gone[student.id] |= tables if tables is not None else {e.table for e in registry().entries}
            else:
                counts, _files = _delete(actor, student, tables)
                _add(rows, counts)
            done += 1
        report[rule.data_group] = {"years": rule.years_after_leaving, "students": done, "held": len(held), "rows": rows}
    run = RetentionRun(
        district_id=actor.district_id,
        is_dry_run=dry_run,
        started_by=getattr(actor, "id", None),
        report=report,
        finished_at=datetime.now(UTC),
    )
    db.session.add(run)
    db.session.flush()
    students = sum(part["students"] for part in report.values())
    record_event(actor, "retention.swept", "retention_run", run.id, dry_run=dry_run, students=students)
    db.session.commit()
    return run


def _delete(actor, student, tables: set[str] | None):
    if tables is not None:
        return delete_student_data(student, tables)
    deletion = Deletion(district_id=actor.district_id, student_id=student.id, basis="retention", status="running")
    db.session.add(deletion)
    db.session.flush()
    counts, files = delete_student_data(student)
    deletion.student_id, deletion.status, deletion.finished_at = None, "done", datetime.now(UTC)
    deletion.receipt = {"rows": counts, "files": files, "basis": "retention"}
    return counts, files


def start_sweep(actor, dry_run: bool):
    """Records staff: run the sweep (or its dry run) as a job; the page follows it."""
    from app.jobruns import services as runs

    if not policy.can_manage_records(actor):
        raise NotFound()
    run = runs.start_job(actor, "records.retention", "jobs.compliance.retention_sweep", bool(dry_run), total=1)
    db.session.commit()
    return run


def retention_page(actor):
    """Records staff: the rules, the groups a rule can name, and the latest runs with their reports."""
    if not policy.can_manage_records(actor):
        raise NotFound()
    rules = list(db.session.scalars(select(RetentionRule).order_by(RetentionRule.data_group)))
    recent = list(db.session.scalars(select(RetentionRun).order_by(RetentionRun.id.desc()).limit(10)))
    return rules, registry().groups, recent
