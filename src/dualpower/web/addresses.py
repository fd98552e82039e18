"""The addresses of a list's rows, reversed once per list rather than once per row.

``{% url 'members:detail' community.slug m.pk %}`` on each of a page's rows runs Django's
``reverse`` each time (about 40 µs of CPU), for addresses that differ only in the row's id.
``by_id(name, *args)`` reverses the address twice, for two ids, and gives a function that writes
the address of any id between the parts the two have in common: the same text ``reverse`` gives
for an ``<int:…>`` last argument (checked with a third id when made).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from django.urls import reverse


def _common_prefix(a: str, b: str) -> str:
    return os.path.commonprefix([a, b])  # noqa: RUF071  # characters, not path parts


def by_id(name: str, *args: Any) -> Callable[[int], str]:
    """``lambda pk: reverse(name, args=[*args, pk])``, reversing once: for the rows of one page."""
    one, two = reverse(name, args=[*args, 1]), reverse(name, args=[*args, 2])
    prefix = _common_prefix(one, two)
    suffix = _common_prefix(one[::-1], two[::-1])[::-1]
    if (one, two) != (f"{prefix}1{suffix}", f"{prefix}2{suffix}"):
        raise ValueError(f"{name}: the address does not end in a whole number")
    check = reverse(name, args=[*args, 90210])
    if check != f"{prefix}90210{suffix}":
        raise ValueError(f"{name}: the address does not end in a whole number")

    def address(pk: int) -> str:
        return f"{prefix}{int(pk)}{suffix}"

    return address
