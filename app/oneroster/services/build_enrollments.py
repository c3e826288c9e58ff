"""Enrollments: students in sections and the sections' teachers."""

from __future__ import annotations

from datetime import date

from app.oneroster.services import current
from app.oneroster.services.plan import OWN_PREFIX, TEACHING_ROLES, _active, _day


class EnrollmentSteps:
    """Enrollments last: they point at classes and users."""

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
