"""Academic years and their terms (the grading periods); years of a district never overlap, nor terms of a year."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update

from app import db
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.org.models import AcademicYear, Term
from app.org.policy import can_manage_structure, can_manage_years
from app.org.services.common import day, guarded_flush, require


def list_years(actor) -> list[AcademicYear]:
    """Structure managers (school admins read only). Newest first."""
    require(can_manage_structure(actor))
    return list(db.session.scalars(select(AcademicYear).order_by(AcademicYear.starts_on.desc())))


def terms_by_year(actor, year_ids: list[int]) -> dict[int, list[Term]]:
    require(can_manage_structure(actor))
    result: dict[int, list[Term]] = {year_id: [] for year_id in year_ids}
    query = select(Term).where(Term.academic_year_id.in_(year_ids or [-1])).order_by(Term.starts_on)
    for term in db.session.scalars(query):
        result[term.academic_year_id].append(term)
    return result


def get_year(actor, year_id: int) -> AcademicYear:
    """A year of the actor's district, for structure managers; NotFound otherwise."""
    require(can_manage_structure(actor))
    year = db.scoped_get(actor, AcademicYear, year_id) if year_id else None
    if year is None:
        raise NotFound()
    return year


def current_year(actor) -> AcademicYear | None:
    """The year marked current, else the latest one that has started, else the earliest."""
    require(can_manage_structure(actor))
    year = db.session.scalar(select(AcademicYear).where(AcademicYear.is_current))
    if year is None:
        year = db.session.scalar(
            select(AcademicYear).where(AcademicYear.starts_on <= date.today()).order_by(AcademicYear.starts_on.desc())
        ) or db.session.scalar(select(AcademicYear).order_by(AcademicYear.starts_on))
    return year


def _check_dates(starts_on: date | None, ends_on: date | None) -> dict[str, str]:
    errors = {}
    if starts_on is None:
        errors["starts_on"] = _("Enter the first day as a date.")
    if ends_on is None:
        errors["ends_on"] = _("Enter the last day as a date.")
    if starts_on and ends_on and ends_on <= starts_on:
        errors["ends_on"] = _("The last day must be after the first day (%(start)s).", start=day(starts_on))
    return errors


def _first_overlap(model, starts_on: date, ends_on: date, exclude_id: int | None, *scope):
    """The earliest year or term (within `scope`) whose dates share a day with starts_on..ends_on."""
    return db.session.scalar(
        select(model)
        .where(*scope, model.id != (exclude_id or -1), model.starts_on <= ends_on, model.ends_on >= starts_on)
        .order_by(model.starts_on)
    )


def _check_year(name: str, starts_on: date | None, ends_on: date | None, year_id: int | None) -> None:
    errors = _check_dates(starts_on, ends_on)
    if not name:
        errors["name"] = _("Enter a name, for example 2026-27.")
    elif db.session.scalar(
        select(AcademicYear.id).where(AcademicYear.name == name, AcademicYear.id != (year_id or -1))
    ):
        errors["name"] = _("There is already a year named %(name)s.", name=name)
    if not errors:
        other = _first_overlap(AcademicYear, starts_on, ends_on, year_id)
        if other is not None:
            errors["starts_on"] = _(
                "These dates overlap the year %(name)s (%(start)s to %(end)s). Years may not overlap.",
                name=other.name,
                start=day(other.starts_on),
                end=day(other.ends_on),
            )
    if year_id is not None and not errors:
        outside = db.session.scalar(
            select(Term)
            .where(Term.academic_year_id == year_id, (Term.starts_on < starts_on) | (Term.ends_on > ends_on))
            .order_by(Term.starts_on)
        )
        if outside is not None:
            errors["starts_on"] = _(
                "The term %(term)s (%(start)s to %(end)s) would fall outside the year. Change the term first.",
                term=outside.name,
                start=day(outside.starts_on),
                end=day(outside.ends_on),
            )
    if errors:
        raise Invalid(errors)


def make_current(year: AcademicYear) -> None:
    # The partial unique index allows one current year: clear the others before setting this one.
    db.session.execute(
        update(AcademicYear).where(AcademicYear.is_current, AcademicYear.id != year.id).values(is_current=False)
    )
    db.session.flush()
    year.is_current = True


def create_year(actor, name: str, starts_on: date | None, ends_on: date | None, is_current: bool = False):
    """District admins. Raises Invalid naming the overlapping year, a taken name or reversed dates."""
    require(can_manage_years(actor))
    name = (name or "").strip()[:60]
    _check_year(name, starts_on, ends_on, None)
    year = AcademicYear(district_id=actor.district_id, name=name, starts_on=starts_on, ends_on=ends_on)
    db.session.add(year)
    guarded_flush(_("These dates overlap another year. Reload the page and check the list of years."), "starts_on")
    if is_current:
        make_current(year)
    record_event(actor, "academic_year.created", "academic_year", year.id, name=name)
    db.session.commit()
    return year


def update_year(actor, year_id: int, name: str, starts_on: date | None, ends_on: date | None) -> AcademicYear:
    """District admins. Raises Invalid as create_year does, and when a term would fall outside the year."""
    year = get_year(actor, year_id)
    require(can_manage_years(actor))
    name = (name or "").strip()[:60]
    _check_year(name, starts_on, ends_on, year.id)
    year.name, year.starts_on, year.ends_on = name, starts_on, ends_on
    guarded_flush(_("These dates overlap another year. Reload the page and check the list of years."), "starts_on")
    record_event(actor, "academic_year.updated", "academic_year", year.id, name=name)
    db.session.commit()
    return year


def set_current_year(actor, year_id: int) -> AcademicYear:
    """District admins. Marks one year current (the others stop being current)."""
    year = get_year(actor, year_id)
    require(can_manage_years(actor))
    make_current(year)
    record_event(actor, "academic_year.made_current", "academic_year", year.id, name=year.name)
    db.session.commit()
    return year


def get_term(actor, term_id: int) -> Term:
    require(can_manage_structure(actor))
    term = db.scoped_get(actor, Term, term_id)
    if term is None:
        raise NotFound()
    return term


def _check_term(year: AcademicYear, name: str, starts_on: date | None, ends_on: date | None, term_id: int | None):
    errors = _check_dates(starts_on, ends_on)
    if not name:
        errors["name"] = _("Enter a name, for example Fall semester.")
    elif db.session.scalar(
        select(Term.id).where(Term.academic_year_id == year.id, Term.name == name, Term.id != (term_id or -1))
    ):
        errors["name"] = _("%(year)s already has a term named %(name)s.", year=year.name, name=name)
    if not errors and (starts_on < year.starts_on or ends_on > year.ends_on):
        errors["starts_on" if starts_on < year.starts_on else "ends_on"] = _(
            "A term must lie inside its year: %(year)s runs from %(start)s to %(end)s.",
            year=year.name,
            start=day(year.starts_on),
            end=day(year.ends_on),
        )
    if not errors:
        other = _first_overlap(Term, starts_on, ends_on, term_id, Term.academic_year_id == year.id)
        if other is not None:
            errors["starts_on"] = _(
                "These dates overlap the term %(name)s (%(start)s to %(end)s). Terms of a year may not overlap.",
                name=other.name,
                start=day(other.starts_on),
                end=day(other.ends_on),
            )
    if errors:
        raise Invalid(errors)


def create_term(actor, year_id: int, name: str, starts_on: date | None, ends_on: date | None) -> Term:
    """District admins. Raises Invalid when the term leaves its year or overlaps a sibling (named)."""
    year = get_year(actor, year_id)
    require(can_manage_years(actor))
    name = (name or "").strip()[:60]
    _check_term(year, name, starts_on, ends_on, None)
    term = Term(
        district_id=actor.district_id, academic_year_id=year.id, name=name, starts_on=starts_on, ends_on=ends_on
    )
    db.session.add(term)
    guarded_flush(_("These dates overlap another term. Reload the page and check the terms."), "starts_on")
    record_event(actor, "term.created", "term", term.id, name=name, academic_year_id=year.id)
    db.session.commit()
    return term


def update_term(actor, term_id: int, name: str, starts_on: date | None, ends_on: date | None) -> Term:
    """District admins. Raises Invalid as create_term does."""
    term = get_term(actor, term_id)
    require(can_manage_years(actor))
    year = get_year(actor, term.academic_year_id)
    name = (name or "").strip()[:60]
    _check_term(year, name, starts_on, ends_on, term.id)
    term.name, term.starts_on, term.ends_on = name, starts_on, ends_on
    guarded_flush(_("These dates overlap another term. Reload the page and check the terms."), "starts_on")
    record_event(actor, "term.updated", "term", term.id, name=name)
    db.session.commit()
    return term


def years_overview(actor) -> dict:
    """Structure managers: every year with its terms, and whether the actor may change them."""
    years = list_years(actor)
    return {"years": years, "terms": terms_by_year(actor, [y.id for y in years]), "can_edit": can_manage_years(actor)}


def year_overview(actor, year_id: int) -> dict:
    year = get_year(actor, year_id)
    return {"year": year, "terms": terms_by_year(actor, [year.id])[year.id], "can_edit": can_manage_years(actor)}


def year_names(year_ids) -> dict[int, str]:
    ids = list(set(year_ids))
    if not ids:
        return {}
    return dict(
        db.session.execute(select(AcademicYear.id, AcademicYear.name).where(AcademicYear.id.in_(ids))).tuples().all()
    )


def terms_by_id(term_ids) -> dict[int, Term]:
    """Terms of the current district by id (for other domains' pages)."""
    ids = list(set(term_ids))
    if not ids:
        return {}
    return {term.id: term for term in db.session.scalars(select(Term).where(Term.id.in_(ids)))}


def term_of(actor, term_id) -> Term | None:
    """A term of the actor's district by id, for other domains (no permission check: the caller made it)."""
    return db.scoped_get(actor, Term, term_id)


def year_of(actor, year_id) -> AcademicYear | None:
    """A year of the actor's district by id, for other domains (no permission check: the caller made it)."""
    return db.scoped_get(actor, AcademicYear, year_id)


def open_terms() -> list[tuple[Term, str]]:
    """Terms of years not archived, newest year first, with the year's name (choices for a section's term)."""
    return list(
        db.session.execute(
            select(Term, AcademicYear.name)
            .join(AcademicYear, AcademicYear.id == Term.academic_year_id)
            .where(~AcademicYear.is_archived)
            .order_by(AcademicYear.starts_on.desc(), Term.starts_on)
        ).tuples()
    )


def term_ids_of_year(year_id: int) -> list[int]:
    return list(db.session.scalars(select(Term.id).where(Term.academic_year_id == year_id)))


def pick_year(actor, year_id: int | None) -> AcademicYear | None:
    """The chosen year, or the current one when none is chosen."""
    if year_id:
        return get_year(actor, year_id)
    return current_year(actor)


def years_in_order() -> list[AcademicYear]:
    """Every year of the district, oldest first (rollover choices)."""
    return list(db.session.scalars(select(AcademicYear).order_by(AcademicYear.starts_on)))


def archive_year(year: AcademicYear, archived: bool = True) -> None:
    year.is_archived = archived


def current_year_id() -> int | None:
    return db.session.scalar(select(AcademicYear.id).where(AcademicYear.is_current))


def set_current_year_id(year_id: int | None) -> None:
    """Rollover: make this year the only current one (None clears every flag)."""
    db.session.execute(update(AcademicYear).where(AcademicYear.is_current).values(is_current=False))
    db.session.flush()
    if year_id:
        db.session.execute(update(AcademicYear).where(AcademicYear.id == year_id).values(is_current=True))
