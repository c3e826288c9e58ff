"""The demo seed gives the demo teacher's sections a gradebook with something on every page."""

from __future__ import annotations

from sqlalchemy import text

from app import db
from app.accounts.services import actor_for_user
from app.gradebook import services
from app.seed import run_seed


def test_the_demo_teachers_section_has_grades_missing_late_excused_held_work_and_a_transfer(_db_transaction):
    run_seed("demo")
    teacher_id, district_id = db.session.execute(
        text("select user_id, district_id from auth_lookup_user('teacher@demo.chalkline.test')")
    ).one()
    db.set_tenant(district_id, teacher_id, "teacher")
    actor = actor_for_user(district_id, teacher_id)
    section_id = db.session.execute(
        text(
            "select s.id from sections s join section_teachers st on st.section_id = s.id"
            " join terms t on t.id = s.term_id where st.teacher_id = :t order by t.starts_on, s.id limit 1"
        ),
        {"t": teacher_id},
    ).scalar()
    page = services.gradebook_page(actor, section_id)
    cells = [cell for _row, line in page.rows for cell in line]
    assert len(page.columns) == 12
    assert any(c.missing for c in cells) and any(c.excused for c in cells) and any(c.score is not None for c in cells)
    assert any(c.score is not None and not c.posted for c in cells)  # the held column
    assert any(column.is_held for column in page.columns)
    assert all(row.percent is not None for row, _line in page.rows)
    transfer = [row for row, _line in page.rows if row.joined_late]
    assert len(transfer) == 1
    index = page.rows.index(next(pair for pair in page.rows if pair[0] is transfer[0]))
    joined = transfer[0].spans[-1].added_on
    for column, cell in zip(page.columns, page.rows[index][1], strict=True):
        if column.due_at is not None and column.due_at.date() < joined:
            assert not cell.missing and not cell.applies
    late = db.session.execute(
        text(
            "select count(*) from submissions s join assignment_sections a on a.assignment_id = s.assignment_id"
            " where s.submitted_at > a.due_at"
        )
    ).scalar()
    assert late > 0
    outside = db.session.execute(
        text(
            "select count(*) from grades g join assignment_sections a on a.assignment_id = g.assignment_id"
            " join enrollments e on e.section_id = g.section_id and e.student_id = g.student_id"
            " and e.dropped_on is null where a.due_at::date < e.added_on"
        )
    ).scalar()
    assert outside == 0
