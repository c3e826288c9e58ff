"""Courses and classes: the course catalog and its sections."""

from __future__ import annotations

from app.oneroster.services import current
from app.oneroster.services.plan import GRADES, _active, _cut, _split


class ClassSteps:
    """Courses, then classes (sections), which name a course, a school and a term."""

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
