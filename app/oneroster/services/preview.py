"""What an import would change, counted per entity against the database, with a few examples of each; how
the files' roles map to Chalkline's; and who can sign in."""

from __future__ import annotations

from app.oneroster.services import current
from app.oneroster.services.plan import KEYED

EXAMPLES = 3


def change_of(plan, entity: str, key, values, adoptable: set) -> str:
    """create, update or unchanged: one target compared with what Chalkline holds."""
    now = plan.now[entity] if entity in KEYED else plan.now_pairs[entity]
    adopted = {"schools": plan.adopt_schools, "years": plan.adopt_years, "terms": plan.adopt_terms}.get(entity, {})
    if key in adopted or (entity == "users" and key not in now and values[4] and values[4].lower() in adoptable):
        return "update"
    if entity == "guardian_links" and key in now:
        return "unchanged"  # an existing link keeps the relationship people set in Chalkline
    if key not in now:
        return "create"
    return "unchanged" if now[key] == values else "update"


def preview_of(builder) -> dict:
    """Counts (create, update, deactivate, unchanged) and examples per entity of a built plan, the role
    mapping, sign-in, and the set's version and file modes."""
    plan, preview = builder.plan, {}
    for entity in plan.targets:
        now = plan.now[entity] if entity in KEYED else plan.now_pairs[entity]
        counts = {"create": 0, "update": 0, "deactivate": len(plan.deactivate[entity]), "unchanged": 0}
        examples: dict[str, list] = {"create": [], "update": [], "deactivate": []}
        for key, values in plan.targets[entity].items():
            change = change_of(plan, entity, key, values, builder.adoptable)
            counts[change] += 1
            if change != "unchanged" and len(examples[change]) < EXAMPLES:
                examples[change].append(label(entity, key, values))
        for key in sorted(plan.deactivate[entity], key=str)[:EXAMPLES]:
            examples["deactivate"].append(label(entity, key, now.get(key) or ()))
        preview[entity] = {**counts, "examples": examples}
    if plan.district_sid and plan.district_sid != current.district_sourced_id():
        preview["district"] = {"sourced_id": plan.district_sid}
    preview["roles"] = [
        {"source": source, "chalkline": mapped, "count": count}
        for (source, mapped), count in sorted(plan.role_map.items(), key=lambda item: (-item[1], item[0]))
    ]
    active = [v for v in plan.targets["users"].values() if v[7]]
    preview["sign_in"] = {"email": sum(1 for v in active if v[4]), "none": sum(1 for v in active if not v[4])}
    return preview


def label(entity: str, key, values) -> str:
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
