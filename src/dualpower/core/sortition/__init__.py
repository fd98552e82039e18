"""Sortition: fair lotteries for citizens'-assembly-style panels, drawn from a public seed.

Pure and deterministic: no Django, no I/O. ``select_distribution`` finds the maximin or leximin
lottery over panels meeting the quotas (Flanigan et al., Nature 2021); ``draw`` picks one panel from
a seed announced before the draw. docs/sortition.md explains both for organisers.
"""

from dualpower.core.sortition.lottery import (
    TOTAL_TICKETS,
    draw,
    lottery_fingerprint,
    lottery_table,
    member_key,
    select_distribution,
    ticket_for,
)
from dualpower.core.sortition.model import (
    OBJECTIVES,
    Composition,
    Distribution,
    Objective,
    Panel,
    Person,
    Pool,
    Profile,
    Quota,
    Quotas,
)

__all__ = [
    "OBJECTIVES",
    "TOTAL_TICKETS",
    "Composition",
    "Distribution",
    "Objective",
    "Panel",
    "Person",
    "Pool",
    "Profile",
    "Quota",
    "Quotas",
    "draw",
    "lottery_fingerprint",
    "lottery_table",
    "member_key",
    "select_distribution",
    "ticket_for",
]
