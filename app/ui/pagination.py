from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import request, url_for


@dataclass(frozen=True)
class Page:
    number: int
    per_page: int
    total: int
    prev_url: str | None
    next_url: str | None

    @property
    def has_prev(self) -> bool:
        return self.prev_url is not None

    @property
    def has_next(self) -> bool:
        return self.next_url is not None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def page_of(total: int, number: int, per_page: int) -> Page:
    """Links to the neighbouring pages of the current URL, keeping its other query arguments."""
    number = max(1, number)
    # The query string is rebuilt as text rather than passed to url_for, whose own keywords (_external,
    # _scheme, _anchor) a visitor could otherwise set from the address bar.
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
    base = url_for(request.endpoint, **(request.view_args or {}))

    def link(n: int) -> str:
        return f"{base}?{urlencode([*args, ('page', n)])}"

    last = max(1, -(-total // per_page))
    return Page(
        number, per_page, total, link(number - 1) if number > 1 else None, link(number + 1) if number < last else None
    )
