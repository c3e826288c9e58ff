"""The inbox, the bell, the choices page and the unsubscribe link (which works without signing in)."""

from __future__ import annotations

from app import db
from app.identity.data import SystemActor
from app.notifications import services
from app.notifications.data import Recipient
from tests.browser import Browser


def _notify(user, title="Field trip", link=None):
    db.set_tenant(user.district_id, None, "system")
    to = [Recipient(user.id, "x", user.email)]
    services.send(SystemActor(user.district_id), to, "teacher_message", title, "Bring lunch.", link=link)
    db.session.commit()


def test_the_inbox_lists_my_notifications_and_the_bell_counts_the_unread(as_user):
    client, user = as_user("guardian")
    _notify(user, "Field trip <Friday>")

    page = client.get("/notifications/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Field trip &lt;Friday&gt;" in html and "Bring lunch." in html
    assert 'hx-get="/notifications/bell"' in client.get("/").get_data(as_text=True)

    bell = client.get("/notifications/bell", htmx=True).get_data(as_text=True)
    assert 'class="badge badge-accent">1<' in bell
    assert 'hx-trigger="notifications-changed from:body"' in bell


def test_marking_read_updates_the_list_and_tells_the_bell(as_user, actor_of):
    client, user = as_user("student")
    _notify(user)
    (row,), _total = services.list_inbox(actor_of(user))

    response = client.post(f"/notifications/{row.id}/read", htmx=True)

    assert response.status_code == 200
    assert "notifications-changed" in response.headers["HX-Trigger"]
    assert "Mark as read" not in response.get_data(as_text=True)
    assert 'badge-accent">' not in client.get("/notifications/bell", htmx=True).get_data(as_text=True)


def test_someone_elses_notification_answers_404(as_user, make_user, actor_of):
    client, _user = as_user("student")
    other = make_user("student")
    _notify(other)
    db.set_tenant(other.district_id, other.id, "system")
    (row,), _total = services.list_inbox(actor_of(other))

    assert client.post(f"/notifications/{row.id}/read").status_code == 404


def test_the_choices_page_saves_and_keeps_what_was_ticked(as_user):
    client, user = as_user("guardian")
    page = client.get("/notifications/preferences")
    assert page.status_code == 200
    assert 'name="pref-guardian_digest" value="email" checked' in page.get_data(as_text=True)

    saved = client.post("/notifications/preferences", {"pref-guardian_digest": ["in_app"]})

    assert saved.status_code == 303
    db.set_tenant(user.district_id, user.id, "system")
    assert services.channels_for([user.id], "guardian_digest") == {user.id: (True, False)}
    assert services.channels_for([user.id], "teacher_message") == {user.id: (False, False)}


def test_a_bad_choice_is_refused_on_the_page(as_user):
    client, _user = as_user("guardian")
    response = client.post("/notifications/preferences", {"pref-guardian_digest": ["sms", "email"]})
    assert response.status_code == 422
    assert "Choose from the kinds and channels listed." in response.get_data(as_text=True)


def test_pages_need_a_sign_in(app):
    client = Browser(app)
    assert client.get("/notifications/").status_code == 302
    assert client.get("/notifications/preferences").status_code == 302


def test_the_unsubscribe_link_works_without_signing_in(app, make_user):
    user = make_user("guardian")
    token = services.unsubscribe_token(user.district_id, user.id, "guardian_digest")
    client = Browser(app)

    confirm = client.get(f"/notifications/unsubscribe/{token}")
    assert confirm.status_code == 200
    assert "Daily summary: new grades" in confirm.get_data(as_text=True)
    db.set_tenant(user.district_id, user.id, "system")
    assert services.channels_for([user.id], "guardian_digest") == {user.id: (True, True)}  # a GET changes nothing

    done = client.post(f"/notifications/unsubscribe/{token}")

    assert done.status_code == 200
    assert "Emails stopped" in done.get_data(as_text=True)
    db.set_tenant(user.district_id, user.id, "system")
    assert services.channels_for([user.id], "guardian_digest") == {user.id: (True, False)}


def test_a_tampered_unsubscribe_link_answers_404_and_changes_nothing(app, make_user):
    user = make_user("guardian")
    token = services.unsubscribe_token(user.district_id, user.id, "guardian_digest")
    client = Browser(app)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    assert client.get(f"/notifications/unsubscribe/{tampered}").status_code == 404
    assert client.post(f"/notifications/unsubscribe/{tampered}").status_code == 404
    db.set_tenant(user.district_id, user.id, "system")
    assert services.channels_for([user.id], "guardian_digest") == {user.id: (True, True)}
