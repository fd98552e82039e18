"""Run the same pool through sortition-algorithms' maximin (the reference the issue names).

Test-only and bench-only: the package never imports sortition_algorithms. It needs
``pip install sortition-algorithms`` (which brings highspy, the solver both use).
"""

from __future__ import annotations

from dataclasses import dataclass

from dualpower.core.sortition import Pool, Quotas


@dataclass(frozen=True)
class PeerResult:
    probabilities: dict[str, float]
    committees: int

    @property
    def min_probability(self) -> float:
        return min(self.probabilities.values())


def peer_maximin(pool: Pool, quotas: Quotas, panel_size: int, *, seed: int = 1) -> PeerResult:
    """sortition-algorithms 0.12's ``find_distribution_maximin`` on ``pool`` (HiGHS backend)."""
    from sortition_algorithms.committee_generation import find_distribution_maximin
    from sortition_algorithms.features import FeatureValueMinMax
    from sortition_algorithms.people import People
    from sortition_algorithms.utils import set_random_provider

    set_random_provider(seed)  # its initial committees use a random start
    features: dict[str, dict[str, FeatureValueMinMax]] = {}
    for q in quotas.quotas:
        features.setdefault(q.feature, {})[q.value] = FeatureValueMinMax(
            min=q.min, max=q.max, min_flex=0, max_flex=panel_size
        )
    people = People([])
    for row, person in enumerate(pool.people):
        people.add(person.id, dict(person.features), features, row)
    committees, probabilities, _ = find_distribution_maximin(features, people, panel_size, [], "highspy")
    chance = {p.id: 0.0 for p in pool.people}
    for committee, p in zip(committees, probabilities, strict=True):
        for pid in committee:
            chance[pid] += p
    return PeerResult(chance, len(committees))
