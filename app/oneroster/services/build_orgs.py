"""Orgs and academic sessions: schools and the district, school years and terms.

Orgs that are not schools (departments, and other types) are placed under the school above them, or taken
as a school when the files hold none; sessions nest (school year > semester > term > grading period), and a
session whose school year is absent is placed by its `schoolYear` column or its dates.
"""

from __future__ import annotations

from app.oneroster.services import current

RANK = {"schoolYear": 0, "semester": 1, "term": 2, "gradingPeriod": 3}


class OrgSteps:
    """Orgs first (every other file points at them), then sessions (classes point at terms)."""

    def orgs(self) -> None:
        self.org_kind = {sid: "school" for sid in self.now["schools"]}
        self.plan.district_sid = current.district_sourced_id()
        if self.plan.district_sid:
            self.org_kind[self.plan.district_sid] = "district"
        keep = ("sourcedId", "type", "name", "identifier", "parentSourcedId", "_line")
        self.org_rows = {r["sourcedId"]: {k: r.get(k, "") for k in keep} for r in self.set.rows("orgs")}
        rows = list(self.org_rows.values())
        for row in rows:
            self.org_kind[row["sourcedId"]] = row["type"]
        districts = [r for r in rows if r["type"] == "district"]
        if len(districts) > 1:
            self.err("two_districts", "orgs", districts[1], "type", districts[1]["sourcedId"])
        elif districts:
            self.plan.district_sid = districts[0]["sourcedId"]
        self.unsourced_codes = current.unsourced_schools_by_code()
        self.codes = {values[1]: sid for sid, values in self.now["schools"].items()}
        self.file_schools = {r["sourcedId"] for r in rows if r["type"] == "school"}
        self.school_of: dict[str, str] = {}
        for row in rows:
            if row["type"] == "school":
                self._add_school(row)

    def _add_school(self, row: dict) -> None:
        sid = row["sourcedId"]
        code = (row.get("identifier") or sid)[:40]
        if self.codes.get(code, sid) != sid and self.codes[code] not in self.file_schools:
            self.err("code_taken", "orgs", row, "identifier", code)
        self.codes[code] = sid
        if sid not in self.now["schools"] and code in self.unsourced_codes:
            self.plan.adopt_schools[sid] = self.unsourced_codes[code]
        self.plan.targets["schools"][sid] = (row["name"][:200], code)

    def school_for(self, org: str) -> tuple[bool, str | None]:
        """(whether the org is known, the school it stands for or None for the district). A department, or an
        org of another type, stands for the school above it; with none above it, it is taken as a school."""
        kind = self.org_kind.get(org)
        if kind is None:
            return False, None
        if kind == "school":
            return True, org
        if kind == "district":
            return True, None
        if org not in self.school_of:
            row, up, seen = self.org_rows[org], self.org_rows[org]["parentSourcedId"], {org}
            while up and up not in seen and self.org_kind.get(up) not in (None, "school", "district"):
                seen.add(up)
                up = self.org_rows[up]["parentSourcedId"]
            label = f"{row['name']} ({org})"
            if up and self.org_kind.get(up) == "school":
                self.school_of[org] = up
                self.warn("org_placed", "orgs", row, "type", label, up)
            else:
                self.school_of[org] = org
                self.file_schools.add(org)
                self._add_school(row)
                self.warn("org_as_school", "orgs", row, "type", label, kind)
        return True, self.school_of[org]

    def sessions(self) -> None:
        rows = {r["sourcedId"]: r for r in self.set.rows("academicSessions")}
        kind = {sid: "schoolYear" for sid in self.now["years"]} | {sid: "term" for sid in self.now["terms"]}
        dates = {sid: (v[1], v[2]) for sid, v in self.now["years"].items()}
        dates |= {sid: (v[2], v[3]) for sid, v in self.now["terms"].items()}
        parent = {sid: v[0] for sid, v in self.now["terms"].items()}
        for sid, row in rows.items():
            kind[sid] = row["type"]
            if not (row["startDate"] and row["endDate"]):
                continue
            dates[sid] = (row["startDate"], row["endDate"])
            if dates[sid][1] <= dates[sid][0]:
                self.err("end_before_start", "academicSessions", row, "endDate", row["endDate"], row["startDate"])
            if row.get("parentSourcedId"):
                parent[sid] = row["parentSourcedId"]
        self.session_kind, self.session_dates = kind, dates
        self.made_years: dict[str, list] = {}
        years = self.plan.targets["years"]
        for sid, row in rows.items():
            if row["type"] == "schoolYear" and sid in dates:
                years[sid] = (row["title"][:60], *dates[sid])
        # A session below a term (a grading period in a semester) is no term of its own: classes that name it
        # are placed in the term above it, since the terms of a year may not overlap.
        self.term_of: dict[str, str] = {}
        top: dict[str, str] = {}
        for sid, row in rows.items():
            if row["type"] == "schoolYear" or sid not in dates:
                continue
            up = parent.get(sid)
            if up and up in kind and up not in self.made_years:
                chain, seen = sid, {sid}
                while parent.get(chain) in kind and kind[parent[chain]] != "schoolYear" and parent[chain] not in seen:
                    chain = parent[chain]
                    seen.add(chain)
                if chain != sid:
                    self.term_of[sid] = chain
                    continue
                year = up if kind[up] == "schoolYear" else None
            else:
                year = self._place_year(sid, row, up)
            if year:
                top[sid] = year
        self._nest(rows, top)
        self._adopt_sessions()
        self._check_overlaps(rows)

    def _adopt_sessions(self) -> None:
        """A school year made in Chalkline with the name or the dates of a file's year is taken over, not
        refused as an overlap; so are its terms that have the name of one of the files' terms there."""
        self.unsourced_years, self.unsourced_terms = [], []
        for year_id, name, start, end in current.unsourced_years():
            match = next(
                (
                    sid
                    for sid, (title, s, e) in self.plan.targets["years"].items()
                    if sid not in self.now["years"]
                    and sid not in self.plan.adopt_years
                    and (title == name or (s, e) == (start, end))
                ),
                None,
            )
            if match:
                self.plan.adopt_years[match] = year_id
            else:
                self.unsourced_years.append((name, start, end))
        by_year = {year_id: sid for sid, year_id in self.plan.adopt_years.items()}
        left = []
        for term_id, year_id, name, start, end in current.unsourced_terms(list(by_year)):
            year = by_year[year_id]
            match = self._term_named(year, name)
            if match:
                self.plan.adopt_terms[match] = term_id
            else:
                left.append((term_id, year, name, start, end))
        # Then by dates: a term of the files and a term left that overlap each other more than any other are the
        # same term under another name and boundaries ("Semester 1" for Chalkline's "Fall"): taken over too.
        files = {
            sid: v for sid, v in self.plan.targets["terms"].items()
            if sid not in self.now["terms"] and sid not in self.plan.adopt_terms
        }  # fmt: skip

        def shared(a, b) -> int:
            return max(0, (min(a[1], b[1]) - max(a[0], b[0])).days)

        best_file = {
            t[0]: max(
                ((shared((t[3], t[4]), v[2:]), sid) for sid, v in files.items() if v[0] == t[1]), default=(0, None)
            )
            for t in left
        }
        for term_id, year, name, start, end in left:
            days, sid = best_file[term_id]
            mates = [(shared((t[3], t[4]), files[sid][2:]), t[0]) for t in left if sid and t[1] == year]
            if days and max(mates)[1] == term_id:
                self.plan.adopt_terms[sid] = term_id
            else:
                self.unsourced_terms.append((year, name, start, end))

    def _term_named(self, year: str, name: str) -> str | None:
        return next(
            (
                sid
                for sid, (y, title, _s, _e) in self.plan.targets["terms"].items()
                if y == year and title == name and sid not in self.now["terms"] and sid not in self.plan.adopt_terms
            ),
            None,
        )

    def _place_year(self, sid: str, row: dict, missing: str | None) -> str | None:
        """The school year of a session whose parent is absent (or not given): the year its `schoolYear`
        column names and that holds its dates, else one that holds its dates, else one made for it."""
        start, end = self.session_dates[sid]
        label = row.get("schoolYear", "")
        ending = int(label) if label.isdigit() and len(label) == 4 else None
        spans = {
            y: self.session_dates[y]
            for y, k in self.session_kind.items()
            if k == "schoolYear" and y in self.session_dates and y not in self.made_years
        }
        holding = [y for y, (s, e) in spans.items() if s <= start and end <= e]
        named = [y for y in holding if ending and spans[y][1].year == ending]
        if named or holding:
            year = (named or holding)[0]
            if missing:
                self.warn("year_placed", "academicSessions", row, "parentSourcedId", missing, year)
            return year
        ending = ending or (end.year if end.month <= 7 else end.year + 1)
        made = missing or f"schoolYear-{ending}"
        title = f"{ending - 1}-{ending % 100:02d}"
        span = self.made_years.setdefault(made, [start, end])
        span[0], span[1] = min(span[0], start), max(span[1], end)
        self.session_kind[made] = "schoolYear"
        self.session_dates[made] = tuple(span)
        self.plan.targets["years"][made] = (title, *span)
        self.warn("year_made", "academicSessions", row, "parentSourcedId", made, title)
        return made

    def _nest(self, rows: dict, top: dict[str, str]) -> None:
        """Sessions directly under a year become its terms, unless one lies inside another (a semester and its
        quarters, a term and its grading periods): the larger one is the term, the others nest in it."""
        dates = self.session_dates
        by_year: dict[str, list[str]] = {}
        for sid, year in top.items():
            by_year.setdefault(year, []).append(sid)
        for year, members in by_year.items():
            accepted = [t for t, v in self.now["terms"].items() if v[0] == year and t not in rows]
            order = sorted(
                members,
                key=lambda s: (dates[s][0] - dates[s][1], RANK.get(rows[s]["type"], 2), rows[s]["_line"]),
            )
            for sid in order:
                start, end = dates[sid]
                container = next((a for a in accepted if dates[a][0] <= start and end <= dates[a][1]), None)
                if container:
                    self.term_of[sid] = container
                    self.warn("session_nested", "academicSessions", rows[sid], "startDate", sid, container)
                    continue
                accepted.append(sid)
                self.plan.targets["terms"][sid] = (year, rows[sid]["title"][:60], start, end)

    def term_for(self, session: str) -> str:
        """The Chalkline term a class in `session` goes into (itself, or the term it nests in)."""
        seen = set()
        while session in self.term_of and session not in seen:
            seen.add(session)
            session = self.term_of[session]
        return session

    def year_of_term(self, term: str) -> str | None:
        values = self.plan.targets["terms"].get(term) or self.now["terms"].get(term)
        return values[0] if values else None

    def _check_overlaps(self, rows: dict) -> None:
        years = dict(self.now["years"]) | self.plan.targets["years"]
        spans = sorted((v[1], v[2], sid, v[0]) for sid, v in years.items())
        spans += sorted((s, e, None, n) for n, s, e in self.unsourced_years)
        spans.sort(key=lambda s: s[0])
        names: dict[str, str] = {}
        for i, (_start, end, sid, name) in enumerate(spans):
            row = rows.get(sid) or self._made_row(sid, rows)
            for other in spans[i + 1 :]:
                if other[0] <= end and row is not None:
                    self.err("overlap", "academicSessions", row, "startDate", sid, other[2] or other[3])
            if row is not None and name in names and names[name] != sid:
                self.err("name_taken", "academicSessions", row, "title", name)
            names[name] = sid
        terms = dict(self.now["terms"]) | self.plan.targets["terms"]
        # Terms made in Chalkline in a year the files take over stay: the files' terms must not overlap them.
        terms |= {f"{name} ({year})": (year, name, start, end) for year, name, start, end in self.unsourced_terms}
        for sid, (year, _name, start, end) in self.plan.targets["terms"].items():
            row = rows[sid]
            if year in years and not (years[year][1] <= start and end <= years[year][2]):
                self.err("term_outside_year", "academicSessions", row, "startDate", sid, year)
            for other, (oyear, _oname, ostart, oend) in terms.items():
                if other != sid and oyear == year and ostart <= end and start <= oend:
                    self.err("overlap", "academicSessions", row, "startDate", sid, other)
                    break

    def _made_row(self, sid, rows: dict) -> dict | None:
        """A made school year's problems are reported on the first session placed in it."""
        if sid not in self.made_years:
            return None
        return next((r for s, r in rows.items() if self.plan.targets["terms"].get(s, (None,))[0] == sid), None)
