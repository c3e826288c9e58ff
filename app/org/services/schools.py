"""Schools of the district."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app import db
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.identity.data import is_district_wide
from app.org.models import School
from app.org.policy import can_edit_school, can_manage_school, can_manage_structure
from app.org.services.common import require


def list_schools(actor) -> list[School]:
    """District admins (and jobs) see every school of the district; everyone else the schools they belong to."""
    query = select(School).order_by(School.name)
    if not is_district_wide(actor):
        query = query.where(School.id.in_(actor.school_ids or {-1}))
    return list(db.session.scalars(query))


def school_names(school_ids) -> dict[int, str]:
    """School id -> name, for ids of the current district."""
    ids = list(set(school_ids))
    if not ids:
        return {}
    return dict(db.session.execute(select(School.id, School.name).where(School.id.in_(ids))).tuples().all())


def term_and_school_names(term_ids, school_ids) -> tuple[dict[int, tuple[str, object]], dict[int, str]]:
    """({term id: (name, first day)}, {school id: name}) in one round trip: what a list of sections shows."""
    from sqlalchemy import text

    rows = db.session.execute(
        text(
            "select 'term', id, name, starts_on from terms where id = any(:terms)"
            " union all select 'school', id, name, null from schools where id = any(:schools)"
        ),
        {"terms": list(set(term_ids)), "schools": list(set(school_ids))},
    )
    terms, schools = {}, {}
    for kind, row_id, name, starts_on in rows:
        if kind == "term":
            terms[row_id] = (name, starts_on)
        else:
            schools[row_id] = name
    return terms, schools


def managed_schools(actor) -> list[School]:
    """Structure managers: the schools they manage. NotFound for everyone else."""
    require(can_manage_structure(actor))
    return [school for school in list_schools(actor) if can_manage_school(actor, school.id)]


def get_school(actor, school_id: int) -> School:
    """The one scoped getter for schools: a school the actor manages; NotFound otherwise (another district's too)."""
    school = db.scoped_get(actor, School, school_id)
    if school is None or not can_manage_school(actor, school.id):
        raise NotFound()
    return school


def get_editable_school(actor, school_id: int) -> School:
    """District admins: a school to edit; NotFound for everyone else."""
    school = get_school(actor, school_id)
    require(can_edit_school(actor))
    return school


def update_school(actor, school_id: int, name: str, code: str, grade_low: int, grade_high: int) -> School:
    """District admins. Raises Invalid per field (empty name or code, taken code, reversed grades)."""
    school = get_editable_school(actor, school_id)
    name, code = (name or "").strip(), (code or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Enter the school's name.")
    if not code:
        errors["code"] = _("Enter a short code for the school.")
    elif other := db.session.scalar(select(School.name).where(School.code == code, School.id != school.id)):
        errors["code"] = _("The code %(code)s is already used by %(school)s.", code=code, school=other)
    if grade_low > grade_high:
        errors["grade_high"] = _("The highest grade cannot be below the lowest grade.")
    if errors:
        raise Invalid(errors)
    school.name, school.code, school.grade_low, school.grade_high = name[:200], code[:40], grade_low, grade_high
    record_event(actor, "school.updated", "school", school.id, name=school.name, code=school.code)
    db.session.commit()
    return school
