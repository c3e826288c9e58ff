"""Seeded curriculum: units and lessons for the current year's courses, each with a few versions, templates, and
(for the demo teacher) a mix of drafts, published and shared plans. Set-based SQL, so `--size large` makes about
200,000 lessons in well under a minute; the same size always makes the same text.

Documents are the rich-text pipeline's shape reduced to paragraphs: {"version": 1, "blocks": [{"id", "type": "p",
"html"}]}.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from app import db


@dataclass(frozen=True)
class PlanSize:
    units_per_course: int
    lessons_per_unit: int


PLAN_SIZES = {"demo": PlanSize(3, 5), "small": PlanSize(3, 5), "large": PlanSize(20, 17)}

TOPICS = [
    "Patterns in nature",
    "Forces and motion",
    "Fractions on a number line",
    "Ecosystems and food webs",
    "Narrative writing",
    "The water cycle",
    "Place value",
    "Poetry and figurative language",
    "Maps and globes",
    "Light and shadows",
    "Measurement and data",
    "Community helpers",
    "Geometry in the world",
    "Weather and climate",
    "Reading informational text",
    "Early civilizations",
    "Energy transfer",
    "Ratios and rates",
    "Argument writing",
    "Cells and organisms",
]
ACTIVITIES = [
    "Students work in pairs to sort examples and explain their reasoning",
    "A gallery walk with sticky-note feedback on each poster",
    "Think-pair-share on the opening question, then a class chart",
    "Stations: read, build, draw and discuss, ten minutes each",
    "A short investigation with a recording sheet and a shared conclusion",
    "Reader's theater in small groups, then a reflection",
]
OBJECTIVES = [
    "explain the main idea using evidence from the lesson",
    "compare two examples and describe how they differ",
    "use new vocabulary correctly in a sentence",
    "solve three practice problems and check one with a partner",
    "ask and answer questions about the topic",
]


def _pick(array: str, index: str) -> str:
    """SQL: the element of the text-array parameter `array` at `index`, wrapping around."""
    return f"(cast(:{array} as text[]))[1 + ({index}) % cardinality(cast(:{array} as text[]))]"


# One paragraph document from an SQL text expression.
# Block ids are the pipeline's shape ("b-" and 8 of [a-z0-9]), derived from a name so that a seed is repeatable.
_DOC = (
    "jsonb_build_object('version', 1, 'blocks', jsonb_build_array(jsonb_build_object("
    "'id', 'b-' || substr(md5({id}), 1, 8), 'type', 'p', 'html', {html})))"
)


def _doc(block_id: str, html: str) -> str:
    return _DOC.format(id=block_id, html=html)


UNITS_SQL = f"""
with owners as (
  select distinct on (s.course_id) s.course_id, st.teacher_id
  from sections s join section_teachers st on st.section_id = s.id
  join terms t on t.id = s.term_id join academic_years y on y.id = t.academic_year_id
  where y.is_current and not s.is_archived
  order by s.course_id, st.is_primary desc, s.id
)
insert into units (district_id, course_id, school_id, owner_id, title, summary, big_ideas, essential_questions,
                   duration_days, position, visibility, version, revision, published_version, published_title,
                   published_text, language, plain_text)
select :d, c.id, c.school_id, o.teacher_id, topic, summary, ideas, questions, 10 + (n % 3) * 5, n,
       (array['school', 'district', 'private'])[1 + (c.id + n) % 3], 2, 2,
       case when (c.id + n) % 3 = 2 then null else 2 end,
       case when (c.id + n) % 3 = 2 then null else topic end,
       case when (c.id + n) % 3 = 2 then null else plain end,
       'english', plain
from courses c join owners o on o.course_id = c.id
cross join generate_series(1, :units) as n
cross join lateral (select {_pick("topics", "c.id * 7 + n")} as topic) t
cross join lateral (select
  {_doc("'b-s' || n", "'In this unit students explore ' || lower(topic) || ' through hands-on work.'")} as summary,
  {_doc("'b-i' || n", "'Big idea: ' || topic || ' connects to what students see every day.'")} as ideas,
  {_doc("'b-q' || n", "'How does ' || lower(topic) || ' shape the world around us?'")} as questions,
  'In this unit students explore ' || lower(topic) || ' through hands-on work. Big idea: ' || topic
    || ' connects to what students see every day.' as plain) content
returning id
"""

LESSONS_SQL = f"""
insert into lessons (district_id, unit_id, course_id, school_id, owner_id, title, sections, duration_minutes, position,
                     visibility, version, revision, published_version, published_title, published_text, language,
                     plain_text)
select :d, u.id, u.course_id, u.school_id, u.owner_id, lesson_title, sections, 45, n, u.visibility, v, v,
       case when (u.id + n) % 4 = 3 then null else v end,
       case when (u.id + n) % 4 = 3 then null else lesson_title end,
       case when (u.id + n) % 4 = 3 then null else plain end,
       'english', plain
from units u
cross join generate_series(1, :lessons) as n
cross join lateral (select u.title || ': lesson ' || n as lesson_title, 2 + (u.id + n) % 2 as v,
                           {_pick("objectives", "u.id + n")} as objective,
                           {_pick("activities", "u.id * 3 + n")} as activity) l
cross join lateral (select jsonb_build_object(
    'objectives', {_doc("'b-o' || n", "'Students will ' || objective || '.'")},
    'warm_up', {_doc("'b-w' || n", "'Quick write: what do you already know about ' || lower(u.title) || '?'")},
    'activities', {_doc("'b-a' || n", "activity || '.'")},
    'assessment', {_doc("'b-e' || n", "'Exit ticket: one thing learned, one question.'")}) as sections,
    'Students will ' || objective || '. Quick write: what do you already know about ' || lower(u.title)
      || '? ' || activity || '. Exit ticket: one thing learned, one question.' as plain) content
where u.district_id = :d
"""

# Every unit gets versions 1 (created) and 2; every lesson versions 1..version, the last one its current content.
UNIT_VERSIONS_SQL = """
insert into content_versions (district_id, item_type, item_id, number, snapshot, author_id, note, created_at,
                              updated_at)
select :d, 'unit', u.id, n,
       jsonb_build_object('title', u.title, 'summary', u.summary, 'big_ideas', u.big_ideas,
                          'essential_questions',
                          case when n = 1 then '{"version": 1, "blocks": []}'::jsonb else u.essential_questions end,
                          'duration_days', u.duration_days, 'visibility', u.visibility),
       u.owner_id, case when n = 1 then 'Created' else 'Added the essential question' end,
       now() - interval '20 days' + n * interval '2 days', now() - interval '20 days' + n * interval '2 days'
from units u cross join generate_series(1, 2) as n
where u.district_id = :d
"""
LESSON_VERSIONS_SQL = """
insert into content_versions (district_id, item_type, item_id, number, snapshot, author_id, note, is_autosave,
                              autosave_count, created_at, updated_at)
select :d, 'lesson', l.id, n,
       jsonb_build_object('title', l.title, 'duration_minutes', l.duration_minutes, 'visibility', l.visibility,
                          'unit_id', l.unit_id,
                          'sections', case when n < l.version then l.sections - 'assessment' else l.sections end),
       l.owner_id,
       case when n = 1 then 'Created' when n = l.version then 'Added the exit ticket' else null end,
       false, case when n between 2 and l.version - 1 then 3 else 0 end,
       now() - interval '10 days' + n * interval '1 day', now() - interval '10 days' + n * interval '1 day'
from lessons l cross join lateral generate_series(1, l.version) as n
where l.district_id = :d
"""
TEMPLATES_SQL = f"""
insert into content_templates (district_id, school_id, kind, title, description, body, language, plain_text)
values
  (:d, null, 'lesson', '5E lesson', 'Engage, explore, explain, elaborate, evaluate',
   jsonb_build_object('duration_minutes', 50, 'sections', jsonb_build_object(
     'warm_up', {_doc("'b-t1'", "'Engage: a question or a surprising picture.'")},
     'instruction', {_doc("'b-t2'", "'Explore, then explain: students investigate before the vocabulary.'")},
     'activities', {_doc("'b-t3'", "'Elaborate: apply the idea to a new case.'")},
     'assessment', {_doc("'b-t4'", "'Evaluate: exit ticket.'")})),
   'english', 'Engage: a question or a surprising picture. Explore, then explain. Elaborate. Evaluate: exit ticket.'),
  (:d, :school, 'lesson', 'Gradual release lesson', 'I do, we do, you do',
   jsonb_build_object('duration_minutes', 45, 'sections', jsonb_build_object(
     'instruction', {_doc("'b-g1'", "'I do: model the skill and think aloud.'")},
     'activities', {_doc("'b-g2'", "'We do, then you do: guided then independent practice.'")})),
   'english', 'I do: model the skill and think aloud. We do, then you do.'),
  (:d, null, 'unit', 'Unit plan', 'Understanding by design',
   jsonb_build_object('duration_days', 15,
     'summary', {_doc("'b-u1'", "'Desired results: what students will understand.'")},
     'big_ideas', {_doc("'b-u2'", "'Transfer goals and enduring understandings.'")},
     'essential_questions', {_doc("'b-u3'", "'Open questions that drive the unit.'")}),
   'english', 'Desired results: what students will understand. Transfer goals and enduring understandings.')
returning id
"""
TEMPLATE_VERSIONS_SQL = """
insert into content_versions (district_id, item_type, item_id, number, snapshot, note)
select :d, 'template', t.id, 1,
       jsonb_build_object('kind', t.kind, 'title', t.title, 'description', t.description, 'body', t.body), 'Created'
from content_templates t where t.district_id = :d
"""

# Each open section of the current year plans its course's lessons (the ones its own teacher wrote) in order,
# every third one over two class days, from the Monday a week before the seed ran (when that is in the term; else
# from the term's start): so the planner and the home page's "today" have something on them.
PLANNER_SQL = """
insert into planner_entries (district_id, section_id, lesson_id, position, days, not_before, created_by)
select :d, s.id, l.id, row_number() over (partition by s.id order by u.position, l.position),
       case when l.position % 3 = 0 then 2 else 1 end,
       case when u.position = 1 and l.position = 1 and current_date between t.starts_on and t.ends_on
            then greatest(t.starts_on, date_trunc('week', current_date)::date - 7) end,
       l.owner_id
from sections s
join terms t on t.id = s.term_id join academic_years y on y.id = t.academic_year_id
join section_teachers st on st.section_id = s.id
join units u on u.course_id = s.course_id and u.owner_id = st.teacher_id
join lessons l on l.unit_id = u.id
where s.district_id = :d and y.is_current and not s.is_archived and st.is_primary
  and u.position <= :planned_units
"""


def seed_curriculum(district_id: int, size: str, school_id: int) -> dict[str, int]:
    """Units, lessons, their versions and templates for the district's current courses (runs under its tenant)."""
    plan = PLAN_SIZES[size]
    params = {
        "d": district_id,
        "units": plan.units_per_course,
        "lessons": plan.lessons_per_unit,
        "topics": TOPICS,
        "objectives": OBJECTIVES,
        "activities": ACTIVITIES,
        "school": school_id,
    }
    sess = db.session
    units = sess.execute(text(UNITS_SQL), params).all()
    sess.execute(text(LESSONS_SQL), params)
    sess.execute(text(UNIT_VERSIONS_SQL), params)
    sess.execute(text(LESSON_VERSIONS_SQL), params)
    sess.execute(text(TEMPLATES_SQL), params)
    sess.execute(text(TEMPLATE_VERSIONS_SQL), params)
    sess.execute(text(PLANNER_SQL), {**params, "planned_units": min(plan.units_per_course, 4)})
    lessons = sess.execute(text("select count(*) from lessons where district_id = :d"), params).scalar()
    return {"units": len(units), "lessons": lessons or 0}
