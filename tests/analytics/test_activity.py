from sqlalchemy import func, select

from app import db
from app.analytics.models import ActivityDay
from app.analytics.services import activity
from tests.browser import Browser
from tests.factories import PASSWORD


def days_of(user) -> int:
    db.set_tenant(user.district_id, None, "system")
    return db.session.scalar(select(func.count()).select_from(ActivityDay).where(ActivityDay.user_id == user.id))


def test_a_signed_in_request_records_the_day_once(app, make_user):
    user = make_user("teacher")
    browser = Browser(app)
    browser.login(user.email, PASSWORD)
    for _ in range(3):
        assert browser.get("/").status_code == 200
    assert days_of(user) == 1


def test_the_redis_guard_stops_a_second_process_from_writing(app, make_user, actor_of):
    actor = actor_of(make_user("student"))
    assert activity.record_activity(actor) is True
    activity.forget_seen()  # another process: its own set is empty, but Redis remembers
    assert activity.record_activity(actor) is False
    assert days_of(actor) == 1


def test_a_lost_redis_key_still_writes_no_second_row(app, make_user, actor_of):
    from app.jobruns.queue import redis_connection

    actor = actor_of(make_user("guardian"))
    activity.record_activity(actor)
    activity.forget_seen()
    redis_connection().delete(f"chalkline:active:{actor.district_id}:{actor.id}:{actor.today()}")
    assert activity.record_activity(actor) is True  # it tried
    assert days_of(actor) == 1  # ON CONFLICT DO NOTHING
