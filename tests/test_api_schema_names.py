"""Every API schema has its own name: OpenAPI keys schemas by class name, so two apps' `AccountOut`
would silently document one app's responses with the other's shape."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

import dualpower.api  # noqa: F401 - imports every router, and with them every schema


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("dualpower.") and cls.__name__ not in {"Input", "Output"}:
            by_name[cls.__name__].add(cls.__module__)
    clashes = {name: sorted(mods) for name, mods in by_name.items() if len(mods) > 1}
    assert not clashes, clashes
