"""The import plan and the builder's shared part: what every entity step uses to check and record.

A plan maps each entity to its targets (key -> values in the shapes of `current.py`) and the keys to switch
off; the entity steps (build_orgs, build_classes, build_users, build_enrollments) fill it, `validate.py`
puts them together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.oneroster.services import current
from app.oneroster.services.parse import RosterSet
from app.org.data import CEDS_GRADES as GRADES

GUARDIAN_ROLES = ("guardian", "parent", "relative")
TEACHING_ROLES = ("teacher", "aide", "proctor")
KEYED = ("schools", "years", "terms", "courses", "sections", "users", "enrollments")
PAIRED = ("memberships", "guardian_links", "section_teachers")
# The prefix export gives records made in Chalkline (see export_files.py); kept here to avoid an import cycle.
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


class BuilderBase:
    """State shared by the entity steps: the parsed set, the district's current records, the plan."""

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

    def _ref(self, file, row, fld, sid, ok: bool, where: str) -> bool:
        if not ok:
            self.err("unknown_ref", file, row, fld, sid, where)
        return ok

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

    def _sync_pairs(self, entity: str, owned) -> None:
        """Pairs of listed users that a bulk users.csv no longer names are removed."""
        if self.set.modes.get("users") != "bulk":
            return
        for key in self.now_pairs[entity]:
            if owned(key) and key not in self.plan.targets[entity]:
                self.plan.deactivate[entity].add(key)
