"""The district's roster as OneRoster CSV files (rows per file, then bytes) that import back to the same data."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from app import db
from app.csvio import csv_bytes
from app.oneroster.services import current
from app.oneroster.services.plan import GUARDIAN_ROLES, OWN_PREFIX
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
HEADERS = {
    "orgs": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
    "academicSessions": "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear",
    "courses": "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,"
    "subjectCodes",
    "classes": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,"
    "schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
    "users": "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,"
    "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password",
    "enrollments": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,"
    "beginDate,endDate",
    "demographics": "sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,"
    "blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,"
    "hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus",
}
ROLE_ORDER = ("district_admin", "school_admin", "teacher", "guardian", "student")


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


def build_files(district_id: int) -> dict[str, list[list]]:
    """Rows per file (without headers), from the same canonical shapes the import compares against."""
    stamp_sourced_ids(district_id)
    district_sid = current.district_sourced_id()
    now = {e: current.keyed(e) for e in ("schools", "years", "terms", "courses", "sections", "users", "enrollments")}
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    name = db.session.execute(text("select name from districts where id = :d"), {"d": district_id}).scalar()
    files: dict[str, list[list]] = {f: [] for f in HEADERS}
    files["orgs"].append([district_sid, "active", stamp, name, "district", "", ""])
    for sid, (school_name, code) in now["schools"].items():
        files["orgs"].append([sid, "active", stamp, school_name, "school", code, district_sid])
    for sid, (title, start, end) in now["years"].items():
        files["academicSessions"].append(
            [sid, "active", stamp, title, "schoolYear", _day(start), _day(end), "", end.year]
        )
    for sid, (year, title, start, end) in now["terms"].items():
        files["academicSessions"].append(
            [sid, "active", stamp, title, "term", _day(start), _day(end), year, now["years"][year][2].year]
        )
    for sid, (school, year, code, title, subject, low, high, active) in now["courses"].items():
        files["courses"].append(
            [
                sid,
                "active" if active else "tobedeleted",
                stamp,
                year or "",
                title,
                code,
                _grades(low, high),
                school or district_sid,
                subject or "",
                "",
            ]
        )
    for sid, (course, term, school, title, period, room, archived) in now["sections"].items():
        files["classes"].append(
            [
                sid,
                "tobedeleted" if archived else "active",
                stamp,
                title,
                "",
                course,
                "",
                "scheduled",
                room or "",
                school,
                term,
                "",
                "",
                period or "",
            ]
        )
    listed = _users(files, now["users"], district_sid, stamp)
    for sid, (section, student, added, dropped) in now["enrollments"].items():
        if student not in listed:
            continue
        school = now["sections"][section][2]
        files["enrollments"].append(
            [sid, "active", stamp, section, school, student, "student", "false", _day(added), _day(dropped)]
        )
    for (section, teacher), (primary,) in current.pairs("section_teachers").items():
        if teacher not in listed:
            continue
        files["enrollments"].append(
            [
                f"{section}-teacher-{teacher}",
                "active",
                stamp,
                section,
                now["sections"][section][2],
                teacher,
                "teacher",
                "true" if primary else "false",
                "",
                "",
            ]
        )
    return files


def _users(files: dict, users: dict, district_sid: str, stamp: str) -> set[str]:
    """Write users.csv and demographics.csv rows; returns the sourcedIds written (people with a role)."""
    roles: dict[str, dict] = {}
    for user, school, role in current.pairs("memberships"):
        roles.setdefault(user, {}).setdefault(role, []).append(school)
    agents: dict[str, list[str]] = {}
    relationship: dict[str, str] = {}
    for (guardian, student), (kind,) in current.pairs("guardian_links").items():
        agents.setdefault(student, []).append(guardian)
        agents.setdefault(guardian, []).append(student)
        relationship.setdefault(guardian, kind if kind in GUARDIAN_ROLES else "guardian")
    for sid, (_name, given, family, identifier, email, grade, birth, active) in users.items():
        held = roles.get(sid)
        if not held:
            continue  # no role in the district: nothing OneRoster could say about this account
        main = next(r for r in ROLE_ORDER if r in held)
        if main in ("district_admin", "school_admin"):
            role = "administrator"
            orgs = [s for s in held.get("school_admin", []) if s] + ([district_sid] if "district_admin" in held else [])
        elif main == "guardian":
            role, orgs = relationship.get(sid, "guardian"), [district_sid]
        else:
            role = main
            orgs = [s or district_sid for s in held[main]]
        files["users"].append(
            [
                sid,
                "active",
                stamp,
                "true" if active else "false",
                ",".join(sorted(set(orgs or [district_sid]))),
                role,
                email or sid,
                "",
                given or "",
                family or "",
                "",
                identifier or "",
                email or "",
                "",
                "",
                ",".join(sorted(a for a in agents.get(sid, []) if a in roles)),
                GRADE_CODES.get(grade, "") if grade is not None else "",
                "",
            ]
        )
        files["demographics"].append([sid, "active", stamp, _day(birth)] + [""] * 12)
    return set(roles) & set(users)


def render_files(district_id: int) -> dict[str, bytes]:
    """File name -> CSV bytes, manifest included, through the one CSV writer (formulas neutralised)."""
    files = build_files(district_id)
    manifest = [["manifest.version", "1.0"], ["oneroster.version", "1.1"]]
    manifest += [[f"file.{name}", "bulk"] for name in HEADERS]
    manifest += [["source.systemName", "Chalkline"], ["source.systemCode", ""]]
    result = {"manifest.csv": csv_bytes(["propertyName", "value"], manifest)}
    for name, header in HEADERS.items():
        result[f"{name}.csv"] = csv_bytes(header.split(","), files[name])
    return result
