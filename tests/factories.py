"""The one factories module: fixtures that return callables building districts, users, actors, years and sections.

    def test_x(make_user, actor_of, make_section): ...

Everything is built through the models directly (fast, and independent of the pages that make them for real),
under the district's tenant, and committed into the test's outer transaction (rolled back afterwards).
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from app import db
from app.accounts.services import actor_for_user
from app.identity.data import Actor
from tests.browser import Browser


@pytest.fixture
def as_user(app, make_user):
    """as_user("teacher") -> a signed-in Browser for a new user of that role (district from make_user)."""

    def _as(role: str, **kwargs):
        user = make_user(role=role, **kwargs)
        client = Browser(app)
        client.login(user.email, "correct horse battery")
        return client, user

    return _as


PASSWORD = "correct horse battery"


@pytest.fixture
def make_district():
    counter = {"n": 0}

    def _make(slug: str | None = None, name: str | None = None):
        from sqlalchemy import text

        counter["n"] += 1
        slug = slug or f"d-{uuid.uuid4().hex[:8]}"
        district_id = db.session.execute(text("select nextval('districts_id_seq')")).scalar()
        db.set_tenant(district_id, None, "system")
        from app.org.models import District, School

        district = District(id=district_id, slug=slug, name=name or f"District {slug}")
        db.session.add(district)
        db.session.flush()
        school = School(district_id=district_id, name=f"School of {slug}", code="S1", grade_low=0, grade_high=12)
        db.session.add(school)
        db.session.commit()
        district.school_id = school.id
        return district

    return _make


@pytest.fixture
def district(make_district):
    return make_district()


@pytest.fixture
def make_user(district):
    from app.accounts.models import Membership, User
    from app.accounts.services import hash_password

    password_hash = hash_password(PASSWORD)

    def _make(
        role: str = "teacher",
        district=district,
        email: str | None = None,
        school_id: int | None = -1,
        password: str | None = PASSWORD,
        **fields,
    ):
        db.set_tenant(district.id, None, "system")
        email = email or f"{role}-{uuid.uuid4().hex[:8]}@example.test"
        user = User(
            district_id=district.id,
            email=email,
            display_name=fields.pop("display_name", email.split("@")[0]),
            password_hash=password_hash
            if password == PASSWORD
            else (None if password is None else hash_password(password)),
            is_active=fields.pop("is_active", True),
            **fields,
        )
        db.session.add(user)
        db.session.flush()
        if school_id == -1:
            school_id = None if role in ("district_admin", "guardian") else district.school_id
        db.session.add(Membership(district_id=district.id, user_id=user.id, school_id=school_id, role=role))
        db.session.commit()
        return user

    return _make


@pytest.fixture
def tenant():
    """tenant(district) scopes the test's own queries like a request of that district would be."""

    def _scope(district, user_id=None, role="system"):
        db.set_tenant(district.id if district is not None else None, user_id, role)

    return _scope


@pytest.fixture
def actor_of():
    """actor_of(user) -> the Actor services see for that user, under the user's district."""

    def _actor(user) -> Actor:
        return actor_for_user(user.district_id, user.id)

    return _actor


@pytest.fixture
def make_section(district):
    from app.org.models import AcademicYear, Course, Term
    from app.rosters.models import Section, SectionTeacher

    made = {}

    def _make(
        name: str = "Math 7",
        period: str | None = "P1",
        teacher=None,
        district=district,
        school_id=None,
        is_archived: bool = False,
    ):
        db.set_tenant(district.id, None, "system")
        if district.id not in made:
            year = AcademicYear(
                district_id=district.id,
                name=f"Y-{uuid.uuid4().hex[:6]}",
                starts_on=date(2026, 8, 1),
                ends_on=date(2027, 6, 30),
                is_current=True,
            )
            db.session.add(year)
            db.session.flush()
            term = Term(
                district_id=district.id,
                academic_year_id=year.id,
                name="Fall",
                starts_on=date(2026, 8, 1),
                ends_on=date(2026, 12, 20),
            )
            db.session.add(term)
            db.session.flush()
            made[district.id] = term
        term = made[district.id]
        school_id = school_id or district.school_id
        course = Course(district_id=district.id, school_id=school_id, code=f"C-{uuid.uuid4().hex[:6]}", name=name)
        db.session.add(course)
        db.session.flush()
        section = Section(
            district_id=district.id,
            course_id=course.id,
            term_id=term.id,
            school_id=school_id,
            name=name,
            period=period,
            is_archived=is_archived,
        )
        db.session.add(section)
        db.session.flush()
        if teacher is not None:
            db.session.add(SectionTeacher(district_id=district.id, section_id=section.id, teacher_id=teacher.id))
        db.session.commit()
        return section

    return _make


@pytest.fixture
def make_actor(make_user):
    """make_actor("district_admin", **user_fields) -> the Actor services see for a new user of that role."""

    def _make(role: str = "district_admin", **kwargs) -> Actor:
        user = make_user(role, **kwargs)
        return actor_for_user(user.district_id, user.id)

    return _make


@pytest.fixture
def make_year():
    """make_year(admin, "2026-27", 2026, current=False, terms=True): 1 Aug to 30 Jun, with Fall and Spring terms."""
    from app.org import services

    def _make(admin, name: str, start: int, *, current: bool = False, terms: bool = True):
        made = services.create_year(admin, name, date(start, 8, 1), date(start + 1, 6, 30), current)
        if terms:
            services.create_term(admin, made.id, "Fall", date(start, 8, 15), date(start, 12, 20))
            services.create_term(admin, made.id, "Spring", date(start + 1, 1, 5), date(start + 1, 6, 15))
        return made

    return _make


@pytest.fixture
def make_enrollment():
    """make_enrollment(district_id, section_id, student_id, added_on) -> an active Enrollment row."""
    from app.rosters.models import Enrollment

    def _make(district_id: int, section_id: int, student_id: int, added_on: date):
        enrollment = Enrollment(
            district_id=district_id, section_id=section_id, student_id=student_id, added_on=added_on
        )
        db.session.add(enrollment)
        db.session.commit()
        return enrollment

    return _make


def terms_of(admin, year_id: int) -> list:
    """The terms of a year, in order (a reader the structure tests share, not a factory)."""
    from app.org import services

    return services.terms_by_year(admin, [year_id])[year_id]


@pytest.fixture
def event_consumer(app):
    """A subscribed consumer of course.updated and term.updated that remembers the batches it was handed."""
    from app.events import services

    batches: list[list[tuple[int, str]]] = []

    def _consume(batch):
        batches.append([(event.district_id, event.type) for event in batch])

    services.subscribe(app, "test", {"course.updated", "term.updated"}, _consume)
    yield batches
    app.extensions[services.CONSUMERS_KEY] = [c for c in app.extensions[services.CONSUMERS_KEY] if c.name != "test"]


def record_course_updated(actor, n: int = 1):
    """An event the test consumer wants (course.updated, subject course n)."""
    from app.events.services import record_event

    return record_event(actor, "course.updated", "course", n, code=f"C{n}")


@pytest.fixture
def test_job_kind(app):
    """Registers the job kinds "test.job" and "test.kind" for jobs the tests start themselves."""
    from app.jobruns.services import KINDS_KEY

    for kind in ("test.job", "test.kind"):
        app.extensions.setdefault(KINDS_KEY, {}).setdefault(kind, "A test job")
    return "test.job"


@pytest.fixture
def make_school(district):
    """make_school(name="Second School", district=district) -> another school of the district."""
    from app.org.models import School

    def _make(name: str = "Second School", district=district):
        db.set_tenant(district.id, None, "system")
        school = School(district_id=district.id, name=name, code=uuid.uuid4().hex[:6], grade_low=0, grade_high=12)
        db.session.add(school)
        db.session.commit()
        return school

    return _make


ROLES = ("district_admin", "school_admin", "teacher", "student", "guardian")


@pytest.fixture
def actor_in_role(make_actor):
    """actor_in_role(role) -> an Actor of that role at the district's first school (district-wide for
    district admins and guardians), with the permissions the database grants it."""

    def _make(role: str, **kwargs):
        return make_actor(role, **kwargs)

    return _make


@pytest.fixture
def add_membership(district):
    """add_membership(user, role, school_id): a second role for an existing user (at another school, say)."""
    from app.accounts.models import Membership

    def _add(user, role: str, school_id: int | None):
        db.set_tenant(user.district_id, None, "system")
        db.session.add(Membership(district_id=user.district_id, user_id=user.id, school_id=school_id, role=role))
        db.session.commit()
        return user

    return _add
