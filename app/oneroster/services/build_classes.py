"""Courses and classes: the course catalog and its sections.

When the manifest marks courses.csv absent (or a set comes without it), the classes' courses are matched to
Chalkline's by sourcedId, or made from the classes that name them (title, grades, subjects, in the school year
of the class's term).
"""

from __future__ import annotations

from app.oneroster.services import current
from app.oneroster.services.values import cut, grade_codes, split_list


class ClassSteps:
    """Courses, then classes (sections), which name a course, a school and a term."""

    def courses(self) -> None:
        self.course_codes = {(s, y, c) for s, y, c in current.unsourced("courses")}
        targets = self.plan.targets["courses"]
        for row in self.set.rows("courses"):
            active = self.note("courses", row)
            if self.deletes_only("courses", "courses", row):
                continue
            sid, org, year = row["sourcedId"], row["orgSourcedId"], row.get("schoolYearSourcedId", "")
            known, school = self.school_for(org)
            if not self.known("courses", row, "orgSourcedId", org, known, "orgs.csv"):
                continue
            if year and not self.known(
                "courses",
                row,
                "schoolYearSourcedId",
                year,
                self.session_kind.get(year) == "schoolYear",
                "academicSessions.csv (schoolYear)",
            ):
                continue
            levels = self._grades("courses", row)
            code = (row.get("courseCode") or sid)[:60]
            if (school or "", year, code) in self.course_codes:
                self.err("code_taken", "courses", row, "courseCode", code)
            self.course_codes.add((school or "", year, code))
            subjects = split_list(row.get("subjects", ""))
            if not self.keeping:
                continue
            targets[sid] = (
                school,
                year or None,
                code,
                row["title"][:200],
                subjects[0][:80] if subjects else None,
                min(levels) if levels else None,
                max(levels) if levels else None,
                active,
            )
        self.deactivate_missing("courses", "courses", lambda v: v[-1])

    def _grades(self, file: str, row: dict) -> list[int]:
        levels, unknown = grade_codes(row.get("grades", ""))
        if unknown:
            self.warn("grade_unknown", file, row, "grades", ", ".join(unknown))
        return levels

    def classes(self) -> None:
        # Classes make their courses only when the manifest (or the set) has no courses file at all.
        made_here = "courses" not in self.set.modes
        courses = set(self.now["courses"]) | set(self.listed("courses"))
        for row in self.set.rows("classes"):
            active = self.note("classes", row)
            if self.deletes_only("classes", "sections", row):
                continue
            sid, course, org = row["sourcedId"], self.ref(row["courseSourcedId"]), row["schoolSourcedId"]
            term = self.ref((split_list(row["termSourcedIds"]) or [""])[0])
            known, school = self.school_for(org)
            ok = self.known("classes", row, "schoolSourcedId", org, known and school is not None, "orgs.csv (school)")
            if not made_here:
                ok &= self.known("classes", row, "courseSourcedId", course, course in courses, "courses.csv")
            if not self.known(
                "classes", row, "termSourcedIds", term, term in self.session_kind, "academicSessions.csv"
            ):
                continue
            term = self.term_for(term)
            if self.session_kind[term] == "schoolYear":
                self.err("class_needs_term", "classes", row, "termSourcedIds", term)
                continue
            if not ok:
                continue
            if made_here and course and course not in self.now["courses"]:
                self._course_from_class(course, row, school, term)
            self.target(
                "sections",
                sid,
                (
                    course,
                    term,
                    school,
                    row["title"][:200],
                    cut(row.get("periods", ""), 40),
                    cut(row.get("location", ""), 40),
                    not active,
                ),
            )
        self.deactivate_missing("sections", "classes", lambda v: not v[-1])

    def _course_from_class(self, course: str, row: dict, school: str, term: str) -> None:
        """The course a class names, made from the classes that name it (the first one's title and school)."""
        targets = self.plan.targets["courses"]
        levels = self._grades("classes", row)
        subjects = split_list(row.get("subjects", ""))
        made = targets.get(course)
        if made is None:
            year = self.year_of_term(term)
            code = course[:60]
            if (school, year or "", code) in self.course_codes:
                self.err("code_taken", "classes", row, "courseSourcedId", code)
            self.course_codes.add((school, year or "", code))
            self.warn("course_from_class", "classes", row, "courseSourcedId", course, row["title"][:200])
            targets[course] = (
                school,
                year,
                code,
                row["title"][:200],
                subjects[0][:80] if subjects else None,
                min(levels) if levels else None,
                max(levels) if levels else None,
                True,
            )
        elif levels or (subjects and made[4] is None):
            low = min([*levels, made[5]] if made[5] is not None else levels) if levels or made[5] is not None else None
            high = max([*levels, made[6]] if made[6] is not None else levels) if levels or made[6] is not None else None
            subject = made[4] or (subjects[0][:80] if subjects else None)
            targets[course] = (*made[:4], subject, low, high, True)
