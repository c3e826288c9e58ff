"""People: users, their roles (users.csv in 1.1, roles.csv in 1.2), birth dates, guardian links and the 1.2
user profiles (checked, never imported: Chalkline keeps no other system's credentials).

A user's target is (display name, given, family, identifier, email, grade, birth date, active, preferred given,
preferred family, pronouns, master identifier, primary school), as `current.py` reads them; a column the file
does not have keeps what Chalkline holds (a 1.1 file says nothing about pronouns).
"""

from __future__ import annotations

from datetime import date

from app.oneroster.services import current, schema
from app.oneroster.services.values import cut, grade_codes, split_list

ACTIVE = 7
# Optional columns and their place in the target: absent from the file, Chalkline's value stays.
OPTIONAL = {
    "identifier": 3,
    "preferredGivenName": 8,
    "preferredFamilyName": 9,
    "pronouns": 10,
    "userMasterIdentifier": 11,
}
SIZES = {"identifier": 120, "preferredGivenName": 120, "preferredFamilyName": 120, "pronouns": 40}


class UserSteps:
    """Users after orgs (memberships point at schools); then profiles, roles and guardian links."""

    def users(self) -> None:
        births = {r["sourcedId"]: (r.get("birthDate"), r["_line"]) for r in self.set.rows("demographics")}
        emails = current.emails_in_district()
        self.adoptable = self.plan.adoptable = {e for e, owner in emails.items() if owner is None}
        # sourcedId -> the OneRoster role(s) the files give: one (shared) string, or a frozenset of several.
        self.source_roles: dict[str, str | frozenset] = {}
        self.pending_links: list[tuple] = []
        self.link_owners: set[str] = set()
        self.membership_owners: set[str] = set()
        self.now_roles: dict[str, set] | None = None
        self._known_users: set | None = None
        seen_email: dict[str, str] = {}
        fresh: dict[str, dict] = {}
        passwords = 0
        self.now["users"]  # loaded before the file streams (a delta's people, read ahead by sourcedId)
        for row in self.set.rows("users"):
            sid = row["sourcedId"]
            active = self.note("users", row)
            if self.deletes_only("users", "users", row):
                continue
            email = self._email(row, seen_email, emails, fresh)
            passwords += bool(row.get("password"))
            agents = tuple(self.ref(a) for a in split_list(row.get("agentSourcedIds", "")))
            if agents and self.keeping:
                self.pending_links.append((sid, agents, row["_line"]))
            if active and agents and self.keeping:
                self.link_owners.add(sid)
            self.target("users", sid, self._target(row, sid, active, email, births))
            if row.get("role"):  # 1.1, or a 1.2 file that kept the column
                self._source_role(sid, row["role"])
                orgs = split_list(row.get("orgSourcedIds", ""))
                for org in orgs:
                    self.known("users", row, "orgSourcedIds", org, org in self.org_kind, "orgs.csv")
                pairs = self._memberships(row["role"], orgs, "users", row) if active else []
                if active and self.keeping:
                    self.membership_owners.add(sid)
                    for school, name in pairs:
                        self.plan.targets["memberships"][(sid, school, name)] = ()
        for low in sorted(current.emails_elsewhere(sorted(fresh), self.district_id)):
            line, email = fresh[low]
            self.err("email_taken", "users", {"_line": line}, "email", email)
        known = self.known_users()
        for sid, (_birth, line) in births.items():
            self.known("demographics", {"_line": line}, "sourcedId", sid, sid in known, "users.csv")
        if passwords:
            self.warn("passwords_ignored", "users", None, "password", passwords)
        self.deactivate_missing("users", "users", lambda v: v[ACTIVE])
        self.profiles()
        self.roles()
        self.links()

    def known_users(self) -> set:
        """Users the files or Chalkline have (made once, after users.csv has been read)."""
        if self._known_users is None:
            everyone = self.now["users"] if self.scope("users") is None else current.sourced_ids("users")
            self._known_users = set(everyone) | set(self.listed("users"))
        return self._known_users

    def _email(self, row: dict, seen: dict, emails: dict, fresh: dict) -> str | None:
        email = row.get("email", "")[:254]
        if email and "@" not in email:
            self.warn("email_unusable", "users", row, "email", email)
            email = ""
        if not email:
            return None
        low, sid = email.lower(), row["sourcedId"]
        if low in seen:
            self.err("email_twice", "users", row, "email", email)
        elif emails.get(low, sid) not in (sid, None):
            self.err("email_taken", "users", row, "email", email)
        elif low not in emails:
            fresh[low] = (row["_line"], email)
        seen[low] = sid
        return email

    def _target(self, row: dict, sid: str, active: bool, email: str | None, births: dict) -> tuple:
        now = self.now["users"].get(sid)
        given, family = row["givenName"][:120], row["familyName"][:120]
        values = {}
        for column, index in OPTIONAL.items():
            values[index] = cut(row[column], SIZES.get(column, 255)) if column in row else (now[index] if now else None)
        if "demographics" in self.set.modes:
            birth = births.get(sid, (None,))[0]
        else:
            birth = now[6] if now else None
        primary = now[12] if now else None
        if "primaryOrgSourcedId" in row:
            org = row["primaryOrgSourcedId"]
            known, primary = self.school_for(org) if org else (True, None)
            self.known("users", row, "primaryOrgSourcedId", org, known, "orgs.csv")
        levels, unknown = grade_codes(row.get("grades", ""))
        if unknown:
            self.warn("grade_unknown", "users", row, "grades", ", ".join(unknown))
        shown = f"{values[8] or given} {values[9] or family}"[:120]
        return (
            shown,
            given,
            family,
            values[3],
            email,
            levels[0] if levels else None,
            birth,
            active and row.get("enabledUser") is not False,
            values[8],
            values[9],
            values[10],
            values[11],
            primary,
        )

    def _memberships(self, role: str, orgs: list[str], file: str, row: dict) -> list[tuple]:
        """Chalkline's (school or None, role) pairs for a OneRoster role at these orgs; the mapping is counted
        for the preview, and a role Chalkline has no equivalent for is a warning (no role given)."""
        mapped = schema.ROLES.get(role, "unknown")
        result: list[tuple] = []
        if mapped in ("unknown", None):
            self.warn("unknown_role" if mapped else "no_role", file, row, "role", role)
        elif mapped == "guardian":
            result.append((None, "guardian"))
        else:
            for org in orgs:
                known, school = self.school_for(org)
                if not known:
                    continue
                if mapped == "district_admin" or (mapped == "admin" and school is None):
                    result.append((None, "district_admin"))
                elif mapped in ("admin", "school_admin"):
                    if school is None:
                        self.warn("role_needs_school", file, row, "orgSourcedId", role, org)
                    else:
                        result.append((school, "school_admin"))
                else:
                    result.append((school, mapped))
        result = list(dict.fromkeys(result))
        key = (role, ", ".join(sorted({name for _school, name in result})))
        self.plan.role_map[key] = self.plan.role_map.get(key, 0) + 1
        return result

    def profiles(self) -> None:
        """1.2 user profiles name accounts in other systems: their references are checked, nothing imported."""
        known, count = self.known_users(), 0
        for row in self.set.rows("userProfiles"):
            user = row["userSourcedId"]
            self.known("userProfiles", row, "userSourcedId", user, user in known, "users.csv")
            count += 1
        if count:
            self.warn("profiles_not_imported", "userProfiles", None, "", count)

    def roles(self) -> None:
        """1.2 roles.csv: one row per role of a person at an org. A bulk file states everyone's roles; a delta
        file adds the active rows and removes the tobedeleted ones."""
        if "roles" not in self.set.modes:
            self._sync_memberships(set())
            return
        known, today = self.known_users(), date.today()
        memberships, removed, owners = self.plan.targets["memberships"], set(), set()
        self.role_users = owners
        primary: dict[str, str] = {}
        for row in self.set.rows("roles"):
            if row.get("_partial"):
                # Chalkline keeps a role as person, school and role, not by the file's sourcedId.
                self.warn("role_by_id_only", "roles", row, "sourcedId", row["sourcedId"])
                continue
            user, org = self.ref(row["userSourcedId"]), row["orgSourcedId"]
            if not self.known("roles", row, "userSourcedId", user, user in known, "users.csv"):
                continue
            if not self.known("roles", row, "orgSourcedId", org, org in self.org_kind, "orgs.csv"):
                continue
            profile = row.get("userProfileSourcedId", "")
            if profile and "userProfiles" in self.set.modes:
                self.known(
                    "roles",
                    row,
                    "userProfileSourcedId",
                    profile,
                    profile in self.listed("userProfiles"),
                    "userProfiles.csv",
                )
            owners.add(user)
            if row.get("endDate") and row["endDate"] < today:
                self.warn("role_ended", "roles", row, "endDate", row["endDate"].isoformat())
                continue
            pairs = self._memberships(row["role"], [org], "roles", row)
            if row["status"] != "active":
                removed.update((user, school, name) for school, name in pairs)
                continue
            self._source_role(user, row["role"])
            if not self.keeping:
                continue
            for school, name in pairs:
                memberships[(user, school, name)] = ()
                if row.get("roleType") == "primary" and school:
                    primary.setdefault(user, school)
        self._primary_from_roles(primary)
        if self.set.mode("roles") == "bulk":
            self.membership_owners |= owners | {s for s, v in self.plan.targets["users"].items() if v[ACTIVE]}
        self._sync_memberships(removed)

    def _primary_from_roles(self, primary: dict[str, str]) -> None:
        """A user without a primaryOrgSourcedId of their own gets the school of their primary role."""
        targets = self.plan.targets["users"]
        for user, school in primary.items():
            values = targets.get(user)
            if values is not None and values[12] is None:
                self.target("users", user, (*values[:12], school))

    def _sync_memberships(self, removed: set) -> None:
        owners = self.membership_owners
        self.sync_pairs("memberships", lambda key: key[0] in owners)
        self.plan.deactivate["memberships"] |= removed & set(self.now_pairs["memberships"])

    def _source_role(self, sid: str, role: str) -> None:
        if not self.keeping:
            return
        held = self.source_roles.get(sid)
        role = self.ref(role)
        if held is None or held == role:
            self.source_roles[sid] = role
        else:
            self.source_roles[sid] = (held if isinstance(held, frozenset) else frozenset((held,))) | {role}

    def _link_role(self, sid: str) -> tuple[str | None, str]:
        """('guardian' or 'student' or None, the relationship a guardian role names)."""
        roles = self.source_roles.get(sid)
        if roles is None:
            if self.now_roles is None:
                self.now_roles = {}
                for user, _school, name in self.now_pairs["memberships"]:
                    self.now_roles.setdefault(user, set()).add(name)
            roles = self.now_roles.get(sid, set())
        elif isinstance(roles, str):
            roles = (roles,)
        guardian = sorted(r for r in roles if r in schema.GUARDIAN_ROLES)
        if guardian:
            return "guardian", guardian[0]
        return ("student", "") if "student" in roles else (None, "")

    def links(self) -> None:
        """agentSourcedIds on either side (a student lists guardians, a guardian students) make a link."""
        known, links = self.known_users(), self.plan.targets["guardian_links"]
        for sid, agents, line in self.pending_links:
            mine, relationship = self._link_role(sid)
            for agent in agents:
                if not self.known("users", {"_line": line}, "agentSourcedIds", agent, agent in known, "users.csv"):
                    continue
                theirs, their_relationship = self._link_role(agent)
                if mine == "student" and theirs == "guardian":
                    links[(agent, sid)] = (their_relationship,)
                elif mine == "guardian" and theirs == "student":
                    links[(sid, agent)] = (relationship,)
        # A bulk users.csv states everyone's links; a delta one those of the people whose rows name agents.
        owners = self.link_owners
        if self.set.mode("users") == "bulk":
            listed, gone = self.listed("users"), self.deleted.get("users", set())
            owners = {sid for sid in listed if sid not in gone}
        self.sync_pairs("guardian_links", lambda key: key[0] in owners or key[1] in owners)
