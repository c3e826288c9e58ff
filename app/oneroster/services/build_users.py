"""Users and demographics: people, their roles at schools and their guardian links."""

from __future__ import annotations

from app.oneroster.services import current
from app.oneroster.services.plan import GUARDIAN_ROLES, _active, _cut, _day, _split, grade_level


class UserSteps:
    """Users after orgs (memberships point at schools); demographics only add birth dates."""

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
            row = self.email_line[low]
            self.err("email_taken", "users", row, "email", row["email"])
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
