"""The data generator: the demo contract of DESIGN.md, determinism, and refusal in production."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text

from app import db
from app.seed import SeedRefused, run_seed

DIGEST_SQL = """
    select string_agg(concat_ws('|', d.slug, u.email, u.display_name, m.role, s.name), ',' order by u.email, m.role)
    from users u
    join districts d on d.id = u.district_id
    join memberships m on m.user_id = u.id
    left join schools s on s.id = m.school_id
"""


def _digest(slug: str) -> str:
    district_id = db.session.execute(
        text("select district_id from auth_lookup_user(:e)"), {"e": f"admin@{slug}.chalkline.test"}
    ).scalar()
    db.set_tenant(district_id)
    rows = db.session.execute(text(DIGEST_SQL)).scalar() or ""
    links = (
        db.session.execute(
            text(
                "select string_agg(concat_ws('|', g.email, s.email, l.relationship), ',' order by g.email, s.email)"
                " from guardian_links l join users g on g.id = l.guardian_id join users s on s.id = l.student_id"
            )
        ).scalar()
        or ""
    )
    return hashlib.sha256((rows + links).encode()).hexdigest()


def test_the_demo_seed_makes_the_five_demo_accounts_and_the_other_district(_db_transaction):
    run_seed("demo")
    for slug in ("demo", "other"):
        for who, role in [
            ("admin", "district_admin"),
            ("principal", "school_admin"),
            ("teacher", "teacher"),
            ("student", "student"),
            ("guardian", "guardian"),
        ]:
            row = db.session.execute(
                text("select user_id, district_id from auth_lookup_user(:e)"), {"e": f"{who}@{slug}.chalkline.test"}
            ).one()
            db.set_tenant(row.district_id)
            roles = (
                db.session.execute(text("select role from memberships where user_id = :u"), {"u": row.user_id})
                .scalars()
                .all()
            )
            assert roles == [role]
    demo = db.session.execute(text("select district_id from auth_lookup_user('guardian@demo.chalkline.test')")).scalar()
    db.set_tenant(demo)
    children = (
        db.session.execute(
            text(
                "select s.email from guardian_links l join users s on s.id = l.student_id"
                " join users g on g.id = l.guardian_id "
                "where g.email = 'guardian@demo.chalkline.test'"
            )
        )
        .scalars()
        .all()
    )
    assert children == ["student@demo.chalkline.test"]


def test_the_same_size_always_makes_the_same_data(_db_transaction):
    first = _db_transaction.begin_nested()
    run_seed("demo")
    before = _digest("demo"), _digest("other")
    db.session.remove()
    first.rollback()
    assert db.session.execute(text("select count(*) from auth_lookup_user('admin@demo.chalkline.test')")).scalar() == 0
    run_seed("demo")
    assert (_digest("demo"), _digest("other")) == before


def test_seeding_twice_with_if_empty_changes_nothing(_db_transaction):
    run_seed("demo")
    assert run_seed("demo", if_empty=True) == "database already has data; nothing seeded"


def test_the_seed_refuses_to_run_in_production(app):
    app.config["APP_ENV"] = "production"
    try:
        with pytest.raises(SeedRefused, match="never runs in production"):
            run_seed("demo")
    finally:
        app.config["APP_ENV"] = "test"
