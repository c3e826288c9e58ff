"""Recipients for notifications, resolved by accounts: address, language (own, else the district's), grade rights."""

from __future__ import annotations

from app import db
from app.accounts import services
from app.accounts.models import GuardianLink


def test_recipients_carry_name_address_and_language(make_user, district):
    es = make_user("student", locale="es", display_name="Ana")
    plain = make_user("student", display_name="Ben")
    gone = make_user("student", is_active=False)
    db.set_tenant(district.id, None, "system")

    found = services.recipients([es.id, plain.id, gone.id])

    assert [(r.user_id, r.name, r.email, r.locale) for r in found] == [
        (es.id, "Ana", es.email, "es"),
        (plain.id, "Ben", plain.email, "en"),
    ]


def test_guardian_recipients_say_whether_each_may_see_grades(make_user, district):
    kid, adult = make_user("student"), make_user("student", holds_own_rights=True)
    mum, dad, hidden = make_user("guardian"), make_user("guardian"), make_user("guardian")
    db.set_tenant(district.id, None, "system")
    db.session.add_all(
        [
            GuardianLink(district_id=district.id, guardian_id=mum.id, student_id=kid.id),
            GuardianLink(district_id=district.id, guardian_id=dad.id, student_id=kid.id, can_see_grades=False),
            GuardianLink(district_id=district.id, guardian_id=mum.id, student_id=adult.id),
            GuardianLink(district_id=district.id, guardian_id=hidden.id, student_id=adult.id),
        ]
    )
    db.session.commit()

    links = {(r.user_id, student, sees) for r, student, sees in services.guardian_recipients([kid.id, adult.id])}

    assert links == {
        (mum.id, kid.id, True),
        (dad.id, kid.id, False),
        (mum.id, adult.id, False),
        (hidden.id, adult.id, False),
    }
    assert {(r.user_id, s) for r, s, _ in services.guardian_recipients([kid.id])} == {
        (mum.id, kid.id),
        (dad.id, kid.id),
    }
    assert len(services.guardian_recipients()) == 4
