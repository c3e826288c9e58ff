"""What a guardian's daily digest says about each student: new posted grades, missing work, work due soon.

A district-wide read for the digest job, so it is three set-based queries rather than a book per section. They
join the rosters' enrollments, the sections' names and the students' names in SQL (an exception import-linter
cannot see, listed in pyproject.toml). The rules are the book's: missing work is past due (the student's
extension, else the section's), not graded, not excused, not exempt, not handed in where there is a hand-in,
and due on a day the student was enrolled; only published work and posted grades appear."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from app import db
from app.gradebook.data import DigestItem, StudentDigest

GRADED_SQL = """
select g.student_id, g.section_id, g.assignment_id, a.title, s.name, sa.due_at, g.score, a.points_possible,
       g.letter, g.posted_at
from grades g
join assignments a on a.id = g.assignment_id
join assignment_sections sa on sa.assignment_id = g.assignment_id and sa.section_id = g.section_id
join sections s on s.id = g.section_id
where g.posted_at >= :since and g.posted_at < :until and (g.score is not null) and not g.is_excused
  and (cast(:ids as bigint[]) is null or g.student_id = any(cast(:ids as bigint[])))
order by g.posted_at
"""

# Missing: past due within the window, the student enrolled on the (local) due date.
MISSING_SQL = """
select e.student_id, sa.section_id, a.id, a.title, s.name, coalesce(o.due_at, sa.due_at) as due_at
from assignment_sections sa
join assignments a on a.id = sa.assignment_id
join sections s on s.id = sa.section_id
join enrollments e on e.section_id = sa.section_id
left join assignment_overrides o on o.assignment_id = a.id and o.student_id = e.student_id
left join grades g on g.assignment_id = a.id and g.student_id = e.student_id
where a.publish_at <= :until
  and coalesce(o.due_at, sa.due_at) >= :missing_since and coalesce(o.due_at, sa.due_at) < :until
  and e.added_on <= (coalesce(o.due_at, sa.due_at) at time zone :tz)::date
  and (e.dropped_on is null or (coalesce(o.due_at, sa.due_at) at time zone :tz)::date < e.dropped_on)
  and not coalesce(o.is_exempt, false)
  and (g.id is null or (g.score is null and not g.is_excused))
  and (a.submission_type = 'none' or not exists (
        select 1 from submissions x where x.assignment_id = a.id and x.student_id = e.student_id))
  and (cast(:ids as bigint[]) is null or e.student_id = any(cast(:ids as bigint[])))
order by due_at
"""

DUE_SQL = """
select e.student_id, sa.section_id, a.id, a.title, s.name, coalesce(o.due_at, sa.due_at) as due_at
from assignment_sections sa
join assignments a on a.id = sa.assignment_id
join sections s on s.id = sa.section_id
join enrollments e on e.section_id = sa.section_id and e.dropped_on is null
left join assignment_overrides o on o.assignment_id = a.id and o.student_id = e.student_id
left join grades g on g.assignment_id = a.id and g.student_id = e.student_id
where a.publish_at <= :until
  and coalesce(o.due_at, sa.due_at) >= :until and coalesce(o.due_at, sa.due_at) < :due_until
  and not coalesce(o.is_exempt, false)
  and (g.id is null or (g.score is null and not g.is_excused))
  and not exists (select 1 from submissions x where x.assignment_id = a.id and x.student_id = e.student_id)
  and (cast(:ids as bigint[]) is null or e.student_id = any(cast(:ids as bigint[])))
order by due_at
"""


def digest_items(
    district_id: int,
    since: datetime,
    until: datetime | None = None,
    student_ids: list[int] | None = None,
    due_within_days: int = 3,
    missing_within_days: int = 14,
) -> dict[int, StudentDigest]:
    """Platform jobs (the tenant set to `district_id`): per student, the grades posted in [since, until), work
    missing that was due in the `missing_within_days` before `until`, and published work due in the next
    `due_within_days`. Whether a guardian may see the grades is the caller's question (decision 0017)."""
    until = until or datetime.now(UTC)
    tz = db.session.execute(text("select time_zone from districts where id = :d"), {"d": district_id}).scalar()
    params = {
        "since": since,
        "until": until,
        "missing_since": until - timedelta(days=missing_within_days),
        "due_until": until + timedelta(days=due_within_days),
        "ids": list(student_ids) if student_ids is not None else None,
        "tz": tz or "America/New_York",
    }
    found: dict[int, StudentDigest] = {}

    def add(student_id: int, item: DigestItem) -> None:
        found.setdefault(student_id, StudentDigest(student_id, "")).items.append(item)

    for student, section, assignment, title, section_name, due, score, points, letter, posted in db.session.execute(
        text(GRADED_SQL), params
    ):
        add(
            student,
            DigestItem("graded", student, section, assignment, title, section_name, due, score, points, letter, posted),
        )
    for kind, sql in (("missing", MISSING_SQL), ("due_soon", DUE_SQL)):
        for student, section, assignment, title, section_name, due in db.session.execute(text(sql), params):
            add(student, DigestItem(kind, student, section, assignment, title, section_name, due))
    if found:
        names = db.session.execute(
            text("select id, display_name from users where id = any(cast(:ids as bigint[]))"), {"ids": list(found)}
        )
        for user_id, name in names:
            found[user_id].student_name = name
    return found
