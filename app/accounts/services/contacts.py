"""Who to notify, as the notifications service takes it: name, address and language, resolved in bulk."""

from __future__ import annotations

from sqlalchemy import text

from app import db
from app.notifications.data import Recipient

# The person's own language, else the district's; only active accounts are reachable.
_PEOPLE = text(
    """
    select u.id, u.display_name, u.email, coalesce(u.locale, d.default_locale) as locale
    from users u join districts d on d.id = u.district_id
    where u.id = any(:ids) and u.is_active
    order by u.id
    """
)
_GUARDIANS = text(
    """
    select g.id, g.display_name, g.email, coalesce(g.locale, d.default_locale) as locale, l.student_id,
           l.can_see_grades and not s.holds_own_rights as sees_grades
    from guardian_links l
    join users g on g.id = l.guardian_id
    join users s on s.id = l.student_id
    join districts d on d.id = g.district_id
    where g.is_active and (cast(:all as boolean) or l.student_id = any(:ids))
    order by g.id, l.student_id
    """
)


def recipients(user_ids) -> list[Recipient]:
    """For other domains (the gradebook's "message students who"): these active people of the current district."""
    rows = db.session.execute(_PEOPLE, {"ids": list(user_ids)})
    return [Recipient(row.id, row.display_name, row.email, row.locale) for row in rows]


def guardian_recipients(student_ids=None) -> list[tuple[Recipient, int, bool]]:
    """For other domains (the digest, copies to guardians): (guardian, student id, may see grades) for each link of
    these students, or of every student of the current district when None. Active guardians only; "may see
    grades" is the link's flag unless the student holds their own rights (decision 0006)."""
    params = {"all": student_ids is None, "ids": list(student_ids or [])}
    return [
        (Recipient(row.id, row.display_name, row.email, row.locale), row.student_id, row.sees_grades)
        for row in db.session.execute(_GUARDIANS, params)
    ]
