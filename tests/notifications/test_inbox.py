"""send(): one inbox row and one email per person by their choices, in their locale, with an unsubscribe link."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import db
from app.errors import Invalid, NotFound
from app.notifications import services
from app.notifications.data import Recipient
from app.notifications.models import MailMessage, Notification
from tests.mail import as_sent


def _mail_to(address: str) -> list[MailMessage]:
    return list(db.session.scalars(select(MailMessage).where(MailMessage.to_address == address)))


def test_send_puts_it_in_the_inbox_and_mails_it_with_an_unsubscribe_link(person, app):
    _teacher, teacher, _ = person("teacher")
    _student, student, to = person("student")

    delivery = services.send(teacher, [to, to], "teacher_message", "Lab report", "Bring goggles.", link="/x/1")
    db.session.commit()

    assert (delivery.inbox, delivery.email) == (1, 1)
    rows, total = services.list_inbox(student)
    assert total == 1 and (rows[0].title, rows[0].body, rows[0].created_by) == (
        "Lab report",
        "Bring goggles.",
        teacher.id,
    )
    (mail,) = _mail_to(to.email)
    assert rows[0].mail_message_id == mail.id
    assert mail.subject == "Lab report"
    text = as_sent(mail)
    assert "Bring goggles." in text and f"{app.config['BASE_URL']}/x/1" in text
    token = text.split("/notifications/unsubscribe/")[1].split()[0]
    assert services.read_unsubscribe_token(token) == (student.district_id, student.id, "teacher_message")
    assert token not in mail.body_text  # the stored body holds only the placeholder


def test_email_off_means_inbox_only_and_both_off_means_nothing(person):
    _teacher, teacher, _ = person("teacher")
    _a, a_actor, a = person("student")
    _b, b_actor, b = person("student")
    services.save_preferences(a_actor, {"teacher_message": {"in_app"}})
    services.save_preferences(b_actor, {})

    delivery = services.send(teacher, [a, b], "teacher_message", "Quiz moved")
    db.session.commit()

    assert (delivery.inbox, delivery.email, delivery.skipped) == (1, 0, (b.user_id,))
    assert _mail_to(a.email) == [] and _mail_to(b.email) == []
    assert services.unread_count(a_actor) == 1 and services.unread_count(b_actor) == 0


def test_a_person_without_an_email_address_still_gets_the_inbox_row(person):
    _teacher, teacher, _ = person("teacher")
    _kid, kid, to = person("student")

    delivery = services.send(teacher, [Recipient(to.user_id, to.name, None)], "teacher_message", "Hi")

    assert (delivery.inbox, delivery.email) == (1, 0)
    assert services.unread_count(kid) == 1


def test_the_email_is_rendered_in_the_recipients_locale(person):
    _teacher, teacher, _ = person("teacher")
    _g, _guardian, to = person("guardian", locale="es")

    services.send(teacher, [to], "teacher_message", "Excursión", "Traer almuerzo.")
    db.session.commit()

    (mail,) = _mail_to(to.email)
    assert mail.body_text.startswith(f"Hola, {to.name},")
    assert "Para dejar de recibir estos correos" in mail.body_text


def test_a_dedupe_key_sends_once(person):
    _teacher, teacher, _ = person("teacher")
    _kid, kid, to = person("student")

    first = services.send(teacher, [to], "teacher_message", "Once", dedupe_key="k1")
    second = services.send(teacher, [to], "teacher_message", "Once", dedupe_key="k1")

    assert (first.inbox, second.inbox, second.skipped) == (1, 0, (to.user_id,))
    assert services.list_inbox(kid)[1] == 1


@pytest.mark.parametrize(
    ("title", "body", "recipients", "field"),
    [("", "x", 1, "title"), ("x" * 301, "x", 1, "title"), ("ok", "x" * 5001, 1, "body"), ("ok", "x", 0, "")],
)
def test_bad_input_is_refused_with_the_field_that_is_wrong(person, title, body, recipients, field):
    _teacher, teacher, _ = person("teacher")
    _kid, _actor, to = person("student")

    with pytest.raises(Invalid) as error:
        services.send(teacher, [to] * recipients, "teacher_message", title, body)

    assert field in error.value.fields
    assert db.session.scalars(select(Notification)).all() == []


def test_an_unknown_kind_is_a_programming_error(person):
    _teacher, teacher, to = person("teacher")
    with pytest.raises(ValueError, match="unknown notification type"):
        services.send(teacher, [to], "gossip", "x")


def test_only_the_recipient_can_read_or_mark_a_notification(person, make_district, make_user, actor_of):
    _teacher, teacher, _ = person("teacher")
    _kid, kid, to = person("student")
    _other, other, _ = person("student")
    services.send(teacher, [to], "teacher_message", "Mine")
    db.session.commit()
    (row,), _total = services.list_inbox(kid)

    with pytest.raises(NotFound):
        services.mark_read(other, row.id)
    elsewhere = make_user("student", district=make_district())
    with pytest.raises(NotFound):
        services.mark_read(actor_of(elsewhere), row.id)

    db.set_tenant(kid.district_id, kid.id, "system")
    assert services.mark_read(kid, row.id).read_at is not None
    assert services.unread_count(kid) == 0


def test_mark_all_read(person):
    _teacher, teacher, _ = person("teacher")
    _kid, kid, to = person("student")
    for n in range(3):
        services.send(teacher, [to], "teacher_message", f"n{n}")
    db.session.commit()

    assert services.mark_all_read(kid) == 3
    assert services.unread_count(kid) == 0
