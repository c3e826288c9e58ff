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
from app.compliance.services.deletion import delete_students_data
from app.compliance.services.holds import held_students
from app.compliance.services.registry import WHOLE_RECORD, registry
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


def _count(entry, students) -> int:
    """Rows of `entry` that delete_students_data would delete (or forget) for these students."""
    ids = [s.id for s in students]
    if not ids:
        return 0
    if entry.batch_condition is not None:
        sql = f"select count(*) from {entry.table} where {entry.batch_condition}"
        return db.session.scalar(text(sql), {"student_ids": ids}) or 0
    sql = text(f"select count(*) from {entry.table} where {entry.condition}")
    params = ({"student_id": s.id, "email": s.email, "name": s.display_name} for s in students)
    return sum(db.session.scalar(sql, one) or 0 for one in params)


def _group_tables(group: str) -> set[str] | None:
    if group == WHOLE_RECORD:
        return None
    return {entry.table for entry in registry().entries if entry.group == group and entry.delete == "rows"}


def _plan_counts(students, tables: set[str] | None, gone: dict[int, set[str]]) -> dict[str, int]:
    """The dry run: what the real run will delete, skipping tables an earlier rule of the sweep emptied."""
    counts: dict[str, int] = {}
    forgotten = 0
    for entry in registry().entries:
        if tables is not None and entry.table not in tables:
            continue
        if entry.delete not in ("rows", "root", "forget"):
            continue
        found = _count(entry, [s for s in students if entry.table not in gone.get(s.id, ())])
        if entry.delete == "forget":
            forgotten += found
        elif found:
            counts[entry.table] = found
    if tables is None and forgotten:
        counts["audit"] = forgotten
    everything = {e.table for e in registry().entries}
    for student in students:
        gone.setdefault(student.id, set()).update(tables if tables is not None else everything)
    return counts


def sweep(actor, dry_run: bool = True, today: date | None = None) -> RetentionRun:
    """Records staff or the periodic job: apply (or with dry_run only report) every active rule of the district.
    Each rule is carried out for all its leavers at once (one statement per table where the registry allows)."""
    if not (policy.can_manage_records(actor) or "system" in actor.roles):
        raise NotFound()
    today = today or datetime.now(UTC).date()
    report: dict[str, dict] = {}
    gone: dict[int, set[str]] = {}
    rules = db.session.scalars(select(RetentionRule).where(RetentionRule.is_active).order_by(RetentionRule.id))
    for rule in rules:
        ids = leavers(today, rule.years_after_leaving)
        held = held_students(ids)
        students = list(accounts.users_by_id([i for i in ids if i not in held]).values())
        tables = _group_tables(rule.data_group)
        rows = _plan_counts(students, tables, gone) if dry_run else _delete(actor, students, tables)
        report[rule.data_group] = {
            "years": rule.years_after_leaving,
            "students": len(students),
            "held": len(held),
            "rows": rows,
        }
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


def _delete(actor, students, tables: set[str] | None) -> dict[str, int]:
    if not students:
        return {}
    if tables is not None:
        counts, _files = delete_students_data(students, tables)
        return {table: n for table, n in counts.items() if n}
    # The whole record: a receipt per student (the logs forget a student only while its deletion runs).
    receipts = [
        Deletion(district_id=actor.district_id, student_id=s.id, basis="retention", status="running") for s in students
    ]
    db.session.add_all(receipts)
    db.session.flush()
    counts, files = delete_students_data(students)
    now = datetime.now(UTC)
    for receipt in receipts:
        receipt.student_id, receipt.status, receipt.finished_at = None, "done", now
        receipt.receipt = {"basis": "retention", "batch": {"students": len(students), "rows": counts, "files": files}}
    return {table: n for table, n in counts.items() if n}


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
