"""``{{ why|reason_text }}``: the matching engine's reasons worded in the page's language."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from dualpower.aid import reasons
from dualpower.core.matching import Reason

register = template.Library()


@register.filter
def reason_text(value: Reason | Iterable[Reason]) -> str:
    """One reason, or several joined as dispatchers read them."""
    if isinstance(value, Reason):
        return reasons.render(value)
    return reasons.explanation(value)
