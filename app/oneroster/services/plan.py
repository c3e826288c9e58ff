"""The import plan and the builder's shared part: what every entity step uses to check and record.

A plan maps each entity to its targets (key -> values in the shapes of `current.py`) and the keys to switch
off; the entity steps (build_orgs, build_classes, build_users, build_enrollments) fill it from the rows as
they stream past, and `validate.py` puts them together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.oneroster.services import current
from app.oneroster.services.parse import RosterSet

KEYED = ("schools", "years", "terms", "courses", "sections", "users", "enrollments")
PAIRED = ("memberships", "guardian_links", "section_teachers")
# The prefix export gives records made in Chalkline (see export_files.py); kept here to avoid an import cycle.
OWN_PREFIX = "chalkline-"


@dataclass
class Plan:
    """What the import will write. `targets[e]`: key -> values; `deactivate[e]`: keys to switch off; `now` and
    `now_pairs` the district's records it was compared with (for the preview and the report)."""

    district_sid: str | None = None
    targets: dict[str, dict] = field(default_factory=lambda: {e: {} for e in KEYED + PAIRED})
    deactivate: dict[str, set] = field(default_factory=lambda: {e: set() for e in KEYED + PAIRED})
    # Records made in Chalkline (no sourcedId) that the files' records take over: sourcedId -> id.
    adopt_schools: dict[str, int] = field(default_factory=dict)
    adopt_years: dict[str, int] = field(default_factory=dict)
    adopt_terms: dict[str, int] = field(default_factory=dict)
    # (role in the files, Chalkline role or "") -> how many rows gave it: the mapping the preview shows.
    role_map: dict[tuple, int] = field(default_factory=dict)
    # Emails of accounts made in Chalkline that a sourced user of the files takes over.
    adoptable: set = field(default_factory=set)
    now: dict = field(default_factory=dict)
    now_pairs: dict = field(default_factory=dict)
    preview: dict = field(default_factory=dict)


class Records(dict):
    """The district's current records per entity, loaded on first use: all of an entity's, or (see
    BuilderBase.scope) only those of the people and enrollments a delta set names."""

    def __init__(self, builder, load):
        super().__init__()
        self.builder, self.load = builder, load

    def __missing__(self, entity: str):
        records = self[entity] = self.load(entity, self.builder._strings, self.builder.scope(entity))
        return records


# The big entities, loaded whole only for a bulk file (which deactivates what it does not list).
SCOPED = {"users": "users", "enrollments": "enrollments"}


class BuilderBase:
    """State shared by the entity steps: the opened set, the district's current records, the plan."""

    def __init__(self, set_: RosterSet, district_id: int):
        self.set = set_
        self.problems = set_.problems
        self.district_id = district_id
        self.plan = Plan()
        self._strings = set_.strings
        self.now = Records(self, current.keyed)
        self.now_pairs = Records(self, current.pairs)
        self.plan.now, self.plan.now_pairs = self.now, self.now_pairs
        self.deleted: dict[str, set] = {}
        self.adoptable: set[str] = set()

    def ref(self, value):
        """One object per distinct reference (or date): a class's sourcedId is named by thousands of rows."""
        return self._strings.setdefault(value, value) if value is not None else None

    def err(self, code, file, row, fld, value="", expected="") -> None:
        self.problems.error(code, f"{file}.csv", row["_line"] if row else None, fld, value, expected)

    def warn(self, code, file, row, fld, value="", expected="") -> None:
        self.problems.warn(code, f"{file}.csv", row["_line"] if row else None, fld, value, expected)

    def scope(self, entity: str) -> set | None:
        """Which records of `entity` the plan needs from the database: None for all of them; for people and
        enrollments when their file is a delta (or absent), only those the files name, so a delta of a few
        hundred rows does not read a whole district."""
        if entity in SCOPED:
            file = SCOPED[entity]
            if self.set.mode(file) == "bulk":
                return None
            return self.set.sourced_ids(file) if file in self.set.modes else set()
        if entity == "memberships" and "bulk" in (self.set.mode("users"), self.set.mode("roles")):
            return None
        if entity == "guardian_links" and self.set.mode("users") == "bulk":
            return None
        if entity in ("memberships", "guardian_links"):
            agents = {a for _sid, named, _line in getattr(self, "pending_links", ()) for a in named}
            return set(self.listed("users")) | getattr(self, "role_users", set()) | agents
        return None

    @property
    def keeping(self) -> bool:
        """Whether targets are still recorded: a set with an error is never applied, so from its first error
        on only the checks run (a hostile file of bad rows holds no plan in memory)."""
        return not self.problems.error_count

    def target(self, entity: str, key, values: tuple) -> None:
        """Record a target; one equal to what Chalkline holds shares its tuple (a re-import holds one copy)."""
        if not self.keeping:
            return
        before = self.now[entity].get(key) if entity in KEYED else None
        self.plan.targets[entity][key] = before if before == values else values

    def known(self, file, row, fld, sid, ok: bool, where: str) -> bool:
        """Is a reference resolved? An unresolved one is an error (the row cannot be used)."""
        if not ok:
            self.err("unknown_ref", file, row, fld, sid, where)
        return ok

    def listed(self, file: str) -> dict:
        """The sourcedIds a file lists (with their first line)."""
        return self.set.seen.get(file, {})

    def note(self, file: str, row: dict) -> bool:
        """Whether the row is active; a tobedeleted one is remembered for `deactivate_missing`."""
        if row["status"] == "active":
            return True
        self.deleted.setdefault(file, set()).add(row["sourcedId"])
        return False

    def deletes_only(self, file: str, entity: str, row: dict) -> bool:
        """A tobedeleted row that names only its sourcedId: it switches off what Chalkline has, so one naming a
        record Chalkline does not have is a warning."""
        if not row.get("_partial"):
            return False
        if row["sourcedId"] not in self.now[entity]:
            self.warn("delete_unknown", file, row, "sourcedId", row["sourcedId"])
        return True

    def deactivate_missing(self, entity: str, file: str, is_on) -> None:
        """tobedeleted rows, and in a bulk file the sourced records it no longer lists, are switched off."""
        targets, now = self.plan.targets[entity], self.now[entity]
        for sid in self.deleted.get(file, ()):
            # A tobedeleted record Chalkline never had is kept, switched off, so references to it still hold.
            if sid in now:
                targets.pop(sid, None)
                if is_on(now[sid]):
                    self.plan.deactivate[entity].add(sid)
        if self.set.mode(file) == "bulk":
            listed = self.listed(file)
            for sid, values in now.items():
                if sid not in listed and is_on(values) and not sid.startswith(OWN_PREFIX):
                    self.plan.deactivate[entity].add(sid)

    def sync_pairs(self, entity: str, owned) -> None:
        """Pairs of the listed owners that the files no longer name are removed."""
        for key in self.now_pairs[entity]:
            if owned(key) and key not in self.plan.targets[entity]:
                self.plan.deactivate[entity].add(key)
