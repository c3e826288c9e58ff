"""Mail outbox: messages rendered from fixed data in the recipient's locale, sent once through the transport."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app import db
from app.notifications import services
from app.notifications.models import MailMessage
from app.notifications.services import mail
from tests.mail import body, sent_mail

INVITE = {
    "inviter": "Dana O'Brien & Co",
    "district": "Demo <Unified>",
    "link": "http://localhost/invite/abc?x=1&y=2",
    "days": 7,
}


def _queue(tenant, district, to="kid@example.com", template="invitation", locale=None, job_run_id=None, **ctx):
    tenant(district)
    message = services.queue_mail(district.id, to, template, locale, job_run_id=job_run_id, **(ctx or INVITE))
    db.session.commit()
    return message


def test_the_invitation_mail_renders_from_fixed_data_without_html_escaping(tenant, district):
    message = _queue(tenant, district)

    assert message.subject == "You are invited to Chalkline"
    assert message.body_text == (
        "Hello,\n\n"
        "Dana O'Brien & Co invited you to Demo <Unified> on Chalkline. To set up your account, "
        "open this link within 7 days:\n\n"
        "http://localhost/invite/abc?x=1&y=2\n\n"
        "If you were not expecting this, you can ignore this message.\n"
    )
    assert (message.status, message.attempts, message.sent_at) == ("queued", 0, None)


def test_the_reset_mail_renders_from_fixed_data(tenant, district):
    message = _queue(
        tenant, district, template="password_reset", name="Rosa", link="http://localhost/password/reset/t", hours=1
    )

    assert message.subject == "Reset your Chalkline password"
    lines = message.body_text.splitlines()
    assert lines[0] == "Hello Rosa,"
    assert "http://localhost/password/reset/t" in lines
    assert "within 1 hour:" in message.body_text
    assert "The link works once." in message.body_text


def test_a_mail_renders_in_the_recipients_locale(tenant, district):
    message = _queue(
        tenant,
        district,
        template="password_reset",
        locale="es",
        name="Rosa",
        link="http://localhost/password/reset/t",
        hours=1,
    )

    assert message.subject == "Restablezca su contraseña de Chalkline"
    assert message.body_text.startswith("Hola, Rosa,")


def test_sending_writes_one_message_per_row_and_marks_it_sent(app, tenant, district, mail_dir):
    first = _queue(tenant, district, to="one@example.com")
    _queue(tenant, district, to="two@example.com")

    sent = services.send_queued_mail()

    assert sent == 2
    messages = {m["To"]: m for m in sent_mail(mail_dir)}
    assert sorted(messages) == ["one@example.com", "two@example.com"]
    assert messages["one@example.com"]["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert messages["one@example.com"]["Subject"] == "You are invited to Chalkline"
    assert "http://localhost/invite/abc?x=1&y=2" in body(messages["one@example.com"])
    assert (first.status, first.attempts) == ("sent", 1) and first.sent_at is not None


def test_sending_again_sends_nothing_twice(tenant, district, mail_dir):
    _queue(tenant, district)
    services.send_queued_mail()

    assert services.send_queued_mail() == 0
    assert len(sent_mail(mail_dir)) == 1


def test_sending_for_one_job_run_leaves_other_mail_queued_and_reports_progress(tenant, district, mail_dir):
    _queue(tenant, district, to="mine1@example.com", job_run_id=4242)
    _queue(tenant, district, to="mine2@example.com", job_run_id=4242)
    other = _queue(tenant, district, to="other@example.com", job_run_id=4343)
    steps = []

    services.send_queued_mail(4242, progress=lambda done, total: steps.append((done, total)))

    assert sorted(m["To"] for m in sent_mail(mail_dir)) == ["mine1@example.com", "mine2@example.com"]
    assert steps == [(1, 2), (2, 2)]
    assert other.status == "queued"


def test_sending_sees_only_the_current_districts_mail(make_district, tenant, district, mail_dir):
    _queue(tenant, make_district(), to="elsewhere@example.com")
    _queue(tenant, district, to="here@example.com")

    services.send_queued_mail()

    assert [m["To"] for m in sent_mail(mail_dir)] == ["here@example.com"]


def test_a_transport_failure_keeps_the_message_queued_until_the_last_attempt(tenant, district, mail_dir, monkeypatch):
    def _down(message):
        raise ConnectionRefusedError("smtp is down")

    monkeypatch.setattr(mail, "transport_send", _down)
    message = _queue(tenant, district)

    outcomes = []
    for _ in range(services.MAX_ATTEMPTS):
        assert services.send_queued_mail() == 0
        outcomes.append((message.status, message.attempts))

    assert outcomes[:-1] == [("queued", n) for n in range(1, services.MAX_ATTEMPTS)]
    assert outcomes[-1] == ("failed", services.MAX_ATTEMPTS)
    assert message.error == "smtp is down"
    assert services.queued_mail() == []
    assert list(Path(mail_dir).glob("*.eml")) == []


def test_the_dev_mailbox_lists_what_the_file_transport_wrote(tenant, district, mail_dir):
    _queue(tenant, district, to="look@example.com")
    services.send_queued_mail()

    [entry] = services.dev_mailbox()

    assert (entry["to"], entry["subject"]) == ("look@example.com", "You are invited to Chalkline")
    assert "invited you to" in entry["body"]


def test_the_dev_mailbox_lists_the_newest_message_first(tenant, district, mail_dir):
    tenant(district)
    for message_id in (999_999_999, 1_000_000_000):  # ids whose decimal lengths differ sort wrongly as text
        db.session.add(
            MailMessage(
                id=message_id,
                district_id=district.id,
                to_address=f"m{message_id}@example.com",
                subject="s",
                body_text="b\n",
            )
        )
    db.session.commit()
    services.send_queued_mail()

    assert [entry["to"] for entry in services.dev_mailbox()] == ["m1000000000@example.com", "m999999999@example.com"]


def test_queued_mail_lists_only_messages_still_waiting(tenant, district):
    waiting = _queue(tenant, district, to="wait@example.com")
    done = _queue(tenant, district, to="done@example.com")
    done.status = "sent"
    db.session.commit()

    assert [m.id for m in services.queued_mail()] == [waiting.id]
    assert db.session.scalars(select(MailMessage.to_address).order_by(MailMessage.id)).all() == [
        "wait@example.com",
        "done@example.com",
    ]
