"""Orgs and academic sessions: schools, the district, school years and terms."""

from __future__ import annotations

from datetime import date

from app.oneroster.services import current


class OrgSteps:
    """Orgs first (every other file points at them), then sessions (classes point at terms)."""

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
