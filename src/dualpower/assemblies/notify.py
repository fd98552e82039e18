"""Notifications of assemblies, and a switch to hold them while loading past records.

The demo (and any import of an assembly's history) builds decisions that closed weeks ago
through the services; nobody should be told today that a vote opened last month.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_quiet: ContextVar[bool] = ContextVar("assemblies_quiet", default=False)


@contextmanager
def held() -> Iterator[None]:
    """Within this block the assemblies' services notify nobody."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def send(**kwargs: Any) -> int:
    if _quiet.get():
        return 0
    from dualpower.notifications.services import notification_send

    return notification_send(**kwargs)
