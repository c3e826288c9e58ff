"""Seeded standards: grades 2 and 6 of a state's mathematics standards as a CASE 1.0 package (codes as teachers
read them, clusters without codes, one standard under two parents), imported through the standards pipeline, and
the first few lessons of each mathematics course aligned to it (in their live row and their newest and published
versions, as a save would write them). `--size large` also imports a generated K-12 framework of 5,000 items and
aligns the other mathematics lessons to it.

`case_package(...)` makes the same framework for the same arguments; perf/standards_benchmark.py uses it too.
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy import text

from app import db
from app.identity.data import SystemActor
from app.standards import services as standards

NAMESPACE = uuid.UUID("0b5e6a52-17a0-4e1f-82c3-d4e5f6a7b8c9")
# (key, code, statement, parent key, type); a cluster has no code (real packages leave it blank).
GRADE2 = (
    ("2", "2", "Grade 2 Mathematics", None, "Grade"),
    ("2.OA", "2.OA", "Operations and Algebraic Thinking", "2", "Domain"),
    ("2.OA.A", "", "Represent and solve problems involving addition and subtraction.", "2.OA", "Cluster"),
    ("2.OA.A.1", "2.OA.A.1", "Use addition and subtraction within 100 to solve one- and two-step word problems.",
     "2.OA.A", "Standard"),
    ("2.OA.B", "", "Add and subtract within 20.", "2.OA", "Cluster"),
    ("2.OA.B.2", "2.OA.B.2", "Fluently add and subtract within 20 using mental strategies.", "2.OA.B",
     "Standard"),
    ("2.NBT", "2.NBT", "Number and Operations in Base Ten", "2", "Domain"),
    ("2.NBT.A", "", "Understand place value.", "2.NBT", "Cluster"),
    ("2.NBT.A.1", "2.NBT.A.1", "Understand that the three digits of a three-digit number represent amounts of "
     "hundreds, tens, and ones.", "2.NBT.A", "Standard"),
    ("2.NBT.A.2", "2.NBT.A.2", "Count within 1000; skip-count by 5s, 10s, and 100s.", "2.NBT.A", "Standard"),
    ("2.NBT.B", "", "Use place value understanding and properties of operations to add and subtract.", "2.NBT",
     "Cluster"),
    ("2.NBT.B.5", "2.NBT.B.5", "Fluently add and subtract within 100 using strategies based on place value.",
     "2.NBT.B", "Standard"),
    ("2.MD", "2.MD", "Measurement and Data", "2", "Domain"),
    ("2.MD.A", "", "Measure and estimate lengths in standard units.", "2.MD", "Cluster"),
    ("2.MD.A.1", "2.MD.A.1", "Measure the length of an object by selecting and using appropriate tools.",
     "2.MD.A", "Standard"),
    ("2.MD.C", "", "Work with time and money.", "2.MD", "Cluster"),
    ("2.MD.C.7", "2.MD.C.7", "Tell and write time from analog and digital clocks to the nearest five minutes.",
     "2.MD.C", "Standard"),
    ("2.MD.C.8", "2.MD.C.8", "Solve word problems involving dollar bills, quarters, dimes, nickels, and pennies.",
     "2.MD.C", "Standard"),
    ("2.G", "2.G", "Geometry", "2", "Domain"),
    ("2.G.A", "", "Reason with shapes and their attributes.", "2.G", "Cluster"),
    ("2.G.A.1", "2.G.A.1", "Recognize and draw shapes having specified attributes.", "2.G.A", "Standard"),
)  # fmt: skip
GRADE6 = (
    ("6", "6", "Grade 6 Mathematics", None, "Grade"),
    ("6.RP", "6.RP", "Ratios and Proportional Relationships", "6", "Domain"),
    ("6.RP.A", "", "Understand ratio concepts and use ratio reasoning to solve problems.", "6.RP", "Cluster"),
    ("6.RP.A.1", "6.RP.A.1", "Understand the concept of a ratio and use ratio language to describe a ratio "
     "relationship between two quantities.", "6.RP.A", "Standard"),
    ("6.RP.A.2", "6.RP.A.2", "Understand the concept of a unit rate a/b associated with a ratio a:b with b ≠ 0.",
     "6.RP.A", "Standard"),
    ("6.RP.A.3", "6.RP.A.3", "Use ratio and rate reasoning to solve real-world and mathematical problems.",
     "6.RP.A", "Standard"),
    ("6.RP.A.3a", "6.RP.A.3a", "Make tables of equivalent ratios relating quantities with whole-number "
     "measurements.", "6.RP.A.3", "Component"),
    ("6.RP.A.3b", "6.RP.A.3b", "Solve unit rate problems including those involving unit pricing and constant "
     "speed.", "6.RP.A.3", "Component"),
    ("6.NS", "6.NS", "The Number System", "6", "Domain"),
    ("6.NS.A", "", "Apply and extend previous understandings of multiplication and division to divide fractions "
     "by fractions.", "6.NS", "Cluster"),
    ("6.NS.A.1", "6.NS.A.1", "Interpret and compute quotients of fractions, and solve word problems involving "
     "division of fractions by fractions.", "6.NS.A", "Standard"),
    ("6.NS.B", "", "Compute fluently with multi-digit numbers and find common factors and multiples.", "6.NS",
     "Cluster"),
    ("6.NS.B.2", "6.NS.B.2", "Fluently divide multi-digit numbers using the standard algorithm.", "6.NS.B",
     "Standard"),
    ("6.NS.B.3", "6.NS.B.3", "Fluently add, subtract, multiply, and divide multi-digit decimals.", "6.NS.B",
     "Standard"),
    ("6.EE", "6.EE", "Expressions and Equations", "6", "Domain"),
    ("6.EE.A", "", "Apply and extend previous understandings of arithmetic to algebraic expressions.", "6.EE",
     "Cluster"),
    ("6.EE.A.1", "6.EE.A.1", "Write and evaluate numerical expressions involving whole-number exponents.",
     "6.EE.A", "Standard"),
    ("6.EE.A.2", "6.EE.A.2", "Write, read, and evaluate expressions in which letters stand for numbers.",
     "6.EE.A", "Standard"),
    ("6.G", "6.G", "Geometry", "6", "Domain"),
    ("6.G.A", "", "Solve real-world and mathematical problems involving area, surface area, and volume.", "6.G",
     "Cluster"),
    ("6.G.A.1", "6.G.A.1", "Find the area of right triangles, other triangles, special quadrilaterals, and "
     "polygons.", "6.G.A", "Standard"),
    ("6.SP", "6.SP", "Statistics and Probability", "6", "Domain"),
    ("6.SP.A", "", "Develop understanding of statistical variability.", "6.SP", "Cluster"),
    ("6.SP.A.1", "6.SP.A.1", "Recognize a statistical question as one that anticipates variability in the data.",
     "6.SP.A", "Standard"),
)  # fmt: skip
# 6.RP.A.2 also sits under the domain directly: CASE allows more than one parent.
SECOND_PARENTS = (("6.RP.A.2", "6.RP"),)


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _package(doc: str, title: str, rows: list[tuple], extra_parents=()) -> dict:
    """rows: (key, code, statement, parent key or None, type, grades)."""
    items, links = [], []
    order: dict[str | None, int] = {}
    for key, code, statement, parent, item_type, grades in rows:
        items.append(
            {
                "identifier": _id(doc, key),
                "uri": f"https://standards.example.test/case/{_id(doc, key)}",
                "humanCodingScheme": code,
                "fullStatement": statement,
                "CFItemType": item_type,
                "educationLevel": grades,
            }
        )
        order[parent] = order.get(parent, 0) + 1
        links.append(_child_of(doc, key, parent, order[parent]))
    for child, parent in extra_parents:
        links.append(_child_of(doc, child, parent, 99))
    return {
        "CFDocument": {
            "identifier": doc,
            "title": title,
            "creator": "Demo State Department of Education",
            "subject": ["Mathematics"],
            "version": "2026",
            "adoptionStatus": "Adopted",
        },
        "CFItems": items,
        "CFAssociations": links,
        "CFDefinitions": {"CFItemTypes": [], "CFSubjects": []},
    }


def _child_of(doc: str, key: str, parent: str | None, sequence: int) -> dict:
    destination = doc if parent is None else _id(doc, parent)
    return {
        "identifier": _id(doc, "edge", key, parent),
        "associationType": "isChildOf",
        "originNodeURI": {"identifier": _id(doc, key), "title": key},
        "destinationNodeURI": {"identifier": destination, "title": parent or ""},
        "sequenceNumber": sequence,
    }


def demo_package() -> dict:
    """The demo framework: grade 2 (the demo teacher's grade) and grade 6 of a state's mathematics standards."""
    rows = [(key, code, text_, parent, kind, ["02"]) for key, code, text_, parent, kind in GRADE2]
    rows += [(key, code, text_, parent, kind, ["06"]) for key, code, text_, parent, kind in GRADE6]
    return _package(_id("demo-math-6"), "Demo State Mathematics", rows, SECOND_PARENTS)


GRADES = ("KG", *(f"{n:02d}" for n in range(1, 13)))
DOMAINS = ("Number sense", "Operations", "Algebraic thinking", "Geometry", "Measurement", "Data")
VERBS = ("Explain", "Model", "Compare", "Represent", "Solve problems with", "Reason about", "Estimate")
NOUNS = ("fractions", "ratios", "place value", "area", "equations", "patterns", "probability", "angles")


def case_package(items: int = 5000, doc: str | None = None) -> dict:
    """A K-12 mathematics framework of `items` items: grades, six domains each, clusters without codes, standards
    with components. The same arguments make the same package."""
    doc = doc or _id("generated-math", items)
    rows: list[tuple] = []
    per_grade = max(1, items // len(GRADES))
    for g, grade in enumerate(GRADES):
        label = "K" if grade == "KG" else str(int(grade))
        rows.append((label, label, f"Grade {label} Mathematics", None, "Grade", [grade]))
        made, d = 1, 0
        while made < per_grade and len(rows) < items:
            domain = f"{label}.{'ABCDEF'[d % 6]}{d // 6 or ''}"
            rows.append((domain, domain, DOMAINS[d % 6], label, "Domain", [grade]))
            cluster = f"{domain}~"
            rows.append((cluster, "", f"Understand {NOUNS[(g + d) % 8]} in grade {label}.", domain, "Cluster",
                         [grade]))  # fmt: skip
            made += 2
            for s in range(1, 7):
                if made >= per_grade or len(rows) >= items:
                    break
                code = f"{domain}.{s}"
                text_ = f"{VERBS[(s + d) % 7]} {NOUNS[(s + g) % 8]} using grade {label} strategies ({code})."
                rows.append((code, code, text_, cluster, "Standard", [grade]))
                made += 1
                if s % 3 == 0 and made < per_grade and len(rows) < items:
                    rows.append((f"{code}a", f"{code}a", f"Apply {code} to a real-world context.", code,
                                 "Component", [grade]))  # fmt: skip
                    made += 1
            d += 1
    while len(rows) < items:  # rounding: fill the last grade
        n = len(rows)
        rows.append((f"X.{n}", f"X.{n}", f"Extension standard {n}.", "12", "Standard", ["12"]))
    return _package(doc, f"Generated State Mathematics K-12 ({items:,} items)", rows[:items])


# Each mathematics course's lessons (the first :n of each, by id, not yet aligned) get one standard of the course's
# grade in turn, so some of its standards stay uncovered in the demo; the newest and the published version say so
# too, as a save would have written them.
ALIGN_SQL = """
    with leaves as (
      select i.id, i.position, i.education_levels from standard_items i
      where i.district_id = :d and i.framework_id = :f and i.is_leaf and i.retired_at is null
    ), pools as (
      select c.id as course_id,
             (select array_agg(x.id order by x.position) from leaves x
              where lpad(c.grade_low::text, 2, '0') = any(x.education_levels)) as pool
      from courses c where c.district_id = :d and c.subject = 'Mathematics' and c.grade_low between 1 and 12
    ), numbered as (
      select l.id, l.version, l.published_version, p.pool,
             row_number() over (partition by l.course_id order by l.id) as n
      from lessons l join pools p on p.course_id = l.course_id
      where l.district_id = :d and cardinality(l.standard_ids) = 0 and p.pool is not null
    ), targets as (
      select id, version, published_version, array[pool[1 + (n::int % cardinality(pool))]] as ids
      from numbered where n <= :n
    ), lessons_set as (
      update lessons l set standard_ids = t.ids from targets t where l.id = t.id and l.district_id = :d
      returning l.id
    )
    update content_versions v set snapshot = jsonb_set(v.snapshot, '{standards}', to_jsonb(t.ids))
    from targets t
    where v.district_id = :d and v.item_type = 'lesson' and v.item_id = t.id
      and v.number in (t.version, coalesce(t.published_version, t.version))
"""


def seed_standards(district_id: int, size: str) -> dict[str, int]:
    """Import the demo framework (and for `large` the generated one) into the district, then align grade-6 math
    lessons: a few in the demo (so some standards stay uncovered), most of them in the large seed."""
    actor = SystemActor(district_id)
    packages = [("demo-state-math.json", demo_package())]
    if size == "large":
        packages.append(("state-math-k12.json", case_package(5000)))
    frameworks = []
    for name, package in packages:
        record = standards.import_data(actor, name, json.dumps(package).encode(), apply=True)
        if record.status != "applied":
            raise RuntimeError(f"seeding standards failed: {record.status} {record.errors[:3]}")
        frameworks.append(record.framework_id)
    db.set_tenant(district_id, None, "system")
    for framework_id in frameworks:
        limit = 6 if framework_id == frameworks[0] else 100_000
        db.session.execute(text(ALIGN_SQL), {"d": district_id, "f": framework_id, "n": limit})
    aligned = db.session.execute(
        text("select count(*) from lessons where district_id = :d and cardinality(standard_ids) > 0"),
        {"d": district_id},
    ).scalar()
    db.session.commit()
    return {"frameworks": len(frameworks), "aligned": aligned}
