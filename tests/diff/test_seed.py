"""The demo seed gives one lesson versions edited the way a teacher edits, so the compare page has changes to show."""

from __future__ import annotations

from sqlalchemy import text

from app import db
from app.accounts.services import actor_for_user
from app.curriculum import services
from app.seed import run_seed


def test_the_demo_seed_gives_a_lesson_a_move_a_word_and_a_formatting_change_to_compare(_db_transaction):
    run_seed("demo")
    district_id = db.session.execute(
        text("select district_id from auth_lookup_user('teacher@demo.chalkline.test')")
    ).scalar()
    db.set_tenant(district_id)
    lesson_id, owner_id, version = db.session.execute(
        text("select id, owner_id, version from lessons where district_id = :d order by owner_id, id offset 1 limit 1"),
        {"d": district_id},
    ).one()
    actor = actor_for_user(district_id, owner_id)

    comparison = services.compare_versions(actor, "lesson", lesson_id)

    assert (comparison.left.number, comparison.right.number) == (version - 1, version)
    instruction = next(fv for fv in comparison.fields if fv.key == "sections.instruction")
    notes = [note for block in instruction.blocks for note in block.notes]
    assert "Moved from place 3 to place 1" in notes
    objectives = next(fv for fv in comparison.fields if fv.key == "sections.objectives")
    assert "“three”: made bold" in objectives.blocks[0].notes
