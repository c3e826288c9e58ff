"""From parsed files to a plan: every reference resolved, every rule checked, and a preview of the changes.

Targets use the shapes of `current.py`, so the preview is a field-by-field comparison with the database
and the apply step writes exactly what the preview counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.oneroster.services import current
from app.oneroster.services.parse import RosterSet
from app.oneroster.services.preview import preview_of
from app.org.data import CEDS_GRADES as GRADES

GUARDIAN_ROLES = ("guardian", "parent", "relative")
TEACHING_ROLES = ("teacher", "aide", "proctor")
KEYED = ("schools", "years", "terms", "courses", "sections", "users", "enrollments")
PAIRED = ("memberships", "guardian_links", "section_teachers")
# The prefix export gives records made in Chalkline (see export.py); kept here to avoid an import cycle.
OWN_PREFIX = "chalkline-"


@dataclass
class Plan:
    """What the import will write. `targets[e]`: key -> values; `deactivate[e]`: keys to switch off."""

    district_sid: str | None = None
    targets: dict[str, dict] = field(default_factory=lambda: {e: {} for e in KEYED + PAIRED})
    deactivate: dict[str, set] = field(default_factory=lambda: {e: set() for e in KEYED + PAIRED})
    adopt_schools: dict[str, int] = field(default_factory=dict)
    preview: dict = field(default_factory=dict)


def grade_level(codes: str) -> int | None:
    levels = [GRADES[c.strip()] for c in codes.split(",") if c.strip() in GRADES]
    return levels[0] if levels else None


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _day(value: str) -> date | None:
    """A checked YYYY-MM-DD date; a malformed one (already reported by the parser) counts as absent."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _cut(value: str, size: int) -> str | None:
    return value[:size] or None


def _active(row: dict) -> bool:
    return row.get("status", "") != "tobedeleted"


class Builder:
    def __init__(self, set_: RosterSet, district_id: int):
        self.set = set_
        self.district_id = district_id
        self.plan = Plan()
        self.now = {e: current.keyed(e) for e in KEYED}
        self.now_pairs = {e: current.pairs(e) for e in PAIRED}
        self.rows = set_.rows
        self.adoptable: set[str] = set()

    def err(self, code, file, row, fld, value="", expected="") -> None:
        self.set.error(code, f"{file}.csv", row["_line"] if row else None, fld, value, expected)

    def build(self) -> Plan:
        self.orgs()
        self.sessions()
        self.courses()
        self.classes()
        self.users()
        self.enrollments()
        if not self.set.errors:
            self.plan.preview = preview_of(self)
        return self.plan

    def orgs(self) -> None:
        self.org_kind = {sid: "school" for sid in self.now["schools"]}
        self.plan.district_sid = current.district_sourced_id()
        if self.plan.district_sid:
            self.org_kind[self.plan.district_sid] = "district"
        rows = self.rows.get("orgs", [])
        for row in rows:
            self.org_kind[row["sourcedId"]] = row["type"]
        districts = [r for r in rows if r["type"] == "district"]
        if len(districts) > 1:
            self.err("two_districts", "orgs", districts[1], "type", districts[1]["sourcedId"])
        elif districts:
            self.plan.district_sid = districts[0]["sourcedId"]
        unsourced = current.unsourced_schools_by_code()
        codes: dict[str, str] = {}
        for sid, values in self.now["schools"].items():
            codes[values[1]] = sid
        for row in rows:
            if row["type"] != "school":
                continue
            sid = row["sourcedId"]
            code = (row.get("identifier") or sid)[:40]
            if codes.get(code, sid) != sid and codes[code] not in {r["sourcedId"] for r in rows}:
                self.err("code_taken", "orgs", row, "identifier", code)
            codes[code] = sid
            if sid not in self.now["schools"] and code in unsourced:
                self.plan.adopt_schools[sid] = unsourced[code]
            self.plan.targets["schools"][sid] = (row["name"][:200], code)

    def sessions(self) -> None:
        rows = {r["sourcedId"]: r for r in self.rows.get("academicSessions", [])}
        kind = {sid: "schoolYear" for sid in self.now["years"]} | {sid: "term" for sid in self.now["terms"]}
        dates = {sid: (v[1], v[2]) for sid, v in self.now["years"].items()}
        dates |= {sid: (v[2], v[3]) for sid, v in self.now["terms"].items()}
        parent = {sid: v[0] for sid, v in self.now["terms"].items()}
        for sid, row in rows.items():
            kind[sid] = row["type"]
            try:
                dates[sid] = (date.fromisoformat(row["startDate"]), date.fromisoformat(row["endDate"]))
            except ValueError:
                continue
            if dates[sid][1] <= dates[sid][0]:
                self.err("end_before_start", "academicSessions", row, "endDate", row["endDate"], row["startDate"])
            if row.get("parentSourcedId"):
                parent[sid] = row["parentSourcedId"]
        self.session_kind = kind
        # A session nested below a term (a grading period in a semester) is no term of its own: classes
        # that name it are placed in the term above it, since the terms of a year may not overlap.
        self.term_of: dict[str, str] = {}
        years = self.plan.targets["years"]
        for sid, row in rows.items():
            if sid not in dates:
                continue
            if row["type"] == "schoolYear":
                years[sid] = (row["title"][:60], *dates[sid])
                continue
            up = parent.get(sid)
            if up and up not in kind:
                self.err("unknown_ref", "academicSessions", row, "parentSourcedId", up, "academicSessions.csv")
                continue
            chain, seen = sid, {sid}
            while (
                parent.get(chain) and kind.get(parent[chain]) not in (None, "schoolYear") and parent[chain] not in seen
            ):
                chain = parent[chain]
                seen.add(chain)
            if chain != sid:
                self.term_of[sid] = chain
                continue
            year = parent.get(sid)
            if not year:
                year = next(
                    (
                        y
                        for y, k in kind.items()
                        if k == "schoolYear"
                        and y in dates
                        and dates[y][0] <= dates[sid][0]
                        and dates[sid][1] <= dates[y][1]
                    ),
                    None,
                )
            if not year:
                self.err("no_year", "academicSessions", row, "parentSourcedId", sid)
                continue
            self.plan.targets["terms"][sid] = (year, row["title"][:60], *dates[sid])
        self._check_overlaps(rows)

    def _check_overlaps(self, rows: dict) -> None:
        years = dict(self.now["years"]) | self.plan.targets["years"]
        spans = sorted((v[1], v[2], sid, v[0]) for sid, v in years.items())
        spans += sorted((s, e, None, n) for n, s, e in current.unsourced("years"))
        spans.sort(key=lambda s: s[0])
        names: dict[str, str] = {}
        for i, (_start, end, sid, name) in enumerate(spans):
            row = rows.get(sid)
            for other in spans[i + 1 :]:
                if other[0] <= end and row is not None:
                    self.err("overlap", "academicSessions", row, "startDate", sid, other[2] or other[3])
            if row is not None and name in names and names[name] != sid:
                self.err("name_taken", "academicSessions", row, "title", name)
            names[name] = sid
        terms = dict(self.now["terms"]) | self.plan.targets["terms"]
        for sid, (year, _name, start, end) in self.plan.targets["terms"].items():
            row = rows[sid]
            if year in years and not (years[year][1] <= start and end <= years[year][2]):
                self.err("term_outside_year", "academicSessions", row, "startDate", sid, year)
            for other, (oyear, _oname, ostart, oend) in terms.items():
                if other != sid and oyear == year and ostart <= end and start <= oend:
                    self.err("overlap", "academicSessions", row, "startDate", sid, other)
                    break

    def _ref(self, file, row, fld, sid, ok: bool, where: str) -> bool:
        if not ok:
            self.err("unknown_ref", file, row, fld, sid, where)
        return ok

    def courses(self) -> None:
        taken = {(s, y, c) for s, y, c in current.unsourced("courses")}
        for row in self.rows.get("courses", []):
            sid, org, year = row["sourcedId"], row["orgSourcedId"], row.get("schoolYearSourcedId", "")
            if not self._ref("courses", row, "orgSourcedId", org, org in self.org_kind, "orgs.csv"):
                continue
            if year and not self._ref(
                "courses",
                row,
                "schoolYearSourcedId",
                year,
                self.session_kind.get(year) == "schoolYear",
                "academicSessions.csv (schoolYear)",
            ):
                continue
            grades = [GRADES[g] for g in _split(row.get("grades", "")) if g in GRADES]
            school = org if self.org_kind[org] == "school" else None
            code = (row.get("courseCode") or sid)[:60]
            if (school or "", year, code) in taken:
                self.err("code_taken", "courses", row, "courseCode", code)
            taken.add((school or "", year, code))
            subjects = _split(row.get("subjects", ""))
            self.plan.targets["courses"][sid] = (
                school,
                year or None,
                code,
                row["title"][:200],
                subjects[0][:80] if subjects else None,
                min(grades) if grades else None,
                max(grades) if grades else None,
                _active(row),
            )
        self._deactivate_missing("courses", "courses", lambda v: v[-1])

    def _deactivate_missing(self, entity: str, file: str, is_on) -> None:
        """tobedeleted rows, and in a bulk file the sourced rows it no longer lists, are switched off."""
        targets, now = self.plan.targets[entity], self.now[entity]
        for row in self.rows.get(file, []):
            sid = row["sourcedId"]
            # A tobedeleted record Chalkline never had is kept, switched off, so references to it still hold.
            if not _active(row) and sid in now:
                targets.pop(sid, None)
                if is_on(now[sid]):
                    self.plan.deactivate[entity].add(sid)
        if self.set.modes.get(file) == "bulk":
            listed = {r["sourcedId"] for r in self.rows.get(file, [])}
            for sid, values in now.items():
                if sid not in listed and is_on(values) and not sid.startswith(OWN_PREFIX):
                    self.plan.deactivate[entity].add(sid)

    def classes(self) -> None:
        courses = set(self.now["courses"]) | {r["sourcedId"] for r in self.rows.get("courses", [])}
        for row in self.rows.get("classes", []):
            sid, course, school = row["sourcedId"], row["courseSourcedId"], row["schoolSourcedId"]
            term = (_split(row["termSourcedIds"]) or [""])[0]
            ok = self._ref("classes", row, "courseSourcedId", course, course in courses, "courses.csv")
            ok &= self._ref(
                "classes", row, "schoolSourcedId", school, self.org_kind.get(school) == "school", "orgs.csv (school)"
            )
            if not self._ref("classes", row, "termSourcedIds", term, term in self.session_kind, "academicSessions.csv"):
                continue
            term = self.term_of.get(term, term)
            if self.session_kind[term] == "schoolYear":
                self.err("class_needs_term", "classes", row, "termSourcedIds", term)
                continue
            if ok:
                self.plan.targets["sections"][sid] = (
                    course,
                    term,
                    school,
                    row["title"][:200],
                    _cut(row.get("periods", ""), 40),
                    _cut(row.get("location", ""), 40),
                    not _active(row),
                )
        self._deactivate_missing("sections", "classes", lambda v: not v[-1])

    def users(self) -> None:
        rows = self.rows.get("users", [])
        if not rows:
            return
        births = {r["sourcedId"]: r.get("birthDate", "") for r in self.rows.get("demographics", [])}
        known = set(self.now["users"]) | {r["sourcedId"] for r in rows}
        for row in self.rows.get("demographics", []):
            self._ref("demographics", row, "sourcedId", row["sourcedId"], row["sourcedId"] in known, "users.csv")
        role = {r["sourcedId"]: r["role"] for r in rows}
        emails = current.emails_in_district()
        self.adoptable = {e for e, owner in emails.items() if owner is None}
        seen_email: dict[str, str] = {}
        fresh_emails: list[str] = []
        self.email_line: dict[str, dict] = {}
        memberships, links = self.plan.targets["memberships"], self.plan.targets["guardian_links"]
        for row in rows:
            sid = row["sourcedId"]
            email = row.get("email", "")[:254] or None
            if email:
                low = email.lower()
                if low in seen_email:
                    self.err("email_twice", "users", row, "email", email)
                elif emails.get(low, sid) not in (sid, None):
                    self.err("email_taken", "users", row, "email", email)
                elif low not in emails:
                    fresh_emails.append(low)
                    self.email_line[low] = row
                seen_email[low] = sid
            orgs = _split(row["orgSourcedIds"])
            for org in orgs:
                self._ref("users", row, "orgSourcedIds", org, org in self.org_kind, "orgs.csv")
            for agent in _split(row.get("agentSourcedIds", "")):
                if self._ref("users", row, "agentSourcedIds", agent, agent in known, "users.csv"):
                    self._link(links, sid, row["role"], agent, role.get(agent))
            given, family = row["givenName"][:120], row["familyName"][:120]
            birth = (
                _day(births.get(sid, ""))
                if "demographics" in self.rows
                else (self.now["users"].get(sid) or (None,) * 7)[6]
            )
            self.plan.targets["users"][sid] = (
                f"{given} {family}"[:120],
                given,
                family,
                _cut(row.get("identifier", ""), 120),
                email,
                grade_level(row.get("grades", "")),
                birth,
                _active(row) and row.get("enabledUser", "true").lower() != "false",
            )
            if _active(row):
                for school, name in self._memberships(row["role"], orgs):
                    memberships[(sid, school, name)] = ()
        elsewhere = current.emails_elsewhere(fresh_emails, self.district_id)
        for low in sorted(elsewhere):
            self.err("email_taken", "users", self.email_line[low], "email", low)
        self._deactivate_missing("users", "users", lambda v: v[-1])
        listed = {r["sourcedId"] for r in rows if _active(r)}
        self._sync_pairs("memberships", lambda key: key[0] in listed)
        self._sync_pairs("guardian_links", lambda key: key[0] in listed or key[1] in listed)

    def _memberships(self, role: str, orgs: list[str]) -> list[tuple]:
        schools = [o for o in orgs if self.org_kind.get(o) == "school"]
        wide = any(self.org_kind.get(o) == "district" for o in orgs)
        if role in GUARDIAN_ROLES:
            return [(None, "guardian")]
        name = {"student": "student", "administrator": "school_admin"}.get(role, "teacher")
        result = [(s, name) for s in schools]
        if wide:
            result.append((None, "district_admin" if role == "administrator" else name))
        return result

    def _link(self, links: dict, sid: str, role: str, agent: str, agent_role: str | None) -> None:
        if role == "student" and agent_role in GUARDIAN_ROLES:
            links[(agent, sid)] = (agent_role,)
        elif role in GUARDIAN_ROLES and agent_role == "student":
            links[(sid, agent)] = (role,)

    def _sync_pairs(self, entity: str, owned) -> None:
        """Pairs of listed users that a bulk users.csv no longer names are removed."""
        if self.set.modes.get("users") != "bulk":
            return
        for key in self.now_pairs[entity]:
            if owned(key) and key not in self.plan.targets[entity]:
                self.plan.deactivate[entity].add(key)

    def enrollments(self) -> None:
        rows = self.rows.get("enrollments", [])
        if not rows:
            return
        sections = self.plan.targets["sections"]
        section_ids = set(self.now["sections"]) | set(sections)
        users = set(self.now["users"]) | set(self.plan.targets["users"])
        starts = current.section_term_starts()
        term_dates = {sid: v[2] for sid, v in self.now["terms"].items()} | {
            sid: v[2] for sid, v in self.plan.targets["terms"].items()
        }
        for sid, values in sections.items():
            starts[sid] = term_dates.get(values[1])
        active: dict[tuple, int] = {}
        teachers = self.plan.targets["section_teachers"]
        deleted_teachers = set()
        for row in rows:
            cls, user = row["classSourcedId"], row["userSourcedId"]
            ok = self._ref("enrollments", row, "classSourcedId", cls, cls in section_ids, "classes.csv")
            ok &= self._ref("enrollments", row, "userSourcedId", user, user in users, "users.csv")
            ok &= self._ref(
                "enrollments",
                row,
                "schoolSourcedId",
                row["schoolSourcedId"],
                self.org_kind.get(row["schoolSourcedId"]) == "school",
                "orgs.csv (school)",
            )
            if not ok:
                continue
            if row["role"] in TEACHING_ROLES:
                if _active(row):
                    teachers[(cls, user)] = (row.get("primary", "true").lower() != "false",)
                else:
                    deleted_teachers.add((cls, user))
                continue
            if row["role"] != "student":
                continue
            try:
                added = _day(row.get("beginDate", "")) or starts.get(cls) or date.today()
                dropped = _day(row.get("endDate", ""))
            except ValueError:
                continue
            if dropped and dropped < added:
                self.err("end_before_start", "enrollments", row, "endDate", row["endDate"], added.isoformat())
            if _active(row) and not dropped:
                if (cls, user) in active:
                    self.err("enrolled_twice", "enrollments", row, "userSourcedId", user, active[(cls, user)])
                active[(cls, user)] = row["_line"]
            self.plan.targets["enrollments"][row["sourcedId"]] = (cls, user, added, dropped, _active(row))
        self._enrollment_deactivations(rows)
        for key in deleted_teachers:
            if key in self.now_pairs["section_teachers"]:
                self.plan.deactivate["section_teachers"].add(key)
        if self.set.modes.get("enrollments") == "bulk":
            for key in self.now_pairs["section_teachers"]:
                if key not in teachers and not key[0].startswith(OWN_PREFIX):
                    self.plan.deactivate["section_teachers"].add(key)

    def _enrollment_deactivations(self, rows: list[dict]) -> None:
        targets, now = self.plan.targets["enrollments"], self.now["enrollments"]
        for sid, values in list(targets.items()):
            if not values[-1]:
                del targets[sid]
                if sid in now and now[sid][3] is None:
                    self.plan.deactivate["enrollments"].add(sid)
            else:
                targets[sid] = values[:-1]
        if self.set.modes.get("enrollments") == "bulk":
            listed = {r["sourcedId"] for r in rows}
            for sid, values in now.items():
                if sid not in listed and values[3] is None and not sid.startswith(OWN_PREFIX):
                    self.plan.deactivate["enrollments"].add(sid)


def build_plan(set_: RosterSet, district_id: int) -> Plan:
    """Resolve and check the parsed set against the district's data; errors land in `set_.errors`."""
    if set_.errors and any(e["code"] in ("version", "no_files") for e in set_.errors):
        return Plan()
    return Builder(set_, district_id).build()
