"""Choices per kind and channel, and the signed unsubscribe token: per person, per kind, tamper-proof."""

from __future__ import annotations

import pytest

from app import db
from app.errors import Invalid, NotFound
from app.notifications import services


def test_defaults_hold_until_a_person_chooses(person):
    _g, guardian, _ = person("guardian")
    rows = {row["type"]: (row["in_app"], row["email"]) for row in services.preference_rows(guardian)}
    assert rows == {"guardian_digest": (True, True), "teacher_message": (True, True)}

    services.save_preferences(guardian, {"guardian_digest": {"in_app"}, "teacher_message": {"in_app", "email"}})

    rows = {row["type"]: (row["in_app"], row["email"]) for row in services.preference_rows(guardian)}
    assert rows == {"guardian_digest": (True, False), "teacher_message": (True, True)}
    assert services.channels_for([guardian.id], "guardian_digest") == {guardian.id: (True, False)}


def test_each_role_is_offered_its_own_kinds(person):
    _s, student, _ = person("student")
    _t, teacher, _ = person("teacher")
    assert {row["type"] for row in services.preference_rows(student)} == {"teacher_message", "grade_posted"}
    assert services.preference_rows(teacher) == []


@pytest.mark.parametrize("chosen", [{"grade_posted": {"email"}}, {"guardian_digest": {"sms"}}])
def test_kinds_or_channels_not_offered_are_refused(person, chosen):
    _g, guardian, _ = person("guardian")
    with pytest.raises(Invalid):
        services.save_preferences(guardian, chosen)


def test_unsubscribing_turns_off_only_that_kinds_email_for_that_person(person):
    _g, guardian, _ = person("guardian")
    _o, other, _ = person("guardian")
    token = services.unsubscribe_token(guardian.district_id, guardian.id, "guardian_digest")

    kind = services.unsubscribe(token)
    services.unsubscribe(token)  # a second click changes nothing more

    assert kind.name == "guardian_digest"
    db.set_tenant(guardian.district_id, guardian.id, "system")
    assert services.channels_for([guardian.id], "guardian_digest") == {guardian.id: (True, False)}
    assert services.channels_for([guardian.id], "teacher_message") == {guardian.id: (True, True)}
    assert services.channels_for([other.id], "guardian_digest") == {other.id: (True, True)}


def test_a_tampered_or_made_up_token_is_refused(person, app):
    _g, guardian, _ = person("guardian")
    token = services.unsubscribe_token(guardian.district_id, guardian.id, "guardian_digest")
    payload, signature = token.rsplit(".", 1)
    other_person = services.unsubscribe_token(guardian.district_id, guardian.id + 1, "guardian_digest")

    for bad in (payload + "." + signature[::-1], other_person.rsplit(".", 1)[0] + "." + signature, "x", ""):
        with pytest.raises(NotFound):
            services.unsubscribe(bad)
    from itsdangerous import URLSafeSerializer

    forged = URLSafeSerializer("not-our-key", salt="notifications.unsubscribe").dumps(
        [guardian.district_id, guardian.id, "guardian_digest"]
    )
    with pytest.raises(NotFound):
        services.unsubscribe(forged)
    unsigned_kind = URLSafeSerializer(app.config["SECRET_KEY"], salt="notifications.unsubscribe").dumps(
        [guardian.district_id, guardian.id, "everything"]
    )
    with pytest.raises(NotFound):
        services.unsubscribe(unsigned_kind)
