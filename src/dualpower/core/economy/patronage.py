"""Patronage allocation: a co-op's year-end surplus shared out by each member's patronage.

Worker co-ops allocate by hours worked (or wages), consumer co-ops by purchases: each member's
allocation is ``surplus × patronage / total patronage``. The bylaws then split every allocation
into a part paid in cash and a part retained in the member's capital account. In the United States
a written notice of allocation only qualifies if at least 20% of the patronage dividend is paid in
money (26 U.S.C. §1388(c)(1)(B)), so bylaws commonly say "at least 20% in cash".

Rounding never loses or invents a unit: allocations are apportioned by the largest remainder method
(``rounding.largest_remainder``), so they sum to the surplus exactly, and each member's cash and
retained parts sum to that member's allocation exactly. docs/economy-formulas.md explains it for
members.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from dualpower.core.economy.rounding import exact, largest_remainder, whole


class LossPolicy(StrEnum):
    """What to do when the year closes with a loss (a negative surplus)."""

    # Refuse: the co-op decides separately (cover it from the unallocated reserve, carry it forward).
    REFUSE = "refuse"
    # Allocate: charge the loss to capital accounts by patronage, where the bylaws allow it.
    # No cash moves: the whole charge falls on capital accounts.
    ALLOCATE = "allocate"


class CashRounding(StrEnum):
    """How the cash part is rounded to whole units."""

    # Each member's cash is their allocation × cash share, rounded UP: nobody is paid less than the
    # bylaws' minimum share (the per-patron reading of 26 U.S.C. §1388(c)(1)(B)).
    MEMBER_MINIMUM = "member_minimum"
    # The co-op's total cash is surplus × cash share rounded up, then apportioned among members by
    # their allocations with the largest remainder method: the total is as close to the share as
    # whole units allow, and a member may get a unit less than their exact share.
    LARGEST_REMAINDER = "largest_remainder"


@dataclass(frozen=True)
class MemberAllocation:
    member_id: str
    patronage: int
    exact_share: Fraction  # surplus × patronage / total patronage, before rounding
    allocation: int
    cash: int
    retained: int  # credited (or, for a loss, charged) to the member's capital account


@dataclass(frozen=True)
class PatronageAllocation:
    """The allocation and every setting used, so anyone can replay it."""

    surplus: int
    total_patronage: int
    cash_share: Fraction
    rounding: CashRounding
    loss_policy: LossPolicy
    tie_order: tuple[str, ...]  # who wins a tie in remainders: the earlier in this order
    members: tuple[MemberAllocation, ...]  # in tie order
    total_cash: int
    total_retained: int

    def member(self, member_id: str) -> MemberAllocation:
        for allocation in self.members:
            if allocation.member_id == member_id:
                return allocation
        raise KeyError(member_id)


def _checked_tie_order(patronage: Mapping[str, int], tie_order: Sequence[str] | None) -> tuple[str, ...]:
    if tie_order is None:
        return tuple(patronage)
    order = tuple(tie_order)
    if len(set(order)) != len(order):
        raise ValueError("The tie order names a member more than once.")
    if set(order) != set(patronage):
        missing = sorted(set(patronage) - set(order))
        extra = sorted(set(order) - set(patronage))
        raise ValueError(
            f"The tie order must list exactly the members with patronage (missing {missing}, extra {extra})."
        )
    return order


def allocate_patronage(
    *,
    surplus: int,
    patronage: Mapping[str, int],
    cash_share: Fraction,
    rounding: CashRounding = CashRounding.MEMBER_MINIMUM,
    loss_policy: LossPolicy = LossPolicy.REFUSE,
    tie_order: Sequence[str] | None = None,
) -> PatronageAllocation:
    """Share ``surplus`` (smallest currency units) among members in proportion to ``patronage``
    (hours, minutes or purchases: any whole measure) and split each share into cash and retained.

    ``tie_order`` is the recorded order (e.g. the membership register) that decides which member
    gets a leftover unit when remainders are equal; by default, the order of ``patronage``. A loss is
    refused or charged to capital accounts per ``loss_policy``. Raises ValueError with a sentence on
    bad input."""
    surplus = whole(surplus, "The surplus")
    share = exact(cash_share, "The cash share")
    if not 0 <= share <= 1:
        raise ValueError(f"The cash share must be between 0 and 1 (got {share}).")
    if not patronage:
        raise ValueError("There are no members to allocate the surplus to.")
    for member_id, amount in patronage.items():
        if not isinstance(member_id, str) or not member_id:
            raise ValueError(f"Member ids must be non-empty text (got {member_id!r}).")
        whole(amount, f"The patronage of {member_id}")
        if amount < 0:
            raise ValueError(f"The patronage of {member_id} is negative ({amount}); it must be 0 or more.")
    order = _checked_tie_order(patronage, tie_order)
    loss_policy = LossPolicy(loss_policy)
    rounding = CashRounding(rounding)
    if surplus < 0 and loss_policy is LossPolicy.REFUSE:
        raise ValueError(
            f"The year closed with a loss of {-surplus}; the loss policy is to refuse, so decide how to "
            "cover it (reserve, carry forward) or allocate it with the 'allocate' loss policy."
        )
    total = sum(patronage[m] for m in order)
    if total == 0 and surplus != 0:
        raise ValueError(
            "No member has any patronage this year, so there is no basis to allocate the surplus of "
            f"{surplus}; keep it in the unallocated reserve."
        )
    weights = [patronage[m] for m in order]
    positions = list(range(len(order)))
    if surplus == 0:
        allocations: tuple[int, ...] = tuple(0 for _ in order)
    else:
        # A loss is apportioned by magnitude and then negated, so rounding treats both alike.
        sign = 1 if surplus > 0 else -1
        allocations = tuple(sign * a for a in largest_remainder(abs(surplus), weights, positions))
    cash = _cash_parts(surplus, allocations, share, rounding, positions)
    members = tuple(
        MemberAllocation(
            member_id=m,
            patronage=patronage[m],
            exact_share=Fraction(surplus * patronage[m], total) if total else Fraction(0),
            allocation=a,
            cash=c,
            retained=a - c,
        )
        for m, a, c in zip(order, allocations, cash, strict=True)
    )
    return PatronageAllocation(
        surplus=surplus,
        total_patronage=total,
        cash_share=share,
        rounding=rounding,
        loss_policy=loss_policy,
        tie_order=order,
        members=members,
        total_cash=sum(cash),
        total_retained=surplus - sum(cash),
    )


def _ceil(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def _cash_parts(
    surplus: int,
    allocations: tuple[int, ...],
    share: Fraction,
    rounding: CashRounding,
    positions: list[int],
) -> tuple[int, ...]:
    if surplus <= 0:
        # A loss is never paid out in cash: it is charged in full to capital accounts.
        return tuple(0 for _ in allocations)
    if rounding is CashRounding.MEMBER_MINIMUM:
        # ceil(share × a) <= a because share <= 1 and a is whole.
        return tuple(_ceil(share * a) for a in allocations)
    total_cash = _ceil(share * surplus)
    # Apportioning by the allocations keeps each cash part within its allocation: every quota
    # total_cash × a / surplus is at most a, and a part only rounds up when its quota is not whole.
    return largest_remainder(total_cash, list(allocations), positions)
