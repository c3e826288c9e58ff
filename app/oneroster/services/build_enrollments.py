"""Enrollments: students in sections (kept as history when they end) and the sections' teachers."""

from __future__ import annotations

from datetime import date

from app.oneroster.services import current, schema
from app.oneroster.services.plan import OWN_PREFIX


class EnrollmentSteps:
    """Enrollments last: they point at classes and users."""

    def enrollments(self) -> None:
        sections = self.plan.targets["sections"]
        section_ids = set(self.now["sections"]) | set(self.listed("classes"))
        users = self.known_users()
        starts = current.section_term_starts()
        term_dates = {sid: v[2] for sid, v in self.now["terms"].items()}
        term_dates |= {sid: v[2] for sid, v in self.plan.targets["terms"].items()}
        for sid, values in sections.items():
            starts[sid] = term_dates.get(values[1])
        active: dict[str, dict] = {}
        teachers = self.plan.targets["section_teachers"]
        deleted_teachers, any_rows = set(), False
        now = self.now["enrollments"]
        for row in self.set.rows("enrollments"):
            any_rows = True
            if self.deletes_only("enrollments", "enrollments", row):
                if row["sourcedId"] in now and now[row["sourcedId"]][3] is None:
                    self.plan.deactivate["enrollments"].add(row["sourcedId"])
                continue
            cls, user, org = self.ref(row["classSourcedId"]), self.ref(row["userSourcedId"]), row["schoolSourcedId"]
            ok = self.known("enrollments", row, "classSourcedId", cls, cls in section_ids, "classes.csv")
            ok &= self.known("enrollments", row, "userSourcedId", user, user in users, "users.csv")
            known, school = self.school_for(org)
            ok &= self.known(
                "enrollments", row, "schoolSourcedId", org, known and school is not None, "orgs.csv (school)"
            )
            if not ok:
                continue
            is_active = row["status"] == "active"
            role = row["role"]
            if role in schema.TEACHING_ROLES:
                if not self.keeping:
                    continue
                if is_active:
                    teachers[(cls, user)] = (row.get("primary") is not False,)
                else:
                    deleted_teachers.add((cls, user))
                continue
            if role != "student":
                self.warn("enrollment_role", "enrollments", row, "role", role)
                continue
            added = self.ref(row.get("beginDate") or starts.get(cls) or date.today())
            dropped = self.ref(row.get("endDate"))
            if dropped and dropped < added:
                self.err("end_before_start", "enrollments", row, "endDate", dropped.isoformat(), added.isoformat())
            if is_active and not dropped:
                # Nested by class: no (class, student) tuple per row.
                first = active.setdefault(cls, {}).setdefault(user, row["_line"])
                if first != row["_line"]:
                    self.err("enrolled_twice", "enrollments", row, "userSourcedId", user, first)
            if not is_active:
                # tobedeleted ends the enrollment (it stays as history); one Chalkline never had is not made.
                if row["sourcedId"] in now and now[row["sourcedId"]][3] is None:
                    self.plan.deactivate["enrollments"].add(row["sourcedId"])
            else:
                self.target("enrollments", row["sourcedId"], (cls, user, added, dropped))
        if not any_rows and "enrollments" not in self.set.modes:
            return
        self._enrollment_deactivations()
        for key in deleted_teachers:
            if key in self.now_pairs["section_teachers"]:
                self.plan.deactivate["section_teachers"].add(key)
        if self.set.mode("enrollments") == "bulk":
            for key in self.now_pairs["section_teachers"]:
                if key not in teachers and not key[0].startswith(OWN_PREFIX):
                    self.plan.deactivate["section_teachers"].add(key)

    def _enrollment_deactivations(self) -> None:
        """In a bulk file, an enrollment the file no longer lists ends (it stays as history)."""
        if self.set.mode("enrollments") == "bulk":
            listed, now = self.listed("enrollments"), self.now["enrollments"]
            for sid, values in now.items():
                if sid not in listed and values[3] is None and not sid.startswith(OWN_PREFIX):
                    self.plan.deactivate["enrollments"].add(sid)
