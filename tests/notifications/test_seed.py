"""The demo seed gives the demo student and guardian unread teacher messages, in the inbox only."""

from __future__ import annotations

from sqlalchemy import text

from app import db
from app.notifications import services
from app.seed import run_seed


def test_the_demo_accounts_find_teacher_messages_in_their_inbox(_db_transaction, actor_of):
    from app.accounts.models import User

    run_seed("demo")
    row = db.session.execute(
        text("select district_id, user_id from auth_lookup_user('guardian@demo.chalkline.test')")
    ).first()
    db.set_tenant(row.district_id, row.user_id, "guardian")
    guardian = actor_of(db.session.get(User, row.user_id))

    rows, total = services.list_inbox(guardian)

    assert total == 2 and services.unread_count(guardian) == 2
    assert {r.title for r in rows} == {"Welcome to our class on Chalkline", "Field trip on Friday"}
    assert all(r.type == "teacher_message" and r.mail_message_id is None for r in rows)
    assert db.session.execute(text("select count(*) from mail_messages")).scalar() == 0
