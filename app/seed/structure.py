"""The school year of a seeded district: years, terms, course catalogs, sections, teachers and enrollments.

Everything is drawn from the district's own roster generator, so the same size always makes the same rows.
Each student takes a grade-band catalog: elementary students 1-3 sections a term (homeroom always), middle
and high school students 5-7 (their grade's four core courses always, electives for the rest). Students who
take the same course in the same term are split into sections of about 30.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

from sqlalchemy import text

from app import db

USER_DETAIL_COLUMNS = (
    "given_name",
    "family_name",
    "identifier",
    "grade_level",
    "pronouns",
    "birth_date",
    "has_iep",
    "has_504",
    "is_ell",
)
SECTION_SIZE = 30
STAFF_NUMBERS = {"teacher": 0, "school_admin": 50000, "district_admin": 90000}
PRONOUNS = ("she/her", "he/him", "they/them", "she/they", "he/they")
# (name, starts_on, ends_on, is_current, is_archived, [(term, starts_on, ends_on)])
YEARS = (
    (
        "2025-26",
        date(2025, 8, 11),
        date(2026, 6, 30),
        False,
        True,
        (("Fall 2025", date(2025, 8, 18), date(2026, 1, 16)), ("Spring 2026", date(2026, 1, 20), date(2026, 6, 12))),
    ),
    (
        "2026-27",
        date(2026, 8, 10),
        date(2027, 6, 30),
        True,
        False,
        (("Fall 2026", date(2026, 8, 17), date(2027, 1, 15)), ("Spring 2027", date(2027, 1, 19), date(2027, 6, 11))),
    ),
)
GRADE_NAMES = {0: "Kindergarten", 1: "Grade 1", 2: "Grade 2", 3: "Grade 3", 4: "Grade 4", 5: "Grade 5"}
ELEMENTARY = (("HR", "Homeroom", "Homeroom"), ("MATH", "Math", "Mathematics"), ("READ", "Reading", "English"),
              ("SCI", "Science", "Science"))  # fmt: skip
# (code, name, subject, grade_low, grade_high, core)
MIDDLE = (
    ("MATH6", "Math 6", "Mathematics", 6, 6, True),
    ("MATH7", "Math 7", "Mathematics", 7, 7, True),
    ("MATH8", "Math 8", "Mathematics", 8, 8, True),
    ("ENG6", "English 6", "English", 6, 6, True),
    ("ENG7", "English 7", "English", 7, 7, True),
    ("ENG8", "English 8", "English", 8, 8, True),
    ("SCI6", "Earth Science", "Science", 6, 6, True),
    ("SCI7", "Life Science", "Science", 7, 7, True),
    ("SCI8", "Physical Science", "Science", 8, 8, True),
    ("SS6", "World Geography", "Social Studies", 6, 6, True),
    ("SS7", "World Cultures", "Social Studies", 7, 7, True),
    ("SS8", "US History 8", "Social Studies", 8, 8, True),
    ("PE-M", "Physical Education", "Physical Education", 6, 8, False),
    ("ART-M", "Art", "Arts", 6, 8, False),
    ("MUS-M", "Music", "Arts", 6, 8, False),
    ("SPAN-M", "Exploratory Spanish", "World Languages", 7, 8, False),
)
HIGH = (
    ("ALG1", "Algebra I", "Mathematics", 9, 9, True),
    ("GEOM", "Geometry", "Mathematics", 10, 10, True),
    ("ALG2", "Algebra II", "Mathematics", 11, 11, True),
    ("PRECALC", "Precalculus", "Mathematics", 12, 12, True),
    ("ENG9", "English 9", "English", 9, 9, True),
    ("ENG10", "English 10", "English", 10, 10, True),
    ("ENG11", "English 11", "English", 11, 11, True),
    ("ENG12", "English 12", "English", 12, 12, True),
    ("BIO", "Biology", "Science", 9, 9, True),
    ("CHEM", "Chemistry", "Science", 10, 10, True),
    ("PHYS", "Physics", "Science", 11, 11, True),
    ("ENVSCI", "Environmental Science", "Science", 12, 12, True),
    ("WGEO", "World Geography", "Social Studies", 9, 9, True),
    ("WHIST", "World History", "Social Studies", 10, 10, True),
    ("USHIST", "US History", "Social Studies", 11, 11, True),
    ("GOV", "Government", "Social Studies", 12, 12, True),
    ("PE-H", "Health and PE", "Physical Education", 9, 12, False),
    ("ART-H", "Studio Art", "Arts", 9, 12, False),
    ("SPAN1", "Spanish I", "World Languages", 9, 12, False),
    ("CS-H", "Computer Science", "Computer Science", 9, 12, False),
    ("CHOIR", "Choir", "Arts", 9, 12, False),
)


def _catalog(low: int, high: int) -> list[tuple[str, str, str, int, int, bool]]:
    if high <= 5:
        return [
            (
                f"{code}-{'K' if grade == 0 else grade}",
                f"{GRADE_NAMES[grade]} {name}",
                subject,
                grade,
                grade,
                code == "HR",
            )
            for grade in range(max(low, 0), high + 1)
            for code, name, subject in ELEMENTARY
        ]
    return [c for c in (MIDDLE if high <= 8 else HIGH) if c[4] >= low and c[3] <= high]


def _band(low: int, high: int, students_here: int) -> list[int]:
    """A school's grades; a tiny school (the demo) keeps its few students in one or two middle grades."""
    grades = list(range(low, high + 1))
    span = max(1, min(len(grades), students_here // SECTION_SIZE))
    start = (len(grades) - span) // 2
    return grades[start : start + span]


def _person_details(people: list[tuple], bands: dict[int, tuple[int, int]], rng: random.Random) -> dict[str, dict]:
    """Names, identifiers, grade levels, pronouns and support flags for every person, by email."""
    per_school: dict[int, int] = defaultdict(int)
    for _, _, role, school in people:
        if role == "student":
            per_school[school] += 1
    details: dict[str, dict] = {}
    counters: dict[str, int] = defaultdict(int)
    for email, display, role, school in people:
        given, _, family = display.partition(" ")
        counters[role] += 1
        row = dict.fromkeys(USER_DETAIL_COLUMNS)
        row.update(given_name=given, family_name=family, has_iep=False, has_504=False, is_ell=False)
        if role == "student":
            grade = rng.choice(_band(*bands[school], per_school[school]))
            row.update(
                identifier=f"{100000 + counters[role]}",
                grade_level=grade,
                pronouns=rng.choice(PRONOUNS) if rng.random() < 0.3 else None,
                birth_date=date(2026 - 6 - grade, rng.randint(1, 12), rng.randint(1, 28)),
                has_iep=rng.random() < 0.12,
                has_504=rng.random() < 0.05,
                is_ell=rng.random() < 0.10,
            )
        elif role in ("teacher", "school_admin", "district_admin"):
            row.update(
                identifier=f"E{counters[role] + STAFF_NUMBERS[role]:05d}",
                pronouns=rng.choice(PRONOUNS[:3]) if rng.random() < 0.4 else None,
            )
        details[email] = row
    return details


def _structure(
    district_id: int,
    people: list[tuple],
    details: dict[str, dict],
    by_email: dict[str, int],
    bands: dict[int, tuple[int, int]],
    rng: random.Random,
) -> dict[str, int]:
    from app.seed import _copy_rows

    sess = db.session
    current_terms: list[tuple[int, str, date]] = []
    for name, starts, ends, is_current, archived, terms in YEARS:
        year_id = sess.execute(
            text(
                "insert into academic_years (district_id, name, starts_on, ends_on, is_current, is_archived)"
                " values (:d, :n, :s, :e, :c, :a) returning id"
            ),
            {"d": district_id, "n": name, "s": starts, "e": ends, "c": is_current, "a": archived},
        ).scalar()
        for term, term_starts, term_ends in terms:
            term_id = sess.execute(
                text(
                    "insert into terms (district_id, academic_year_id, name, starts_on, ends_on)"
                    " values (:d, :y, :n, :s, :e) returning id"
                ),
                {"d": district_id, "y": year_id, "n": term, "s": term_starts, "e": term_ends},
            ).scalar()
            if is_current:
                current_terms.append((term_id, year_id, starts))
    year_id, year_start = current_terms[0][1], current_terms[0][2]

    teachers: dict[int, list[int]] = defaultdict(list)  # in people order, so teacher@ comes first at its school
    students: dict[int, list[tuple[int, int]]] = defaultdict(list)  # school -> (user id, grade)
    for email, _, role, school in people:
        if role == "teacher":
            teachers[school].append(by_email[email])
        elif role == "student":
            students[school].append((by_email[email], details[email]["grade_level"]))

    course_rows, course_keys = [], []
    for school, (low, high) in bands.items():
        for code, name, subject, grade_low, grade_high, _ in _catalog(low, high):
            course_rows.append((district_id, school, year_id, code, name, subject, grade_low, grade_high))
            course_keys.append((school, code))
    course_ids = _reserve("courses_id_seq", len(course_rows))
    _copy_rows(
        "courses",
        ("id", "district_id", "school_id", "academic_year_id", "code", "name", "subject", "grade_low", "grade_high"),
        [(cid, *row) for cid, row in zip(course_ids, course_rows, strict=True)],
    )
    course_id = dict(zip(course_keys, course_ids, strict=True))

    sections: list[tuple] = []  # (school, term, code, name, period, room)
    section_students: list[list[int]] = []
    for school, (low, high) in bands.items():
        catalog = _catalog(low, high)
        elementary = high <= 5
        for term_id, _, _ in current_terms:
            takers: dict[str, list[int]] = defaultdict(list)
            for student, grade in students[school]:
                eligible = [c for c in catalog if c[3] <= grade <= c[4]]
                core = [c[0] for c in eligible if c[5]]
                extra = [c[0] for c in eligible if not c[5]]
                want = rng.randint(1, 3) if elementary else rng.randint(5, 7)
                picked = core[:want] + rng.sample(extra, min(len(extra), max(0, want - len(core))))
                for code in picked:
                    takers[code].append(student)
            for code, name, *_ in catalog:
                group = takers.get(code)
                if not group:
                    continue
                rng.shuffle(group)
                count = max(1, round(len(group) / SECTION_SIZE), -(-len(group) // (SECTION_SIZE + 6)))
                first_period = rng.randint(0, 6)
                for index in range(count):
                    # Sections of one course meet in different periods; past seven, a number tells them apart.
                    period = (first_period + index) % 7 + 1
                    room = f"{rng.choice('ABC')}{rng.randint(1, 2)}{rng.randint(1, 30):02d}"
                    label = name if index < 7 else f"{name} ({index // 7 + 1})"
                    sections.append((school, term_id, code, label, str(period), room))
                    section_students.append(sorted(group[index::count]))
    section_ids = _reserve("sections_id_seq", len(sections))
    _copy_rows(
        "sections",
        ("id", "district_id", "course_id", "term_id", "school_id", "name", "period", "room"),
        [
            (sid, district_id, course_id[(school, code)], term, school, label, period, room)
            for sid, (school, term, code, label, period, room) in zip(section_ids, sections, strict=True)
        ],
    )

    teaching = []
    taught_so_far: dict[int, int] = defaultdict(int)
    for sid, (school, *_rest) in zip(section_ids, sections, strict=True):
        staff = teachers.get(school)
        if not staff:
            continue
        turn = taught_so_far[school]
        taught_so_far[school] += 1
        teaching.append((district_id, sid, staff[turn % len(staff)], True))
        if len(staff) > 1 and rng.random() < 0.1:
            teaching.append((district_id, sid, staff[(turn + 1) % len(staff)], False))
    _copy_rows("section_teachers", ("district_id", "section_id", "teacher_id", "is_primary"), teaching)

    enrollments = [
        (district_id, sid, student, year_start)
        for sid, roster in zip(section_ids, section_students, strict=True)
        for student in roster
    ]
    _copy_rows("enrollments", ("district_id", "section_id", "student_id", "added_on"), enrollments)
    return {"courses": len(course_rows), "sections": len(sections), "enrollments": len(enrollments)}


def _reserve(sequence: str, count: int) -> list[int]:
    if not count:
        return []
    return list(
        db.session.execute(
            text(f"select nextval('{sequence}') from generate_series(1, :n)"),
            {"n": count},
        ).scalars()
    )
