"""Deterministic data for demos, tests and benchmarks (`flask --app wsgi seed --size ...`).

Runs as the app role under each district's tenant, like everything else: RLS is not lifted for seeding.
Bulk rows go through COPY into a temporary table, then one INSERT ... SELECT that the policies check.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import text

from app import db
from app.accounts.services import hash_password
from app.seed.analytics import seed_analytics
from app.seed.calendar import seed_calendar
from app.seed.compliance import seed_records
from app.seed.curriculum import seed_curriculum
from app.seed.diff import seed_diff_demo
from app.seed.gradebook import seed_gradebook
from app.seed.notifications import seed_notifications
from app.seed.questions import seed_questions
from app.seed.standards import seed_standards
from app.seed.structure import USER_DETAIL_COLUMNS, _person_details, _structure

DEMO_PASSWORD = "chalkline-demo"  # noqa: S105 - the published demo password (README, "The two commands")
FIRST = [
    "Ava",
    "Liam",
    "Noah",
    "Emma",
    "Olivia",
    "Mia",
    "Lucas",
    "Sofia",
    "Mateo",
    "Aria",
    "Ethan",
    "Zoe",
    "Amir",
    "Priya",
    "Kenji",
    "Fatima",
    "Diego",
    "Hana",
    "Omar",
    "Chloe",
    "Leo",
    "Nora",
    "Ivan",
    "Maya",
    "Jamal",
    "Lena",
    "Yusuf",
    "Grace",
    "Theo",
    "Isla",
    "Rafael",
    "Amara",
    "Felix",
    "Nia",
    "Hugo",
    "Elif",
]
LAST = [
    "Nguyen",
    "Garcia",
    "Smith",
    "Johnson",
    "Patel",
    "Kim",
    "Okafor",
    "Rossi",
    "Cohen",
    "Silva",
    "Haddad",
    "Novak",
    "Martin",
    "Lopez",
    "Brown",
    "Ali",
    "Tanaka",
    "Murphy",
    "Schmidt",
    "Costa",
    "Rivera",
    "Ahmed",
    "Walker",
    "Diaz",
    "Chen",
    "Singh",
    "Jones",
    "Davis",
    "Moreau",
    "Ibrahim",
]
SCHOOL_WORDS = [
    "Lincoln",
    "Roosevelt",
    "Jefferson",
    "Washington",
    "Franklin",
    "Madison",
    "Hamilton",
    "Adams",
    "Kennedy",
    "Carver",
    "Parks",
    "Chavez",
    "Douglass",
    "Tubman",
    "Lovelace",
    "Curie",
    "Hopper",
    "Earhart",
    "Muir",
    "Thoreau",
    "Whitman",
    "Dickinson",
    "Emerson",
    "Audubon",
    "Banneker",
    "Bethune",
    "Keller",
    "Sequoyah",
    "Addams",
    "Anthony",
    "Truth",
    "Ride",
]


class SeedRefused(RuntimeError):
    pass


@dataclass(frozen=True)
class Size:
    schools: int
    students: int
    teachers: int
    guardian_links: int
    noise_districts: int


SIZES = {
    "demo": Size(schools=2, students=24, teachers=4, guardian_links=24, noise_districts=0),
    "small": Size(schools=3, students=600, teachers=40, guardian_links=900, noise_districts=1),
    "large": Size(schools=30, students=25_000, teachers=1_200, guardian_links=40_000, noise_districts=2),
}


def run_seed(size: str, if_empty: bool = False) -> str:
    if current_app.config["APP_ENV"] == "production":
        raise SeedRefused("seed makes demo accounts with a published password; it never runs in production")
    db.set_tenant(None)
    started = time.monotonic()
    if if_empty and _any_district():
        return "database already has data; nothing seeded"
    password_hash = hash_password(DEMO_PASSWORD)
    spec = SIZES[size]
    made = []
    made.append(_district("demo", "Demo Unified School District", spec, password_hash, f"{size}-demo", named=True))
    made.append(
        _district(
            "other",
            "Other Valley School District",
            SIZES["demo"],
            password_hash,
            f"{size}-other",
            named=True,
        )
    )
    for index in range(spec.noise_districts):
        slug = f"noise-{index + 1}"
        made.append(
            _district(
                slug,
                f"Noise District {index + 1}",
                _shrink(spec),
                password_hash,
                f"{size}-{slug}",
                named=False,
            )
        )
    seconds = time.monotonic() - started
    return f"seeded {size}: " + "; ".join(made) + f" in {seconds:.1f}s"


def size_of(rng_key: str) -> str:
    """The size a district was seeded at, from its generator key ("large-demo", "small-noise-1")."""
    return rng_key.split("-", 1)[0]


def _any_district() -> bool:
    # No tenant is set, so the tables show nothing; the definer lookup of a demo account answers instead.
    return bool(
        db.session.execute(text("select exists(select 1 from auth_lookup_user('admin@demo.chalkline.test'))")).scalar()
    )


def _shrink(spec: Size) -> Size:
    return Size(
        schools=max(2, spec.schools // 6),
        students=spec.students // 8,
        teachers=spec.teachers // 8,
        guardian_links=spec.guardian_links // 8,
        noise_districts=0,
    )


def _district(slug: str, name: str, spec: Size, password_hash: str, rng_key: str, named: bool) -> str:
    rng = random.Random(rng_key)
    sess = db.session
    district_id = sess.execute(text("select nextval('districts_id_seq')")).scalar()
    db.set_tenant(district_id, None, "system")
    sess.execute(
        text("insert into districts (id, slug, name) values (:id, :slug, :name)"),
        {"id": district_id, "slug": slug, "name": name},
    )
    school_ids = []
    school_bands = []
    for index in range(spec.schools):
        low, high = ((0, 5), (6, 8), (9, 12))[index % 3] if spec.schools > 2 else ((0, 5), (9, 12))[index]
        kind = {0: "Elementary School", 6: "Middle School", 9: "High School"}[low]
        school_bands.append((low, high))
        school_ids.append(
            sess.execute(
                text(
                    "insert into schools (district_id, name, code, grade_low, grade_high)"
                    " values (:d, :n, :c, :lo, :hi) returning id"
                ),
                {
                    "d": district_id,
                    "n": f"{SCHOOL_WORDS[index % len(SCHOOL_WORDS)]} {kind}"
                    + (f" {index // len(SCHOOL_WORDS) + 1}" if index >= len(SCHOOL_WORDS) else ""),
                    "c": f"S{index + 1:03d}",
                    "lo": low,
                    "hi": high,
                },
            ).scalar()
        )
    domain = f"{slug}.chalkline.test"
    people: list[tuple] = []  # (email, display_name, role, school_id)
    if named:
        people += [
            (f"admin@{domain}", "Dana Whitfield", "district_admin", None),
            (f"principal@{domain}", "Marcus Bell", "school_admin", school_ids[0]),
            (f"teacher@{domain}", "Rosa Alvarez", "teacher", school_ids[0]),
            (f"student@{domain}", "Sam Okafor", "student", school_ids[0]),
            (f"guardian@{domain}", "Jordan Okafor", "guardian", None),
        ]
    for index in range(spec.teachers):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        people.append(
            (f"t{index + 1}.{last.lower()}@{domain}", f"{first} {last}", "teacher", school_ids[index % len(school_ids)])
        )
    for index in range(spec.students):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        people.append(
            (f"s{index + 1}.{last.lower()}@{domain}", f"{first} {last}", "student", school_ids[index % len(school_ids)])
        )
    guardian_count = max(1, spec.guardian_links * 2 // 3) if spec.students else 0
    for index in range(guardian_count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        people.append((f"g{index + 1}.{last.lower()}@{domain}", f"{first} {last}", "guardian", None))

    bands = {school_id: band for school_id, band in zip(school_ids, school_bands, strict=True)}
    # Roster data draws from its own generator so the people above stay exactly what they always were.
    roster_rng = random.Random(f"{rng_key}-rosters")
    details = _person_details(people, bands, roster_rng)
    by_email = _copy_users(district_id, people, details, password_hash)
    _copy_rows(
        "memberships",
        ("district_id", "user_id", "school_id", "role"),
        [(district_id, by_email[email], school, role) for email, _, role, school in people],
    )
    # The named demo accounts keep exactly the links the contract promises; generated people get the rest.
    generated = [
        p for p in people if not p[0].startswith(("admin@", "principal@", "teacher@", "student@", "guardian@"))
    ]
    students = [by_email[p[0]] for p in generated if p[2] == "student"]
    guardians = [by_email[p[0]] for p in generated if p[2] == "guardian"]
    links = set()
    if named:
        links.add((by_email[f"guardian@{domain}"], by_email[f"student@{domain}"], "parent"))
    for index in range(spec.guardian_links):
        if not students or not guardians:
            break
        links.add(
            (
                guardians[index % len(guardians)],
                students[rng.randrange(len(students))],
                rng.choice(("parent", "guardian", "grandparent")),
            )
        )
    unique = {}
    for guardian, student, relationship in sorted(links):
        unique.setdefault((guardian, student), relationship)
    _copy_rows(
        "guardian_links",
        ("district_id", "guardian_id", "student_id", "relationship"),
        [(district_id, g, s, r) for (g, s), r in unique.items()],
    )
    structure = _structure(district_id, people, details, by_email, bands, roster_rng)
    plans = seed_curriculum(district_id, rng_key.split("-", 1)[0] if named else "demo", school_ids[0])
    seed_diff_demo(district_id)
    days_off = seed_calendar(district_id, school_ids)
    aligned = seed_standards(district_id, rng_key.split("-", 1)[0] if named else "demo")
    if named:
        seed_questions(district_id, by_email.get(f"teacher@{domain}"))
    grading = seed_gradebook(district_id, size_of(rng_key), "America/New_York", f"teacher@{domain}" if named else None)
    active_days = seed_analytics(district_id)
    seed_notifications(district_id, domain if named else None)
    active_days = seed_analytics(district_id, rebuild=spec.students < 5000)
    if named:
        seed_records(district_id, by_email, domain)
    sess.execute(
        text("insert into events (district_id, type, payload) values (:d, 'district.seeded', cast(:p as jsonb))"),
        {"d": district_id, "p": f'{{"users": {len(people)}, "schools": {len(school_ids)}}}'},
    )
    sess.commit()
    db.set_tenant(None)
    return (
        f"{slug}: {len(school_ids)} schools, {len(people)} people, {len(unique)} guardian links, "
        f"{structure['courses']} courses, {structure['sections']} sections, {structure['enrollments']} enrollments, "
        f"{plans['units']} units, {plans['lessons']} lessons, "
        f"{days_off} days off, {aligned['frameworks']} standards frameworks, {aligned['aligned']} aligned lessons, "
        f"{grading['assignments']} assignments, {grading['grades']} grades, {active_days} active days"
    )


def _copy_users(district_id: int, people: list[tuple], details: dict[str, dict], password_hash: str) -> dict[str, int]:
    columns = ("district_id", "email", "display_name", "password_hash", *USER_DETAIL_COLUMNS)
    data = [
        (district_id, email, display, password_hash, *(details[email][c] for c in USER_DETAIL_COLUMNS))
        for email, display, _, _ in people
    ]
    returned = _copy_rows("users", columns, data, returning="id, email")
    return {email: user_id for user_id, email in returned}


def _copy_rows(table: str, columns: tuple[str, ...], rows: list[tuple], returning: str = "") -> list[tuple]:
    """COPY into a temp table (no RLS there), then INSERT ... SELECT, which the table's policy checks."""
    if not rows:
        return []
    raw = db.session.connection().connection.driver_connection
    cols = ", ".join(columns)
    with raw.cursor() as cursor:
        cursor.execute(f"create temp table seed_buffer on commit drop as select {cols} from {table} with no data")
        with cursor.copy(f"copy seed_buffer ({cols}) from stdin") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"insert into {table} ({cols}) select {cols} from seed_buffer"
            + (f" returning {returning}" if returning else "")
        )
        result = cursor.fetchall() if returning else []
        cursor.execute("drop table seed_buffer")
    return result
