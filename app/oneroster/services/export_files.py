"""The district's roster as OneRoster 1.1 or 1.2 CSV files (rows per file, then bytes) that import back to the
same data. Rows are written as column -> value, so one builder serves both versions' headers (schema.HEADERS).

Round-trip limits: 1.1 has one role per user (the broadest is written); 1.2 writes every role in roles.csv.
Guardians are written with one relationship.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from app import db
from app.csvio import csv_bytes
from app.oneroster.services import current, schema
from app.oneroster.services.plan import OWN_PREFIX
from app.org.data import CEDS_CODES as GRADE_CODES

# Records made in Chalkline get the OWN_PREFIX sourcedId on their first export; a bulk import never switches
# them off for being absent from the SIS's files (only an explicit tobedeleted row does).
STAMP = {
    "schools": "school",
    "academic_years": "year",
    "terms": "term",
    "courses": "course",
    "sections": "class",
    "users": "user",
    "enrollments": "enrollment",
}
ROLE_ORDER = ("district_admin", "school_admin", "teacher", "guardian", "student")
# Chalkline's roles as 1.2 writes them (a guardian's is their relationship: parent, guardian or relative).
ROLES_12 = {
    "district_admin": "districtAdministrator",
    "school_admin": "siteAdministrator",
    "teacher": "teacher",
    "student": "student",
}
WRITTEN = {
    "1.1": ("orgs", "academicSessions", "courses", "classes", "users", "enrollments", "demographics"),
    "1.2": ("orgs", "academicSessions", "courses", "classes", "users", "roles", "enrollments", "demographics"),
}


def stamp_sourced_ids(district_id: int) -> None:
    """Give every record without a sourcedId a stable one, so the export's references hold and re-import matches."""
    db.session.execute(
        text(f"update districts set sourced_id = '{OWN_PREFIX}district-' || id where id = :d and sourced_id is null"),
        {"d": district_id},
    )
    for table, kind in STAMP.items():
        db.session.execute(
            text(f"update {table} set sourced_id = '{OWN_PREFIX}{kind}-' || id where sourced_id is null")
        )


def _day(value) -> str:
    return value.isoformat() if value else ""


def _grades(low, high) -> str:
    if low is None:
        return ""
    return ",".join(GRADE_CODES[g] for g in range(low, (high if high is not None else low) + 1) if g in GRADE_CODES)


class Export:
    """One export run: the district's records as current.py reads them, and the rows written so far."""

    def __init__(self, district_id: int, version: str):
        stamp_sourced_ids(district_id)
        self.version = version
        self.district = current.district_sourced_id()
        self.now = {e: current.keyed(e) for e in ("schools", "years", "terms", "courses", "sections", "users")}
        self.now["enrollments"] = current.keyed("enrollments")
        self.stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        self.name = db.session.execute(text("select name from districts where id = :d"), {"d": district_id}).scalar()
        self.files: dict[str, list[dict]] = {f: [] for f in WRITTEN[version]}

    def add(self, file: str, sid: str, active: bool = True, **values) -> None:
        self.files[file].append(
            {"sourcedId": sid, "status": "active" if active else "tobedeleted", "dateLastModified": self.stamp} | values
        )

    def build(self) -> dict[str, list[dict]]:
        now = self.now
        self.add("orgs", self.district, name=self.name, type="district")
        for sid, (name, code) in now["schools"].items():
            self.add("orgs", sid, name=name, type="school", identifier=code, parentSourcedId=self.district)
        for sid, (title, start, end) in now["years"].items():
            self.add(
                "academicSessions", sid, title=title, type="schoolYear", startDate=_day(start), endDate=_day(end),
                schoolYear=end.year,
            )  # fmt: skip
        for sid, (year, title, start, end) in now["terms"].items():
            self.add(
                "academicSessions", sid, title=title, type="term", startDate=_day(start), endDate=_day(end),
                parentSourcedId=year, schoolYear=now["years"][year][2].year,
            )  # fmt: skip
        for sid, (school, year, code, title, subject, low, high, active) in now["courses"].items():
            self.add(
                "courses", sid, active, schoolYearSourcedId=year or "", title=title, courseCode=code,
                grades=_grades(low, high), orgSourcedId=school or self.district, subjects=subject or "",
            )  # fmt: skip
        for sid, (course, term, school, title, period, room, archived) in now["sections"].items():
            self.add(
                "classes", sid, not archived, title=title, courseSourcedId=course, classType="scheduled",
                location=room or "", schoolSourcedId=school, termSourcedIds=term, periods=period or "",
            )  # fmt: skip
        listed = self._users()
        for sid, (section, student, added, dropped) in now["enrollments"].items():
            if student in listed:
                self.add(
                    "enrollments", sid, classSourcedId=section, schoolSourcedId=now["sections"][section][2],
                    userSourcedId=student, role="student", primary="false", beginDate=_day(added),
                    endDate=_day(dropped),
                )  # fmt: skip
        for (section, teacher), (primary,) in current.pairs("section_teachers").items():
            if teacher in listed:
                self.add(
                    "enrollments", f"{section}-teacher-{teacher}", classSourcedId=section,
                    schoolSourcedId=now["sections"][section][2], userSourcedId=teacher, role="teacher",
                    primary="true" if primary else "false",
                )  # fmt: skip
        return self.files

    def _users(self) -> set[str]:
        """users.csv (and roles.csv in 1.2) and demographics.csv; returns the sourcedIds written (in 1.1 the
        people with a role: 1.1 cannot say anything about an account without one)."""
        held: dict[str, dict] = {}
        for user, school, role in current.pairs("memberships"):
            held.setdefault(user, {}).setdefault(role, []).append(school)
        agents: dict[str, list[str]] = {}
        relationship: dict[str, str] = {}
        for (guardian, student), (kind,) in current.pairs("guardian_links").items():
            agents.setdefault(student, []).append(guardian)
            agents.setdefault(guardian, []).append(student)
            relationship.setdefault(guardian, kind if kind in schema.GUARDIAN_ROLES else "guardian")
        written = set(self.now["users"]) if self.version == "1.2" else set(held) & set(self.now["users"])
        for sid, values in self.now["users"].items():
            roles = held.get(sid)
            if not roles and self.version == "1.1":
                continue  # 1.1 writes a role on every user; 1.2 can list a person without one
            (
                _shown,
                given,
                family,
                identifier,
                email,
                grade,
                birth,
                active,
                pgiven,
                pfamily,
                pronouns,
                master,
                primary,
            ) = values
            row = {
                "enabledUser": "true" if active else "false",
                "username": email or sid,
                "givenName": given or "",
                "familyName": family or "",
                "identifier": identifier or "",
                "email": email or "",
                "agentSourcedIds": ",".join(sorted(a for a in agents.get(sid, []) if a in written)),
                "grades": GRADE_CODES.get(grade, "") if grade is not None else "",
            }
            if self.version == "1.1":
                row |= self._role_11(roles, relationship.get(sid, "guardian"))
            else:
                row |= {
                    "userMasterIdentifier": master or "",
                    "preferredGivenName": pgiven or "",
                    "preferredFamilyName": pfamily or "",
                    "primaryOrgSourcedId": primary or "",
                    "pronouns": pronouns or "",
                }
                self._roles_12(sid, roles or {}, relationship.get(sid, "guardian"), primary)
            self.add("users", sid, **row)
            self.add("demographics", sid, birthDate=_day(birth))
        return written

    def _role_11(self, roles: dict, relationship: str) -> dict:
        """1.1's one role per user: the broadest, at the orgs that role is held at."""
        main = next(r for r in ROLE_ORDER if r in roles)
        if main in ("district_admin", "school_admin"):
            role = "administrator"
            orgs = [s for s in roles.get("school_admin", []) if s]
            orgs += [self.district] if "district_admin" in roles else []
        elif main == "guardian":
            role, orgs = relationship, [self.district]
        else:
            role, orgs = main, [s or self.district for s in roles[main]]
        return {"orgSourcedIds": ",".join(sorted(set(orgs or [self.district]))), "role": role}

    def _roles_12(self, sid: str, roles: dict, relationship: str, primary: str | None) -> None:
        """One roles.csv row per role held; the role at the person's primary school is their primary one."""
        for name in ROLE_ORDER:
            for school in sorted(roles.get(name, []), key=lambda s: s or ""):
                org = school or self.district
                self.add(
                    "roles", f"{sid}-{name}-{org}", userSourcedId=sid,
                    roleType="primary" if primary and school == primary else "secondary",
                    role=ROLES_12.get(name, relationship), orgSourcedId=org,
                )  # fmt: skip


def render_files(district_id: int, version: str = "1.1") -> dict[str, bytes]:
    """File name -> CSV bytes, manifest included, through the one CSV writer (formulas neutralised)."""
    files = Export(district_id, version).build()
    manifest = [["manifest.version", "1.0"], ["oneroster.version", version]]
    manifest += [[f"file.{f}", "bulk" if f in files else "absent"] for f in schema.MANIFEST_FILES[version]]
    manifest += [["source.systemName", "Chalkline"], ["source.systemCode", "chalkline"]]
    result = {"manifest.csv": csv_bytes(["propertyName", "value"], manifest)}
    for name, rows in files.items():
        header = schema.HEADERS[version][name].split(",")
        result[f"{name}.csv"] = csv_bytes(header, ([row.get(c, "") for c in header] for row in rows))
    return result
