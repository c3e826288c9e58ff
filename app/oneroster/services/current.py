"""The district's roster as it stands, in the same shape the import builds its targets in (and export writes).

Each entity maps its key (OneRoster sourcedIds) to a tuple of values; references are sourcedIds, not ids,
so a file and the database compare field by field.
"""

from __future__ import annotations

from sqlalchemy import text

from app import db

QUERIES = {
    "schools": "select sourced_id, name, code from schools where sourced_id is not null",
    "years": "select sourced_id, name, starts_on, ends_on from academic_years where sourced_id is not null",
    "terms": """select t.sourced_id, y.sourced_id, t.name, t.starts_on, t.ends_on from terms t
                join academic_years y on y.id = t.academic_year_id where t.sourced_id is not null""",
    "courses": """select c.sourced_id, s.sourced_id, y.sourced_id, c.code, c.name, c.subject, c.grade_low,
                  c.grade_high, c.is_active from courses c left join schools s on s.id = c.school_id
                  left join academic_years y on y.id = c.academic_year_id where c.sourced_id is not null""",
    "sections": """select x.sourced_id, c.sourced_id, t.sourced_id, s.sourced_id, x.name, x.period, x.room,
                   x.is_archived from sections x join courses c on c.id = x.course_id join terms t on t.id = x.term_id
                   join schools s on s.id = x.school_id where x.sourced_id is not null""",
    "users": """select u.sourced_id, u.display_name, u.given_name, u.family_name, u.identifier, u.email, u.grade_level,
                u.birth_date, u.is_active, u.preferred_given_name, u.preferred_family_name, u.pronouns,
                u.master_identifier, s.sourced_id from users u left join schools s on s.id = u.primary_school_id
                where u.sourced_id is not null""",
    "enrollments": """select e.sourced_id, x.sourced_id, u.sourced_id, e.added_on, e.dropped_on from enrollments e
                      join sections x on x.id = e.section_id join users u on u.id = e.student_id
                      where e.sourced_id is not null""",
}
# Only the records of these sourcedIds (a delta file's), instead of the whole district's.
ONLY = {
    "users": " and u.sourced_id = any(:sids)",
    "enrollments": " and e.sourced_id = any(:sids)",
    "memberships": " and u.sourced_id = any(:sids)",
    "guardian_links": " and (g.sourced_id = any(:sids) or s.sourced_id = any(:sids))",
}
# Sets of tuples rather than keyed rows: their identity is the tuple.
SET_QUERIES = {
    "memberships": """select u.sourced_id, s.sourced_id, m.role from memberships m join users u on u.id = m.user_id
                      left join schools s on s.id = m.school_id where u.sourced_id is not null""",
    "guardian_links": """select g.sourced_id, s.sourced_id, l.relationship from guardian_links l
                         join users g on g.id = l.guardian_id join users s on s.id = l.student_id
                         where g.sourced_id is not null and s.sourced_id is not null""",
    "section_teachers": """select x.sourced_id, u.sourced_id, st.is_primary from section_teachers st
                           join sections x on x.id = st.section_id join users u on u.id = st.teacher_id
                           where x.sourced_id is not null and u.sourced_id is not null""",
}


def _shared(values, strings: dict | None) -> tuple:
    """A row's values with each repeated one (a section's sourcedId, a date) one shared object: a district's
    enrollments name a few thousand sections and dates hundreds of thousands of times."""
    if strings is None:
        return tuple(values)
    return tuple(strings.setdefault(v, v) if v is not None and not isinstance(v, bool) else v for v in values)


def _stream(sql: str, params: dict | None = None):
    """Rows fetched in batches from a server-side cursor: a district's enrollments never sit in memory twice."""
    return db.session.execute(text(sql), params or {}, execution_options={"stream_results": True, "yield_per": 5000})


def _only(entity: str, sql: str, sids) -> tuple[str, dict]:
    if sids is None:
        return sql, {}
    return sql + ONLY[entity], {"sids": sorted(sids)}


def keyed(entity: str, strings: dict | None = None, sids=None) -> dict[str, tuple]:
    """sourcedId -> values of an entity's sourced records (all of them, or those of `sids`)."""
    rows = (_shared(row, strings) for row in _stream(*_only(entity, QUERIES[entity], sids)))
    return {row[0]: row[1:] for row in rows}


def pairs(entity: str, strings: dict | None = None, sids=None) -> dict[tuple, tuple]:
    """(first sid, second sid) -> the remaining values; a membership's role is part of its key. With `sids`,
    only the pairs of those people."""
    size = 3 if entity == "memberships" else 2
    return {
        _shared(row[:size], strings): tuple(row[size:]) for row in _stream(*_only(entity, SET_QUERIES[entity], sids))
    }


def sourced_ids(table: str) -> set[str]:
    """Every sourcedId a table holds (users, to check a delta's references without loading everyone)."""
    return set(db.session.execute(text(f"select sourced_id from {table} where sourced_id is not null")).scalars())


def district_sourced_id() -> str | None:
    return db.session.execute(text("select sourced_id from districts")).scalar()


def section_term_starts() -> dict:
    return dict(
        db.session.execute(
            text("""select x.sourced_id, t.starts_on from sections x join terms t on t.id = x.term_id
                    where x.sourced_id is not null""")
        ).all()
    )


def unsourced_schools_by_code() -> dict[str, int]:
    return dict(db.session.execute(text("select code, id from schools where sourced_id is null")).all())


def emails_in_district() -> dict[str, str | None]:
    """lower(email) -> that user's sourcedId (None for accounts made in Chalkline)."""
    return dict(db.session.execute(text("select lower(email), sourced_id from users where email is not null")).all())


def emails_elsewhere(emails: list[str], district_id: int) -> set[str]:
    """Which of these addresses belong to an account of another district (addresses are unique platform-wide)."""
    if not emails:
        return set()
    rows = db.session.execute(
        text("""select e from unnest(cast(:emails as text[])) e
                where exists (select 1 from auth_lookup_user(e) a where a.district_id <> :district)"""),
        {"emails": emails, "district": district_id},
    )
    return {row[0] for row in rows}


def unsourced_years() -> list[tuple]:
    """(id, name, starts_on, ends_on) of the school years made in Chalkline (no sourcedId)."""
    sql = "select id, name, starts_on, ends_on from academic_years where sourced_id is null"
    return [tuple(r) for r in db.session.execute(text(sql))]


def unsourced_terms(year_ids: list[int]) -> list[tuple]:
    """(id, year id, name, starts_on, ends_on) of the terms made in Chalkline in these years."""
    sql = """select id, academic_year_id, name, starts_on, ends_on from terms
             where sourced_id is null and academic_year_id = any(:ids)"""
    return [tuple(r) for r in db.session.execute(text(sql), {"ids": year_ids})]


def unsourced(table: str) -> list[tuple]:
    """Rows made in Chalkline (no sourcedId) whose names or dates may collide with imported ones."""
    sql = {
        "years": "select name, starts_on, ends_on from academic_years where sourced_id is null",
        "courses": """select coalesce(s.sourced_id, ''), coalesce(y.sourced_id, ''), c.code from courses c
                      left join schools s on s.id = c.school_id left join academic_years y on y.id = c.academic_year_id
                      where c.sourced_id is null""",
    }[table]
    return [tuple(r) for r in db.session.execute(text(sql))]
