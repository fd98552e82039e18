"""A page of a list on a page people read: ``?page=N`` (from 1), ``PER_PAGE`` rows a page, read in
one query of ``PER_PAGE + 1`` rows (the one more says whether a next page exists), so a list costs
the same queries and bytes whether the community holds ten rows or fifty thousand, and no ``COUNT``
is run for a "page n of m" nobody needs to move on.

The view names the parameter (``page``, or its own when a page shows several lists) and gives a
reader of the list's rows by window; the template shows ``rows`` and, below them,
``{% include "partials/_pager.html" with page=… param=… anchor=… pager_query=… %}``, ``pager_query`` the
page's other parameters (its filters) for the pager's links to keep (``kept_query``):

    homes = page_of(lambda limit, offset: selectors.homes_page(community=c, limit=limit, offset=offset),
                    raw=request.GET.get("page"))

Offsets, not keysets: these lists are read from their first page by people, by name or date; the
statement and the audit log, read far back, go by keyset (ledger.selectors, community.selectors).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.http import QueryDict

T = TypeVar("T")

PER_PAGE = 20
MAX_PAGE = 10_000  # beyond this a page number is taken for a mistake and page 1 is shown


def page_number(raw: str | None) -> int:
    """The page ``raw`` asks for, or 1 when it is missing or not a page number."""
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) <= MAX_PAGE else 1


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, its number and its neighbours' numbers (None at the ends)."""

    rows: list[T]
    number: int
    previous: int | None
    next: int | None


def page_of(read: Callable[[int, int], Iterable[T]], *, raw: str | None, per_page: int = PER_PAGE) -> Page[T]:
    """Page ``raw`` of the rows ``read(limit, offset)`` gives, ``per_page`` of them."""
    number = page_number(raw)
    rows = list(read(per_page + 1, (number - 1) * per_page))
    return Page(
        rows=rows[:per_page],
        number=number,
        previous=number - 1 if number > 1 else None,
        next=number + 1 if len(rows) > per_page else None,
    )


def kept_query(params: QueryDict, param: str = "page") -> str:
    """The address's parameters but ``param`` (the list's filters), urlencoded, for the pager's
    links to keep: a link to the next page of a filtered list stays filtered."""
    kept = params.copy()
    kept.pop(param, None)
    return kept.urlencode()
