"""What the standards picker (templates/standards/picker/_picker.html) needs to render inside another package's
form: the chosen standards and the frameworks to browse. Questions and gradebook align through the same."""

from __future__ import annotations

from dataclasses import dataclass

from app.standards.data import Standard
from app.standards.services.browse import frameworks, get_many


@dataclass(frozen=True)
class PickerContext:
    field: str  # the form field's name: each chosen standard posts one value under it
    selected: list[Standard]
    frameworks: list  # (id, title)
    replacements: dict[int, Standard]  # a chosen retired standard's id -> what replaced it


def picker_context(actor, selected_ids, field: str = "standards") -> PickerContext:
    """Staff: the picker for a form whose `field` holds `selected_ids` (in order; unknown ids are dropped)."""
    selected = get_many(actor, selected_ids)
    replaced = get_many(actor, [s.replaced_by_id for s in selected if s.retired and s.replaced_by_id])
    by_id = {s.id: s for s in replaced}
    return PickerContext(
        field,
        selected,
        [(f.id, f.title) for f in frameworks(actor)],
        {s.id: by_id[s.replaced_by_id] for s in selected if s.replaced_by_id in by_id},
    )
