"""What every budgeting rule returns: the funded projects, the settings and the why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class PBOutcome:
    """The result of one count.

    ``selected`` lists project ids in the order the rule selected them; ``settings``
    holds everything needed to replay the count (rule, completion, tie-break, arithmetic);
    ``explanation`` is a JSON-serialisable list of steps, one per decision the rule took
    (for MES: who paid how much for each funded project, why each other was rejected).
    """

    rule: str
    selected: tuple[str, ...]
    total_cost: int
    settings: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    explanation: tuple[Mapping[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "selected": list(self.selected),
            "total_cost": self.total_cost,
            "settings": dict(self.settings),
            "explanation": [dict(step) for step in self.explanation],
        }
