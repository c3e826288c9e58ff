"""People of the district as other domains need them: lookups by id and school, the directory, deactivation,
exports, and the grade promotion of year rollover."""

from __future__ import annotations

import re

from sqlalchemy import and_, bindparam, exists, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import BigInteger, SmallInteger

from app import db
from app.accounts.data import Directory, PersonRow
from app.accounts.models import GuardianLink, Membership, User
from app.accounts.policy import can_deactivate, can_manage_people, can_view_people, people_schools
from app.accounts.services.links import end_open_tokens
from app.accounts.services.signin import revoke_sessions
from app.errors import NotFound
from app.events.services import record_event
from app.org.data import HIGHEST_GRADE, LOWEST_GRADE
from app.org.services import list_schools, school_names

PER_PAGE = 50
COUNT_CAP = 1000
# Characters that mean something to the tsquery parser; user input never reaches it with them.
_TSQUERY_SPECIAL = re.compile(r"[&|!():*<>'\\\"]")


# --- lookups for other domains ------------------------------------------------------------------------------------


def users_by_id(ids) -> dict[int, User]:
    """Users of the current district by id (RLS scopes them); ids of nobody are left out."""
    ids = list(set(ids))
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def get_user(user_id: int) -> User | None:
    return db.session.scalar(select(User).where(User.id == user_id))


def user_id_by_email(actor, email: str) -> int | None:
    """Commands acting in the actor's district: the id of its user with this email (any case), or None."""
    return db.session.scalar(
        select(User.id).where(User.district_id == actor.district_id, func.lower(User.email) == (email or "").lower())
    )


def names_by_id(ids) -> dict[int, str]:
    ids = list(set(ids))
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).tuples().all())


def is_student(user_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(Membership.user_id == user_id, Membership.role == "student"))))


def student_school_ids(student_id: int) -> list[int]:
    """The schools where this person is a student."""
    return list(
        db.session.scalars(
            select(Membership.school_id).where(
                Membership.user_id == student_id, Membership.role == "student", Membership.school_id.is_not(None)
            )
        )
    )


def students_of_school(user_ids, school_id: int) -> set[int]:
    """Which of these people are students of the school."""
    return set(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.role == "student", Membership.school_id == school_id, Membership.user_id.in_(list(user_ids))
            )
        )
    )


def teachers_of_school(school_id: int) -> list[User]:
    """Active teachers with a membership at the school, by name."""
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.school_id == school_id, Membership.role == "teacher", User.is_active)
        .distinct()
        .order_by(User.display_name)
    )
    return list(db.session.scalars(query))


def school_names_of_students(student_ids) -> dict[int, list[str]]:
    """student id -> names of the schools where they are students, sorted."""
    ids = list(set(student_ids))
    if not ids:
        return {}
    pairs = list(
        db.session.execute(
            select(Membership.user_id, Membership.school_id).where(
                Membership.user_id.in_(ids), Membership.role == "student", Membership.school_id.is_not(None)
            )
        ).tuples()
    )
    names = school_names({school_id for _user, school_id in pairs})
    result: dict[int, list[str]] = {}
    for user_id, school_id in pairs:
        result.setdefault(user_id, []).append(names.get(school_id, ""))
    return {user_id: sorted(found) for user_id, found in result.items()}


def role_counts(actor) -> dict[str, int]:
    """People per role: the whole district for district admins, their schools for school admins."""
    if not can_view_people(actor):
        raise NotFound()
    query = select(Membership.role, func.count(func.distinct(Membership.user_id))).group_by(Membership.role)
    schools = people_schools(actor)
    if schools is not None:
        query = query.where(Membership.school_id.in_(schools or {-1}))
    return dict(db.session.execute(query).tuples().all())


# --- the directory ------------------------------------------------------------------------------------------------


def prefix_tsquery(raw: str) -> str | None:
    """A safe prefix tsquery ("'ann':* & 'lee@ex':*") from what the user typed, or None for nothing searchable.

    Operators are stripped and each word quoted, so no input can make the tsquery parser fail. It is cast
    with ::tsquery rather than passed through to_tsquery: that would re-split "ann.lee@ex" into parts and
    lose the prefix match on an email address, which the 'simple' vector keeps as one lexeme."""
    words = [w for w in (_TSQUERY_SPECIAL.sub(" ", word).strip().lower() for word in raw.split()) for w in w.split()]
    words = [w for w in words if w][:8]
    return " & ".join(f"'{w}':*" for w in words) or None


def _people_of_schools(school_ids):
    """Users with a membership in one of the schools, or guardians linked to a student of them."""
    ids = list(school_ids) or [-1]
    student_here = exists().where(
        Membership.user_id == GuardianLink.student_id, Membership.role == "student", Membership.school_id.in_(ids)
    )
    return or_(
        exists().where(Membership.user_id == User.id, Membership.school_id.in_(ids)),
        exists().where(GuardianLink.guardian_id == User.id, student_here),
    )


def _directory_filter(actor):
    if not can_view_people(actor):
        raise NotFound()
    schools = people_schools(actor)
    return True if schools is None else _people_of_schools(schools)


def search_people(
    actor,
    q: str = "",
    role: str = "",
    school_id: int | None = None,
    grade: int | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Directory:
    """Admins with users.view (school admins: people of their schools). One query for the page, one capped
    count, one for the roles and schools of that page. Raises NotFound without the permission."""
    # RLS already limits rows to the district; saying so lets the planner use the column's statistics, which
    # it cannot do through the policy's setting.
    conditions = [_directory_filter(actor), User.district_id == actor.district_id]
    tsquery = prefix_tsquery(q)
    if tsquery:
        conditions.append(text("users.search_vector @@ cast(:tsq as tsquery)").bindparams(tsq=tsquery))
    if role:
        conditions.append(exists().where(Membership.user_id == User.id, Membership.role == role))
    if school_id is not None:
        conditions.append(_people_of_schools([school_id]))
    if grade is not None:
        conditions.append(User.grade_level == grade)
    page = max(page, 1)
    matching = select(User.id).where(and_(*conditions))
    found = db.session.scalars(
        select(User)
        .where(and_(*conditions))
        .order_by(User.display_name, User.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    # Counting every match of a one-letter search costs more than the page itself; nobody pages past a
    # thousand people, so the count stops there.
    total = db.session.scalar(select(func.count()).select_from(matching.limit(COUNT_CAP + 1).subquery())) or 0
    more = total > COUNT_CAP
    roles, schools = _roles_and_schools([user.id for user in found])
    rows = [PersonRow(user, sorted(roles.get(user.id, ())), sorted(schools.get(user.id, ()))) for user in found]
    return Directory(rows, min(total, COUNT_CAP), list_schools(actor), more)


def _roles_and_schools(user_ids: list[int]) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    roles: dict[int, set[str]] = {}
    school_ids: dict[int, set[int]] = {}
    if user_ids:
        for user_id, member_role, school_id in db.session.execute(
            select(Membership.user_id, Membership.role, Membership.school_id).where(Membership.user_id.in_(user_ids))
        ):
            roles.setdefault(user_id, set()).add(member_role)
            if school_id is not None:
                school_ids.setdefault(user_id, set()).add(school_id)
    names = school_names({s for ids in school_ids.values() for s in ids})
    return roles, {user_id: {names.get(s, "") for s in ids} for user_id, ids in school_ids.items()}


def visible_people(actor, ids: list[int]) -> list[int]:
    """Which of these ids the actor's directory shows (order kept); NotFound without users.view."""
    if not ids:
        return []
    allowed = set(db.session.scalars(select(User.id).where(User.id.in_(ids), _directory_filter(actor))))
    return [i for i in ids if i in allowed]


# --- deactivation and export --------------------------------------------------------------------------------------


def _schools_of_people(ids: list[int]) -> dict[int, set[int]]:
    """Each person's schools: where they hold a membership, and for guardians the schools of their students."""
    result: dict[int, set[int]] = {i: set() for i in ids}
    for user_id, school_id in db.session.execute(
        select(Membership.user_id, Membership.school_id).where(
            Membership.user_id.in_(ids), Membership.school_id.is_not(None)
        )
    ):
        result[user_id].add(school_id)
    for guardian_id, school_id in db.session.execute(
        select(GuardianLink.guardian_id, Membership.school_id)
        .join(Membership, Membership.user_id == GuardianLink.student_id)
        .where(GuardianLink.guardian_id.in_(ids), Membership.role == "student", Membership.school_id.is_not(None))
    ):
        result[guardian_id].add(school_id)
    return result


def deactivatable(actor, ids: list[int]) -> list[int]:
    """Of these people, those the actor may deactivate now: active, not the actor, and within the actor's
    authority over every school of theirs (school admins: never a peer admin, never staff of another school)."""
    if not can_manage_people(actor) or not ids:
        return []
    active = set(db.session.scalars(select(User.id).where(User.id.in_(ids), User.is_active.is_(True))))
    roles: dict[int, set[str]] = {i: set() for i in active}
    for user_id, role in db.session.execute(
        select(Membership.user_id, Membership.role).where(Membership.user_id.in_(active or {-1}))
    ):
        roles[user_id].add(role)
    schools = _schools_of_people(list(active))
    return [i for i in ids if i in active and can_deactivate(actor, i, roles[i], schools[i])]


def deactivate_people(actor, ids: list[int]) -> int:
    """Roster managers, for ids from `deactivatable`: switches the accounts off and ends their sessions and open
    links, so reactivating an account later does not revive an old cookie (in the caller's transaction)."""
    ids = deactivatable(actor, ids)
    if ids:
        db.session.execute(update(User).where(User.id.in_(ids)).values(is_active=False))
        revoke_sessions(ids)
        end_open_tokens(ids)
        for user_id in ids:
            record_event(actor, "user.deactivated", "user", user_id)
    return len(ids)


PEOPLE_CSV_HEADER = (
    "id",
    "display_name",
    "given_name",
    "family_name",
    "email",
    "identifier",
    "roles",
    "grade_level",
    "pronouns",
    "is_active",
)


def people_rows(actor, ids: list[int]) -> list[list]:
    """Directory viewers: CSV rows (PEOPLE_CSV_HEADER) of these people, by name; records the export."""
    users = list(db.session.scalars(select(User).where(User.id.in_(ids or [-1])).order_by(User.display_name, User.id)))
    roles, _schools = _roles_and_schools([u.id for u in users])
    record_event(actor, "people.exported", None, None, count=len(users))
    return [
        [
            u.id,
            u.display_name,
            u.given_name,
            u.family_name,
            u.email,
            u.identifier,
            " ".join(sorted(roles.get(u.id, ()))),
            u.grade_level,
            u.pronouns,
            "yes" if u.is_active else "no",
        ]
        for u in users
    ]


# --- year rollover ------------------------------------------------------------------------------------------------


def _students():
    return select(Membership.user_id).where(Membership.role == "student")


def student_grade_counts() -> dict[int, int]:
    """Active students per grade level (pre-K to 12), for the rollover preview."""
    query = (
        select(User.grade_level, func.count())
        .where(User.id.in_(_students()), User.is_active, User.grade_level.between(LOWEST_GRADE, HIGHEST_GRADE))
        .group_by(User.grade_level)
    )
    return dict(db.session.execute(query).tuples().all())


def students_without_grade() -> int:
    return db.session.scalar(
        select(func.count()).where(User.id.in_(_students()), User.is_active, User.grade_level.is_(None))
    )


def promote_students() -> list[list[int]]:
    """Rollover: every active student one grade up (12 becomes GRADUATED); returns [user id, old grade] pairs."""
    rows = db.session.execute(
        text(
            "update users set grade_level = grade_level + 1 where is_active and grade_level between :low and :high"
            " and id in (select user_id from memberships where role = 'student')"
            " returning id, grade_level - 1"
        ),
        {"low": LOWEST_GRADE, "high": HIGHEST_GRADE},
    ).all()
    return [[user_id, old] for user_id, old in rows]


def restore_grades(pairs: list[list[int]]) -> None:
    """Rollover revert: put back the grades `promote_students` returned."""
    if pairs:
        db.session.execute(
            text(
                "update users set grade_level = v.old from unnest(:ids, :olds) as v(id, old) where users.id = v.id"
            ).bindparams(bindparam("ids", type_=ARRAY(BigInteger)), bindparam("olds", type_=ARRAY(SmallInteger))),
            {"ids": [p[0] for p in pairs], "olds": [p[1] for p in pairs]},
        )
