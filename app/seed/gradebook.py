"""Gradebook data for a seeded district: categories, grading periods, assignments for every current section,
submissions and grades (some late, some missing, some excused), one held column and one mid-term transfer.

Set-based SQL under the district's tenant, like the rest of the seed; deterministic (hashes of ids, not random
numbers). Grades exist only for work due before today and inside each student's enrollment."""

from __future__ import annotations

from sqlalchemy import text

from app import db

PER_TERM = {"demo": 12, "small": 16, "large": 40}
# The large seed keeps no history rows for its generated grades (millions of rows for no page that shows them).
WITH_HISTORY = {"demo", "small"}

SETUP_SQL = """
insert into grading_policies (district_id, missing_counts_as, late_penalty_per_day, late_floor, decimals)
values (:d, 'zero', 10, 50, 2);

insert into grading_categories (district_id, course_id, name, weight, drop_lowest, position)
select :d, c.id, v.name, v.weight, v.drop_lowest, v.position
from courses c
join academic_years y on y.id = c.academic_year_id and y.is_current
cross join (values ('Homework', 30, 1, 0), ('Quizzes', 30, 0, 1), ('Tests', 40, 0, 2))
  as v(name, weight, drop_lowest, position)
where c.district_id = :d and exists (select 1 from sections s where s.course_id = c.id);

-- The first term of the current year in quarters and an exam week (40/40/20); the second stays one period.
insert into grading_periods (district_id, term_id, name, starts_on, ends_on, weight, position)
select :d, t.id, p.name, p.starts_on, p.ends_on, p.weight, p.position
from (select t.* from terms t join academic_years y on y.id = t.academic_year_id and y.is_current
      where t.district_id = :d order by t.starts_on limit 1) t
cross join lateral (values
  ('Q1', t.starts_on, t.starts_on + 59, 40, 0),
  ('Q2', t.starts_on + 60, t.ends_on - 7, 40, 1),
  ('Final exam', t.ends_on - 6, t.ends_on, 20, 2)) as p(name, starts_on, ends_on, weight, position);
"""

# The demo teacher's first section gets a student who moved in six weeks into the term (dropped from another
# section of the course if there is one).
TRANSFER_SQL = """
with first as (
  select s.id, s.course_id, t.starts_on from sections s
  join terms t on t.id = s.term_id join academic_years y on y.id = t.academic_year_id and y.is_current
  join section_teachers st on st.section_id = s.id
  join users u on u.id = st.teacher_id and u.email = :teacher
  where s.district_id = :d order by t.starts_on, s.id limit 1
), mover as (
  select e.id, e.student_id, first.id as section_id, first.course_id, first.starts_on from enrollments e
  join first on first.id = e.section_id
  join users u on u.id = e.student_id and u.email not like 'student@%'
  order by e.student_id desc limit 1
), moved as (
  update enrollments e set added_on = mover.starts_on + 42 from mover where e.id = mover.id
  returning mover.student_id, mover.section_id, mover.course_id, mover.starts_on
)
insert into enrollments (district_id, section_id, student_id, added_on, dropped_on)
select :d, s.id, moved.student_id, moved.starts_on - 7, moved.starts_on + 42
from moved join sections s on s.course_id = moved.course_id and s.id <> moved.section_id
where not exists (select 1 from enrollments e where e.section_id = s.id and e.student_id = moved.student_id)
order by s.id limit 1
"""

ASSIGNMENTS_SQL = """
create temp table seed_assignments on commit drop as
select nextval('assignments_id_seq') as id, s.id as section_id, s.course_id, st.teacher_id as owner_id, n,
       (t.starts_on + ((t.ends_on - t.starts_on) * n / (:per_term + 1)))::date as due_on,
       case when n % 5 = 0 then 2 when n % 2 = 0 then 1 else 0 end as kind
from sections s
join terms t on t.id = s.term_id
join academic_years y on y.id = t.academic_year_id and y.is_current
join section_teachers st on st.section_id = s.id and st.is_primary
cross join generate_series(1, :per_term) as n
where s.district_id = :d and not s.is_archived;

insert into assignments (id, district_id, course_id, owner_id, category_id, title, points_possible, grading_type,
                         submission_type, publish_at, instructions)
select a.id, :d, a.course_id, a.owner_id, c.id,
       (array['Homework', 'Quiz', 'Unit test'])[a.kind + 1] || ' ' || a.n,
       (array[10, 20, 100])[a.kind + 1], 'points',
       case when a.kind = 0 and a.n % 3 = 1 then 'text' else 'none' end,
       (a.due_on - 7)::timestamp at time zone :tz,
       jsonb_build_object('version', 1, 'blocks', jsonb_build_array(jsonb_build_object(
         'id', 'b' || a.id, 'type', 'paragraph', 'html', 'Complete the problems on the worksheet and show your work.')))
from seed_assignments a
left join grading_categories c on c.course_id = a.course_id and c.section_id is null and c.position = a.kind;

insert into assignment_sections (district_id, assignment_id, section_id, due_at, lock_at)
select :d, id, section_id, (due_on + time '23:59')::timestamp at time zone :tz,
       (due_on + 7 + time '23:59')::timestamp at time zone :tz
from seed_assignments;
"""

# h: 0-99 per student and assignment; ability: a student's level. 5 % missing, 3 % excused, 10 % of hand-ins late.
GRADES_SQL = """
create temp table seed_cells on commit drop as
select a.id as assignment_id, a.section_id, e.student_id, a.due_on, a.kind, p.points_possible, p.submission_type,
       abs(hashtext(a.id::text || ':' || e.student_id::text)) % 100 as h,
       abs(hashtext(e.student_id::text)) % 30 as ability
from seed_assignments a
join assignments p on p.id = a.id
join enrollments e on e.section_id = a.section_id
where a.due_on < current_date and e.added_on <= a.due_on and (e.dropped_on is null or a.due_on < e.dropped_on);

insert into grades (district_id, assignment_id, section_id, student_id, score, is_excused, comment, posted_at,
                    graded_by, updated_at)
select :d, c.assignment_id, c.section_id, c.student_id,
       case when c.h between 5 and 7 then null
            else round(c.points_possible * least(100, 58 + c.ability + (c.h * 7) % 16) / 100.0, 1) end,
       c.h between 5 and 7,
       case when c.h % 17 = 0 then 'Good work. Show every step next time.' else '' end,
       (c.due_on + 2)::timestamp at time zone :tz,
       a.owner_id,
       (c.due_on + 2)::timestamp at time zone :tz
from seed_cells c join seed_assignments a on a.id = c.assignment_id
where c.h >= 5;

insert into submissions (district_id, assignment_id, section_id, student_id, attempt, body, submitted_at)
select :d, c.assignment_id, c.section_id, c.student_id, 1,
       jsonb_build_object('version', 1, 'blocks', jsonb_build_array(jsonb_build_object(
         'id', 's' || c.assignment_id || '-' || c.student_id, 'type', 'paragraph',
         'html', 'My answers are attached.'))),
       case when c.h % 10 = 9 then (c.due_on + 2 + time '16:30')::timestamp at time zone :tz
            else (c.due_on + time '19:00')::timestamp at time zone :tz end
from seed_cells c
where c.submission_type = 'text' and c.h >= 8;
"""

HELD_SQL = """
with target as (
  select sa.assignment_id from assignment_sections sa
  join section_teachers st on st.section_id = sa.section_id
  join users u on u.id = st.teacher_id and u.email = :teacher
  where sa.due_at < now() order by sa.due_at desc limit 1
)
update assignments set is_held = true where id in (select assignment_id from target);

update grades g set posted_at = null from assignments a where a.id = g.assignment_id and a.is_held;
"""

HISTORY_SQL = """
insert into grade_history (district_id, grade_id, assignment_id, student_id, changed_by, old, new, created_at)
select :d, g.id, g.assignment_id, g.student_id, g.graded_by, null,
       jsonb_build_object('score', g.score::text, 'letter', null, 'excused', g.is_excused, 'missing', false,
                          'comment', g.comment),
       g.updated_at
from grades g where g.district_id = :d
"""


def seed_gradebook(district_id: int, size: str, time_zone: str, teacher_email: str | None) -> dict[str, int]:
    """The gradebook of the district's current sections (runs under its tenant)."""
    params = {"d": district_id, "per_term": PER_TERM[size], "tz": time_zone, "teacher": teacher_email or ""}
    sess = db.session
    scripts = [SETUP_SQL, TRANSFER_SQL if teacher_email else "", ASSIGNMENTS_SQL, GRADES_SQL, HELD_SQL]
    if size in WITH_HISTORY:
        scripts.append(HISTORY_SQL)
    for script in scripts:
        # One statement per execute: a statement with parameters cannot carry a second one.
        for statement in (part.strip() for part in script.split(";\n\n")):
            if statement:
                sess.execute(text(statement), params)
    counts = sess.execute(
        text(
            "select (select count(*) from assignments where district_id = :d),"
            " (select count(*) from grades where district_id = :d),"
            " (select count(*) from submissions where district_id = :d)"
        ),
        params,
    ).one()
    sess.execute(text("drop table if exists seed_cells"))
    sess.execute(text("drop table if exists seed_assignments"))
    return {"assignments": counts[0], "grades": counts[1], "submissions": counts[2]}
