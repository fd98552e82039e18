"""Compute a fair lottery over panels, publish it, and draw from it with a public seed.

``select_distribution`` finds the lottery (maximin or leximin, see ``columns``) and turns its
probabilities into whole tickets out of ``TOTAL_TICKETS``, so the published table is exact and
the draw needs only integer arithmetic. ``draw`` maps a seed announced in advance to one panel;
docs/sortition.md gives the same steps for anyone who wants to check a draw by hand.
"""

from __future__ import annotations

import hashlib
from fractions import Fraction

from dualpower.core.sortition.columns import solve_lottery
from dualpower.core.sortition.feasibility import check_simple, explain_joint_infeasibility
from dualpower.core.sortition.model import (
    OBJECTIVES,
    Composition,
    Distribution,
    Objective,
    Panel,
    Pool,
    Quotas,
)
from dualpower.core.sortition.oracle import CompositionOracle
from dualpower.core.sortition.profiles import group_pool

# A trillion tickets: rounding moves no probability by more than one ticket per composition
# (about 1e-12 each), far below what matters, and a ticket number fits in a spreadsheet cell.
TOTAL_TICKETS = 10**12


def select_distribution(
    pool: Pool, quotas: Quotas, panel_size: int, *, objective: Objective = "maximin"
) -> Distribution:
    """The lottery over panels of ``panel_size`` meeting ``quotas`` that maximises the smallest
    selection probability (``maximin``), or the smallest, then the next smallest, and so on
    (``leximin``). Raises ValueError, naming the feature, when no panel meets the quotas."""
    if objective not in OBJECTIVES:
        raise ValueError(f"The objective must be one of {', '.join(OBJECTIVES)} (got {objective!r}).")
    grouping = group_pool(pool, quotas)
    check_simple(grouping, quotas, panel_size)
    oracle = CompositionOracle(grouping, quotas, panel_size)
    if oracle.best([0.0] * len(grouping.profiles)) is None:
        raise explain_joint_infeasibility(grouping, quotas, panel_size)
    solution = solve_lottery(oracle, objective)
    tickets = _apportion(solution.weights, TOTAL_TICKETS)
    lottery = tuple(
        sorted(
            (Composition(c, n) for c, n in zip(solution.compositions, tickets, strict=True) if n > 0),
            key=lambda comp: comp.counts,
        )
    )
    probabilities: list[tuple[str, Fraction]] = []
    for t, profile in enumerate(grouping.profiles):
        expected = sum(comp.tickets * comp.counts[t] for comp in lottery)
        p = Fraction(expected, TOTAL_TICKETS * len(profile.members))
        probabilities.extend((pid, p) for pid in profile.members)
    never = tuple(
        sorted(
            pid
            for profile, ok in zip(grouping.profiles, solution.selectable, strict=True)
            if not ok
            for pid in profile.members
        )
    )
    return Distribution(
        objective=objective,
        panel_size=panel_size,
        features=grouping.features,
        quotas=quotas,
        profiles=grouping.profiles,
        lottery=lottery,
        total_tickets=TOTAL_TICKETS,
        probabilities=tuple(sorted(probabilities)),
        never_selectable=never,
        columns_generated=solution.columns_generated,
    )


def _apportion(weights: tuple[float, ...], total: int) -> list[int]:
    """Whole tickets proportional to ``weights`` summing to ``total`` (largest remainders; ties go to
    the earlier composition)."""
    s = sum(weights)
    exact = [w / s * total for w in weights]
    tickets = [int(e) for e in exact]
    short = total - sum(tickets)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - tickets[i]), i))
    for i in order[:short]:
        tickets[i] += 1
    return tickets


def seed_text(seed: str | int) -> str:
    """The seed as the text that is hashed: a string as given, an integer in decimal."""
    if isinstance(seed, bool) or not isinstance(seed, str | int):
        raise ValueError(f"The seed must be text or a whole number (got {type(seed).__name__}).")
    text = seed if isinstance(seed, str) else str(seed)
    if not text.strip():
        raise ValueError("The seed is empty; announce a public seed before the draw.")
    return text


def ticket_for(seed: str | int, total_tickets: int = TOTAL_TICKETS) -> int:
    """SHA-256 of the seed text (UTF-8), read as a big-endian number, modulo the ticket count."""
    digest = hashlib.sha256(seed_text(seed).encode("utf-8")).digest()
    return int.from_bytes(digest, "big") % total_tickets


def member_key(seed: str | int, person_id: str) -> str:
    """The hex SHA-256 of ``seed text + newline + person id``: within a profile, the members with
    the smallest keys are taken."""
    return hashlib.sha256(f"{seed_text(seed)}\n{person_id}".encode()).hexdigest()


def draw(distribution: Distribution, seed: str | int) -> Panel:
    """The panel the public ``seed`` selects: ticket → composition by cumulative tickets in the
    published order → in each profile, the members with the smallest ``member_key``."""
    text = seed_text(seed)
    ticket = ticket_for(text, distribution.total_tickets)
    upto = 0
    chosen = distribution.lottery[-1]
    for composition in distribution.lottery:
        upto += composition.tickets
        if ticket < upto:
            chosen = composition
            break
    members: list[str] = []
    for profile, count in zip(distribution.profiles, chosen.counts, strict=True):
        if count:
            ranked = sorted(profile.members, key=lambda pid: (member_key(text, pid), pid))
            members.extend(ranked[:count])
    return Panel(tuple(sorted(members)), text, ticket, chosen)


def lottery_table(distribution: Distribution) -> str:
    """The text to publish before the seed is known: profiles, then one line per composition with
    its ticket range. Its SHA-256 (``lottery_fingerprint``) can be announced with the seed source."""
    lines = [
        f"objective {distribution.objective}; panel size {distribution.panel_size}; "
        f"tickets {distribution.total_tickets}",
        "profiles (" + ", ".join(distribution.features) + "):",
    ]
    for t, profile in enumerate(distribution.profiles):
        lines.append(f"  P{t}: {' / '.join(profile.values)}: {', '.join(profile.members)}")
    lines.append("compositions (first ticket - last ticket: count per profile):")
    upto = 0
    for comp in distribution.lottery:
        counts = " ".join(f"P{t}={c}" for t, c in enumerate(comp.counts) if c)
        lines.append(f"  {upto}-{upto + comp.tickets - 1}: {counts}")
        upto += comp.tickets
    return "\n".join(lines) + "\n"


def lottery_fingerprint(distribution: Distribution) -> str:
    return hashlib.sha256(lottery_table(distribution).encode()).hexdigest()
