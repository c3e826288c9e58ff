"""Small-cell suppression (NCES 2011-603): pure functions over the numbers a table, chart or CSV will show.

- A group of 1 to MIN_CELL - 1 students is suppressed: neither its size nor its share is shown.
- Complementary suppression: where a total is shown with its parts, one suppressed part could be recovered by
  subtracting the others from the total; so while exactly one part is suppressed, the smallest part still shown
  is suppressed too (and the sum of two unknowns discloses neither).
- Shares below 5% and above 95% are coded "<5%" and ">95%", so no 0% or 100% discloses a whole group.
A group of 0 students is not a cell at all: it shows as "no data", and it hides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_percent
from flask_babel import gettext as _

from app.analytics.data import HIGH_SHARE, LOW_SHARE, MIN_CELL


def primary(size: int | None) -> bool:
    return size is not None and 0 < size < MIN_CELL


def suppressed_parts(sizes: list[int | None], with_total: bool) -> list[bool]:
    """Which parts to hide: the small ones, and with a total shown, complements until no part stands alone."""
    hidden = [primary(size) for size in sizes]
    if with_total and sum(hidden) == 1:
        candidates = [
            (size, index) for index, size in enumerate(sizes) if not hidden[index] and size is not None and size > 0
        ]
        if candidates:
            hidden[min(candidates)[1]] = True
    return hidden


@dataclass(frozen=True)
class Shown:
    """One cell as it may be shown: `value` None when suppressed or empty, `label` what a person reads."""

    value: float | None
    label: str
    coded: bool = False
    suppressed: bool = False


def share(numerator: int, denominator: int, hidden: bool = False) -> Shown:
    """A share of people, suppressed or coded at the ends; for charts `value` is kept inside the coded band."""
    if hidden:
        return Shown(None, _("Suppressed"), suppressed=True)
    if not denominator:
        return Shown(None, _("No data"))
    value = numerator / denominator
    if value < LOW_SHARE:
        return Shown(LOW_SHARE, "<" + format_percent(LOW_SHARE), coded=True)
    if value > HIGH_SHARE:
        return Shown(HIGH_SHARE, ">" + format_percent(HIGH_SHARE), coded=True)
    return Shown(value, format_percent(value))


def rate(numerator: int, denominator: int, hidden: bool = False) -> Shown:
    """A number per person (lessons per teacher per week), suppressed like a share but never coded."""
    if hidden:
        return Shown(None, _("Suppressed"), suppressed=True)
    if not denominator:
        return Shown(None, _("No data"))
    value = numerator / denominator
    return Shown(round(value, 1), f"{value:.1f}")


def size(count: int, hidden: bool = False) -> Shown:
    if hidden:
        return Shown(None, _("Suppressed"), suppressed=True)
    if not count:
        return Shown(None, _("No data"))
    return Shown(count, f"{count:,}")
