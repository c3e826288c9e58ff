"""The guardian digest: one message per guardian however many students and sections, in their locale, once a day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app import db
from app.identity.data import SystemActor
from app.notifications import services
from app.notifications.data import DigestEntry, DigestStudent, Recipient
from app.notifications.models import MailMessage, Notification

DAY = date(2026, 12, 1)


def _students():
    ana = DigestStudent(
        1,
        "Ana Rivera",
        graded=[DigestEntry("graded", 1, "Ana Rivera", "Math 7", "Quiz 3", DAY, "9 / 10")],
        missing=[DigestEntry("missing", 1, "Ana Rivera", "Science 7", "Lab report", date(2026, 11, 27))],
    )
    ben = DigestStudent(
        2,
        "Ben Rivera",
        due=[DigestEntry("due", 2, "Ben Rivera", "English 4", "Book report", date(2026, 12, 3))],
    )
    return [ana, ben]


def _mails(address):
    return list(db.session.scalars(select(MailMessage).where(MailMessage.to_address == address)))


def test_one_message_covers_every_student_and_section_of_a_guardian(person):
    _g, guardian, to = person("guardian")
    system = SystemActor(guardian.district_id)
    ana, ben = _students()
    # The gradebook may hand the same guardian over once per student (or section): still one message.
    delivery = services.send_guardian_digests(system, [(to, [ana]), (to, [ben]), (to, [ana])], DAY)

    assert (delivery.inbox, delivery.email) == (1, 1)
    (mail,) = _mails(to.email)
    assert mail.subject == "Daily summary for December 1, 2026"
    assert mail.body_text == (
        f"Hello {to.name},\n\n"
        "Here is what changed today for your students on Chalkline.\n\n"
        "== Ana Rivera ==\n\n"
        "New grades:\n"
        "- Math 7: Quiz 3 (9 / 10)\n\n"
        "Missing work:\n"
        "- Science 7: Lab report (was due Nov 27, 2026)\n\n"
        "== Ben Rivera ==\n\n"
        "Coming up:\n"
        "- English 4: Book report (due Dec 3, 2026)\n\n"
        "Sign in to see the details: http://localhost\n\n"
        "--\n"
        "You receive this because of your Chalkline settings for: "
        "Daily summary: new grades, missing work and what is due.\n"
        "To stop these emails, open: http://localhost/notifications/unsubscribe/{one-time-token}\n"
    )
    (row,) = db.session.scalars(select(Notification).where(Notification.user_id == to.user_id)).all()
    assert row.mail_message_id == mail.id and row.in_inbox
    assert "Quiz 3 (9 / 10)" in row.body and "unsubscribe" not in row.body


def test_the_digest_is_in_each_guardians_own_language(person):
    _g, guardian, es = person("guardian", locale="es")
    _h, _other, en = person("guardian")
    system = SystemActor(guardian.district_id)

    services.send_guardian_digests(system, [(es, _students()), (en, _students())], DAY)

    (spanish,) = _mails(es.email)
    (english,) = _mails(en.email)
    assert spanish.subject == "Resumen diario del 1 de diciembre de 2026"
    assert "Calificaciones nuevas:" in spanish.body_text and "vence el 3 dic 2026" in spanish.body_text
    assert "New grades:" in english.body_text


def test_a_rerun_of_the_same_day_sends_nothing_again_and_a_quiet_day_sends_nothing(person):
    _g, guardian, to = person("guardian")
    _q, _quiet, quiet = person("guardian")
    system = SystemActor(guardian.district_id)

    services.send_guardian_digests(system, [(to, _students()), (quiet, [DigestStudent(3, "Cy")])], DAY)
    again = services.send_guardian_digests(system, [(to, _students())], DAY)
    next_day = services.send_guardian_digests(system, [(to, _students())], date(2026, 12, 2))

    assert (again.inbox, again.email, again.skipped) == (0, 0, (to.user_id,))
    assert (next_day.inbox, next_day.email) == (1, 1)
    assert len(_mails(to.email)) == 2
    assert _mails(quiet.email) == []


def test_a_guardian_who_turned_the_digest_email_off_gets_it_in_the_inbox_only(person):
    _g, guardian, to = person("guardian")
    services.save_preferences(guardian, {"guardian_digest": {"in_app"}, "teacher_message": {"in_app", "email"}})

    delivery = services.send_guardian_digests(SystemActor(guardian.district_id), [(to, _students())], DAY)

    assert (delivery.inbox, delivery.email) == (1, 0)
    assert _mails(to.email) == []
    assert services.unread_count(guardian) == 1


def test_guardians_of_another_district_are_not_reachable_from_this_one(person, make_district, make_user):
    _g, guardian, _to = person("guardian")
    stranger = make_user("guardian", district=make_district())
    db.set_tenant(guardian.district_id, None, "system")

    recipient = Recipient(stranger.id, "X", stranger.email)
    try:
        services.send_guardian_digests(SystemActor(guardian.district_id), [(recipient, _students())], DAY)
        db.session.flush()
    except Exception as error:  # the foreign key to (district, user) refuses a person of another district
        assert "foreign key" in str(error).lower()
        db.session.rollback()
    else:
        raise AssertionError("a digest row was written for another district's guardian")


def test_each_district_is_due_at_its_own_evening_hour(make_district):
    from datetime import UTC, datetime

    east, west = make_district(), make_district()
    db.set_tenant(west.id, None, "system")
    west.time_zone = "America/Los_Angeles"
    db.session.commit()
    db.set_tenant(None)

    at = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # 18:30 in New York, 15:30 in Los Angeles
    due = {d: (zone, day) for d, zone, day in services.digest_districts_due(at) if d in (east.id, west.id)}
    later = {d for d, _zone, _day in services.digest_districts_due(datetime(2026, 12, 2, 2, 0, tzinfo=UTC))}

    assert due == {east.id: ("America/New_York", date(2026, 12, 1))}
    assert {east.id, west.id} <= later


def test_digest_sent_tells_a_rerun_that_the_day_is_done(person):
    _g, guardian, to = person("guardian")
    assert not services.digest_sent(DAY)
    services.send_guardian_digests(SystemActor(guardian.district_id), [(to, _students())], DAY)
    assert services.digest_sent(DAY) and not services.digest_sent(date(2026, 12, 2))
