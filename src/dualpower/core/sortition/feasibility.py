"""Say, in a sentence organisers can act on, why no panel can meet the quotas.

Checks run from the simplest cause to the subtlest: the panel size against the pool, one quota
against the volunteers who have that value, one feature's quotas against the panel size, and last
the quotas together. For the last, like sortition-algorithms' ``_relax_infeasible_quotas``, we solve
for the smallest loosening of the quotas that makes a panel possible and name what it loosens.
"""

from __future__ import annotations

from dualpower.core.sortition import highs
from dualpower.core.sortition.model import Quotas
from dualpower.core.sortition.profiles import Grouping


def check_simple(grouping: Grouping, quotas: Quotas, panel_size: int) -> None:
    """Raise ValueError for the causes that can be named without solving anything."""
    pool_size = sum(grouping.sizes)
    if panel_size < 1:
        raise ValueError(f"The panel size must be at least 1 (it is {panel_size}).")
    if panel_size > pool_size:
        raise ValueError(f"A panel of {panel_size} cannot be drawn from a pool of {pool_size} people.")
    available = [sum(grouping.sizes[t] for t in members) for members in grouping.quota_profiles]
    for quota, have in zip(quotas.quotas, available, strict=True):
        if quota.min > have:
            raise ValueError(
                f"The quota for {quota.feature} = {quota.value} asks for at least {quota.min} "
                f"but only {have} people in the pool have that value."
            )
    for feature in quotas.features:
        rows = [(q, have) for q, have in zip(quotas.quotas, available, strict=True) if q.feature == feature]
        lowest = sum(q.min for q, _ in rows)
        highest = sum(min(q.max, have) for q, have in rows)
        if lowest > panel_size:
            raise ValueError(
                f"The quotas for the feature {feature!r} ask for at least {lowest} people in all, "
                f"more than the panel size {panel_size}."
            )
        if highest < panel_size:
            raise ValueError(
                f"The quotas for the feature {feature!r} allow at most {highest} people in all "
                f"(given who is in the pool), fewer than the panel size {panel_size}."
            )


def explain_joint_infeasibility(grouping: Grouping, quotas: Quotas, panel_size: int) -> ValueError:
    """The error for quotas that are each satisfiable but not together, naming what to loosen."""
    h = highs.new_highs(mip=True)
    sizes = grouping.sizes
    t = len(sizes)
    q = len(quotas.quotas)
    # Columns: counts per profile, then a "lower by" and a "raise by" slack per quota.
    highs.add_columns(h, [0.0] * t, [0.0] * t, [min(n, panel_size) for n in sizes])
    highs.add_columns(h, [1.0] * (2 * q), [0.0] * (2 * q), [float(panel_size)] * (2 * q))
    highs.make_integer(h, range(t + 2 * q))
    highs.add_row(h, panel_size, panel_size, range(t), [1.0] * t)
    for k, (quota, members) in enumerate(zip(quotas.quotas, grouping.quota_profiles, strict=True)):
        cols = [*members, t + 2 * k]
        highs.add_row(h, quota.min, highs.INF, cols, [1.0] * len(members) + [1.0])
        cols = [*members, t + 2 * k + 1]
        highs.add_row(h, -highs.INF, quota.max, cols, [1.0] * len(members) + [-1.0])
    if not highs.solve(h, maximise=False):
        return ValueError("No panel can meet the quotas, even loosened; check the pool and the panel size.")
    x = highs.values(h)
    changes = []
    for k, quota in enumerate(quotas.quotas):
        lower_by, raise_by = round(x[t + 2 * k]), round(x[t + 2 * k + 1])
        if lower_by:
            changes.append(f"{quota.feature} = {quota.value} minimum {quota.min} → {quota.min - lower_by}")
        if raise_by:
            changes.append(f"{quota.feature} = {quota.value} maximum {quota.max} → {quota.max + raise_by}")
    clash = _clashing_features(grouping, quotas, panel_size)
    named = " and ".join(", ".join(repr(f) for f in clash).rsplit(", ", 1))
    return ValueError(
        f"No panel of {panel_size} can meet the quotas for {named} together, though each can be met "
        f"alone; the smallest change that makes a panel possible is: {'; '.join(changes)}."
    )


def _clashing_features(grouping: Grouping, quotas: Quotas, panel_size: int) -> list[str]:
    """A smallest set of features whose quotas cannot be met together (drop each feature in turn;
    keep it out if the rest still clash): the features an organiser has to look at together."""
    keep = list(quotas.features)
    for feature in list(keep):
        rest = [f for f in keep if f != feature]
        if not _feasible(grouping, quotas, panel_size, set(rest)):
            keep = rest
    return keep


def _feasible(grouping: Grouping, quotas: Quotas, panel_size: int, features: set[str]) -> bool:
    h = highs.new_highs(mip=True)
    sizes = grouping.sizes
    t = len(sizes)
    highs.add_columns(h, [0.0] * t, [0.0] * t, [min(n, panel_size) for n in sizes])
    highs.make_integer(h, range(t))
    highs.add_row(h, panel_size, panel_size, range(t), [1.0] * t)
    for quota, members in zip(quotas.quotas, grouping.quota_profiles, strict=True):
        if quota.feature in features:
            highs.add_row(h, quota.min, quota.max, members, [1.0] * len(members))
    return highs.solve(h, maximise=True)
