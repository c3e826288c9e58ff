"""What an import would change, counted per entity against the database, with a few examples of each."""

from __future__ import annotations

from app.oneroster.services import current

EXAMPLES = 3


def preview_of(builder) -> dict:
    """Counts (create, update, deactivate, unchanged) and examples per entity of a built plan."""
    plan, preview = builder.plan, {}
    for entity in plan.targets:
        now = builder.now[entity] if entity in builder.now else builder.now_pairs[entity]
        counts = {"create": 0, "update": 0, "deactivate": len(plan.deactivate[entity]), "unchanged": 0}
        examples: dict[str, list] = {"create": [], "update": [], "deactivate": []}
        for key, values in plan.targets[entity].items():
            before = now.get(key)
            if (entity == "schools" and key in plan.adopt_schools) or (
                entity == "users" and key not in now and values[4] and values[4].lower() in builder.adoptable
            ):
                change = "update"
            elif entity == "guardian_links" and key in now:
                change = "unchanged"  # an existing link keeps the relationship people set in Chalkline
            elif key not in now:
                change = "create"
            else:
                change = "unchanged" if before == values else "update"
            counts[change] += 1
            if change != "unchanged" and len(examples[change]) < EXAMPLES:
                examples[change].append(_label(entity, key, values))
        for key in sorted(plan.deactivate[entity], key=str)[:EXAMPLES]:
            examples["deactivate"].append(_label(entity, key, now.get(key) or ()))
        preview[entity] = {**counts, "examples": examples}
    if plan.district_sid and plan.district_sid != current.district_sourced_id():
        preview["district"] = {"sourced_id": plan.district_sid}
    return preview


def _label(entity: str, key, values) -> str:
    if not values:
        return " / ".join(str(k) for k in key if k) if isinstance(key, tuple) else str(key)
    if entity in ("schools", "years", "users"):
        return f"{values[0]} ({key})"
    if entity == "terms":
        return f"{values[1]} ({key})"
    if entity in ("courses", "sections"):
        return f"{values[3]} ({key})"
    if isinstance(key, tuple):
        return " / ".join(str(k) for k in key if k)
    return str(key)
