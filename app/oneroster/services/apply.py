"""Writing a plan in one transaction: COPY into temp tables, then set-based upserts that touch only changed rows.

`on conflict (district_id, sourced_id) where sourced_id is not null` names the partial unique indexes; the
`where (...) is distinct from (...)` clause keeps an unchanged re-import from writing a single row.
"""

from __future__ import annotations

from sqlalchemy import text

from app import db
from app.oneroster.services.validate import Plan

TEMP = {
    "schools": "sourced_id text, name text, code text",
    "years": "sourced_id text, name text, starts_on date, ends_on date",
    "terms": "sourced_id text, year_sid text, name text, starts_on date, ends_on date",
    "courses": """sourced_id text, school_sid text, year_sid text, code text, name text, subject text,
                  grade_low smallint, grade_high smallint, is_active boolean""",
    "sections": """sourced_id text, course_sid text, term_sid text, school_sid text, name text, period text,
                   room text, is_archived boolean""",
    "users": """sourced_id text, display_name text, given_name text, family_name text, identifier text, email text,
                grade_level smallint, birth_date date, is_active boolean, preferred_given_name text,
                preferred_family_name text, pronouns text, master_identifier text, primary_school_sid text""",
    "memberships": "user_sid text, school_sid text, role text",
    "guardian_links": "guardian_sid text, student_sid text, relationship text",
    "section_teachers": "section_sid text, teacher_sid text, is_primary boolean",
    "enrollments": "sourced_id text, section_sid text, student_sid text, added_on date, dropped_on date",
}
UPSERT = {
    "schools": """
        insert into schools (district_id, sourced_id, name, code)
        select :d, sourced_id, name, code from tmp_or_schools
        on conflict (district_id, sourced_id) where sourced_id is not null do update
          set name = excluded.name, code = excluded.code
          where (schools.name, schools.code) is distinct from (excluded.name, excluded.code)""",
    # Years and terms: update, then insert the new ones. Their overlap triggers run BEFORE INSERT, so an
    # `insert ... on conflict` would see the proposed row overlap the very row it is about to update.
    "years": """
        update academic_years y set name = t.name, starts_on = t.starts_on, ends_on = t.ends_on
        from tmp_or_years t
        where y.district_id = :d and y.sourced_id = t.sourced_id
          and (y.name, y.starts_on, y.ends_on) is distinct from (t.name, t.starts_on, t.ends_on);
        insert into academic_years (district_id, sourced_id, name, starts_on, ends_on)
        select :d, t.sourced_id, t.name, t.starts_on, t.ends_on from tmp_or_years t
        where not exists (select 1 from academic_years y where y.district_id = :d and y.sourced_id = t.sourced_id)""",
    # A term moving its dates first shrinks to the part of its new dates it already covers: terms of a year may
    # not overlap at any moment, and a neighbour's new dates may reach into this one's old ones.
    "terms": """
        update terms x set starts_on = greatest(x.starts_on, t.starts_on), ends_on = least(x.ends_on, t.ends_on)
        from tmp_or_terms t
        where x.district_id = :d and x.sourced_id = t.sourced_id
          and greatest(x.starts_on, t.starts_on) < least(x.ends_on, t.ends_on)
          and (greatest(x.starts_on, t.starts_on), least(x.ends_on, t.ends_on))
            is distinct from (x.starts_on, x.ends_on);
        update terms x set academic_year_id = y.id, name = t.name, starts_on = t.starts_on, ends_on = t.ends_on
        from tmp_or_terms t join academic_years y on y.district_id = :d and y.sourced_id = t.year_sid
        where x.district_id = :d and x.sourced_id = t.sourced_id
          and (x.academic_year_id, x.name, x.starts_on, x.ends_on)
            is distinct from (y.id, t.name, t.starts_on, t.ends_on);
        insert into terms (district_id, sourced_id, academic_year_id, name, starts_on, ends_on)
        select :d, t.sourced_id, y.id, t.name, t.starts_on, t.ends_on
        from tmp_or_terms t join academic_years y on y.district_id = :d and y.sourced_id = t.year_sid
        where not exists (select 1 from terms x where x.district_id = :d and x.sourced_id = t.sourced_id)""",
    "courses": """
        insert into courses (district_id, sourced_id, school_id, academic_year_id, code, name, subject, grade_low,
                             grade_high, is_active)
        select :d, c.sourced_id, s.id, y.id, c.code, c.name, c.subject, c.grade_low, c.grade_high, c.is_active
        from tmp_or_courses c
        left join schools s on s.district_id = :d and s.sourced_id = c.school_sid
        left join academic_years y on y.district_id = :d and y.sourced_id = c.year_sid
        on conflict (district_id, sourced_id) where sourced_id is not null do update
          set school_id = excluded.school_id, academic_year_id = excluded.academic_year_id, code = excluded.code,
              name = excluded.name, subject = excluded.subject, grade_low = excluded.grade_low,
              grade_high = excluded.grade_high, is_active = excluded.is_active
          where (courses.school_id, courses.academic_year_id, courses.code, courses.name, courses.subject,
                 courses.grade_low, courses.grade_high, courses.is_active)
            is distinct from (excluded.school_id, excluded.academic_year_id, excluded.code, excluded.name,
                 excluded.subject, excluded.grade_low, excluded.grade_high, excluded.is_active)""",
    "sections": """
        insert into sections (district_id, sourced_id, course_id, term_id, school_id, name, period, room, is_archived)
        select :d, x.sourced_id, c.id, t.id, s.id, x.name, x.period, x.room, x.is_archived
        from tmp_or_sections x
        join courses c on c.district_id = :d and c.sourced_id = x.course_sid
        join terms t on t.district_id = :d and t.sourced_id = x.term_sid
        join schools s on s.district_id = :d and s.sourced_id = x.school_sid
        on conflict (district_id, sourced_id) where sourced_id is not null do update
          set course_id = excluded.course_id, term_id = excluded.term_id, school_id = excluded.school_id,
              name = excluded.name, period = excluded.period, room = excluded.room, is_archived = excluded.is_archived
          where (sections.course_id, sections.term_id, sections.school_id, sections.name, sections.period,
                 sections.room, sections.is_archived)
            is distinct from (excluded.course_id, excluded.term_id, excluded.school_id, excluded.name,
                 excluded.period, excluded.room, excluded.is_archived)""",
    "users": """
        insert into users (district_id, sourced_id, display_name, given_name, family_name, identifier, email,
                           grade_level, birth_date, is_active, preferred_given_name, preferred_family_name, pronouns,
                           master_identifier, primary_school_id)
        select :d, t.sourced_id, t.display_name, t.given_name, t.family_name, t.identifier, t.email, t.grade_level,
               t.birth_date, t.is_active, t.preferred_given_name, t.preferred_family_name, t.pronouns,
               t.master_identifier, s.id
        from tmp_or_users t left join schools s on s.district_id = :d and s.sourced_id = t.primary_school_sid
        on conflict (district_id, sourced_id) where sourced_id is not null do update
          set display_name = excluded.display_name, given_name = excluded.given_name,
              family_name = excluded.family_name, identifier = excluded.identifier, email = excluded.email,
              grade_level = excluded.grade_level, birth_date = excluded.birth_date, is_active = excluded.is_active,
              preferred_given_name = excluded.preferred_given_name,
              preferred_family_name = excluded.preferred_family_name, pronouns = excluded.pronouns,
              master_identifier = excluded.master_identifier, primary_school_id = excluded.primary_school_id
          where (users.display_name, users.given_name, users.family_name, users.identifier, users.email,
                 users.grade_level, users.birth_date, users.is_active, users.preferred_given_name,
                 users.preferred_family_name, users.pronouns, users.master_identifier, users.primary_school_id)
            is distinct from (excluded.display_name, excluded.given_name, excluded.family_name, excluded.identifier,
                 excluded.email, excluded.grade_level, excluded.birth_date, excluded.is_active,
                 excluded.preferred_given_name, excluded.preferred_family_name, excluded.pronouns,
                 excluded.master_identifier, excluded.primary_school_id)""",
    "memberships": """
        insert into memberships (district_id, user_id, school_id, role)
        select :d, u.id, s.id, m.role from tmp_or_memberships m
        join users u on u.district_id = :d and u.sourced_id = m.user_sid
        left join schools s on s.district_id = :d and s.sourced_id = m.school_sid
        on conflict do nothing""",
    "guardian_links": """
        insert into guardian_links (district_id, guardian_id, student_id, relationship)
        select :d, g.id, s.id, l.relationship from tmp_or_guardian_links l
        join users g on g.district_id = :d and g.sourced_id = l.guardian_sid
        join users s on s.district_id = :d and s.sourced_id = l.student_sid
        on conflict (district_id, guardian_id, student_id) do nothing""",
    "section_teachers": """
        insert into section_teachers (district_id, section_id, teacher_id, is_primary)
        select :d, x.id, u.id, t.is_primary from tmp_or_section_teachers t
        join sections x on x.district_id = :d and x.sourced_id = t.section_sid
        join users u on u.district_id = :d and u.sourced_id = t.teacher_sid
        on conflict (district_id, section_id, teacher_id) do update set is_primary = excluded.is_primary
          where section_teachers.is_primary is distinct from excluded.is_primary""",
    "enrollments": """
        insert into enrollments (district_id, sourced_id, section_id, student_id, added_on, dropped_on)
        select :d, e.sourced_id, x.id, u.id, e.added_on, e.dropped_on from tmp_or_enrollments e
        join sections x on x.district_id = :d and x.sourced_id = e.section_sid
        join users u on u.district_id = :d and u.sourced_id = e.student_sid
        on conflict (district_id, sourced_id) where sourced_id is not null do update
          set section_id = excluded.section_id, student_id = excluded.student_id, added_on = excluded.added_on,
              dropped_on = excluded.dropped_on
          where (enrollments.section_id, enrollments.student_id, enrollments.added_on, enrollments.dropped_on)
            is distinct from (excluded.section_id, excluded.student_id, excluded.added_on, excluded.dropped_on)""",
}
# Records Chalkline already holds without a sourcedId are taken over rather than duplicated.
ADOPT = {
    "users": """
        update users u set sourced_id = t.sourced_id from tmp_or_users t
        where u.district_id = :d and u.sourced_id is null and t.email is not null and lower(u.email) = lower(t.email)
          and not exists (select 1 from users o where o.district_id = :d and o.sourced_id = t.sourced_id)""",
    "enrollments": """
        update enrollments e set sourced_id = t.sourced_id from tmp_or_enrollments t
        join sections x on x.district_id = :d and x.sourced_id = t.section_sid
        join users u on u.district_id = :d and u.sourced_id = t.student_sid
        where e.district_id = :d and e.sourced_id is null and e.dropped_on is null and t.dropped_on is null
          and e.section_id = x.id and e.student_id = u.id
          and not exists (select 1 from enrollments o where o.district_id = :d and o.sourced_id = t.sourced_id)""",
}
DEACTIVATE = {
    "courses": "update courses set is_active = false where district_id = :d and sourced_id = any(:keys)",
    "sections": "update sections set is_archived = true where district_id = :d and sourced_id = any(:keys)",
    "users": "update users set is_active = false where district_id = :d and sourced_id = any(:keys)",
    "enrollments": """update enrollments set dropped_on = greatest(current_date, added_on)
                      where district_id = :d and sourced_id = any(:keys) and dropped_on is null""",
}
REMOVE = {
    "memberships": """
        delete from memberships m using tmp_or_memberships d
        join users u on u.district_id = :d and u.sourced_id = d.user_sid
        left join schools s on s.district_id = :d and s.sourced_id = d.school_sid
        where m.district_id = :d and m.user_id = u.id and m.school_id is not distinct from s.id and m.role = d.role""",
    "guardian_links": """
        delete from guardian_links l using tmp_or_guardian_links d
        join users g on g.district_id = :d and g.sourced_id = d.guardian_sid
        join users s on s.district_id = :d and s.sourced_id = d.student_sid
        where l.district_id = :d and l.guardian_id = g.id and l.student_id = s.id""",
    "section_teachers": """
        delete from section_teachers t using tmp_or_section_teachers d
        join sections x on x.district_id = :d and x.sourced_id = d.section_sid
        join users u on u.district_id = :d and u.sourced_id = d.teacher_sid
        where t.district_id = :d and t.section_id = x.id and t.teacher_id = u.id""",
}
ORDER = (
    "schools",
    "years",
    "terms",
    "courses",
    "sections",
    "users",
    "memberships",
    "guardian_links",
    "section_teachers",
    "enrollments",
)


def _load(entity: str, rows) -> None:
    """Fill a fresh temp table for `entity` by COPY (dropped at commit; dropped first if a savepoint kept it)."""
    table = f"tmp_or_{entity}"
    db.session.execute(text(f"drop table if exists {table}"))
    db.session.execute(text(f"create temp table {table} ({TEMP[entity]}) on commit drop"))
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"copy {table} from stdin") as copy:
        for row in rows:
            copy.write_row(row)


def apply_plan(plan: Plan, district_id: int) -> None:
    """Write the plan in the caller's transaction; the caller commits (or rolls everything back). It reports no
    progress: the job tracker commits what it reports, and this must stay one transaction."""
    params = {"d": district_id}
    if plan.district_sid:
        db.session.execute(
            text("update districts set sourced_id = :sid where id = :d and sourced_id is distinct from :sid"),
            params | {"sid": plan.district_sid},
        )
    for table, adopted in (
        ("schools", plan.adopt_schools),
        ("academic_years", plan.adopt_years),
        ("terms", plan.adopt_terms),
    ):
        for sid, record_id in adopted.items():
            db.session.execute(
                text(f"update {table} set sourced_id = :sid where id = :id"), {"sid": sid, "id": record_id}
            )
    if plan.deactivate["enrollments"]:
        db.session.execute(text(DEACTIVATE["enrollments"]), params | {"keys": sorted(plan.deactivate["enrollments"])})
    for entity in ORDER:
        targets = plan.targets[entity]
        if targets:
            _load(
                entity,
                ((*key, *values) if isinstance(key, tuple) else (key, *values) for key, values in targets.items()),
            )
            if entity in ADOPT:
                db.session.execute(text(ADOPT[entity]), params)
            for statement in UPSERT[entity].split(";"):
                db.session.execute(text(statement), params)
        removed = plan.deactivate[entity]
        if removed and entity in REMOVE:
            _load(entity, (key + (None,) * (len(TEMP[entity].split(",")) - len(key)) for key in removed))
            db.session.execute(text(REMOVE[entity]), params)
        elif removed and entity in DEACTIVATE and entity != "enrollments":
            db.session.execute(text(DEACTIVATE[entity]), params | {"keys": sorted(removed)})
