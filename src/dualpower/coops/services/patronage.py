"""Patronage: sharing a year's surplus by each member's hours or purchases.

The arithmetic is core.economy.allocate_patronage (largest remainder, never loses or invents a
cent). Here the board proposes an allocation for a year (it is stored, line by line, with every
setting), members read it, and adopting it writes each member's retained part to the capital
register; the cash part is paid outside dualpower (or through the ledger).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.clean import clean_int
from dualpower.community.services import audit_record
from dualpower.coops.models import CapitalEntry, Cooperative, CoopMember, PatronageAllocation, PatronageLine
from dualpower.core.economy import CashRounding, allocate_patronage
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.models import Membership

MEASURES = ("hours", "purchases")
SURPLUS_MAX = 10**13  # a hundred billion in the smallest unit: a sanity bound
YEAR_RANGE = (1900, 2200)


@transaction.atomic
def patronage_propose(
    *,
    coop: Cooperative,
    year: int,
    surplus: int,
    patronage: Mapping[int, int],
    cash_percent: int,
    measure: str = "hours",
    by: Membership,
) -> PatronageAllocation:
    """Compute and store the allocation of ``surplus`` (cents) by ``patronage`` (coop member id →
    hours or purchases) with ``cash_percent`` of each allocation paid in cash."""
    coop = Cooperative.objects.select_for_update(of=("self",)).select_related("community").get(pk=coop.pk)
    year = clean_int(year, field="year", label=_("The year"), low=YEAR_RANGE[0], high=YEAR_RANGE[1])
    surplus = clean_int(surplus, field="surplus", label=_("The surplus"), low=1, high=SURPLUS_MAX)
    cash_percent = clean_int(cash_percent, field="cash_percent", label=_("The cash share"), low=0, high=100)
    if cash_percent < coop.min_cash_percent:
        raise InvalidInput(
            _("The bylaws pay at least %(min)s%% of patronage in cash.") % {"min": coop.min_cash_percent},
            field="cash_percent",
        )
    if measure not in MEASURES:
        raise InvalidInput(_("Patronage is measured in hours or purchases."), field="measure")
    if PatronageAllocation.objects.filter(
        coop=coop, year=year, status=PatronageAllocation.Status.ADOPTED
    ).exists():
        raise Conflict(_("The allocation for %(year)s has already been adopted.") % {"year": year})
    if not isinstance(patronage, Mapping) or not patronage:
        raise InvalidInput(_("Give each member's patronage for the year."), field="patronage")
    if any(isinstance(m, bool) or not isinstance(m, int) for m in patronage):
        raise InvalidInput(_("Patronage is given by the member's id in the co-op."), field="patronage")
    members = {
        p.pk: p
        for p in CoopMember.objects.filter(coop=coop, pk__in=list(patronage)).select_related("membership")
    }
    for member_id, amount in patronage.items():
        if member_id not in members or members[member_id].status == CoopMember.Status.PENDING:
            raise InvalidInput(
                _("Patronage is given only for members of this co-op (id %(id)s is not one).")
                % {"id": member_id},
                field="patronage",
            )
        clean_int(amount, field="patronage", label=_("Patronage"), low=0, high=SURPLUS_MAX)
    # The register's order (who joined first) breaks ties in remainders: recorded, so replayable.
    order = sorted(patronage, key=lambda m: (members[m].joined_at or members[m].requested_at, m))
    try:
        result = allocate_patronage(
            surplus=surplus,
            patronage={str(m): patronage[m] for m in order},
            cash_share=Fraction(cash_percent, 100),
            rounding=CashRounding.MEMBER_MINIMUM,
        )
    except ValueError as exc:
        raise InvalidInput(str(exc), field="patronage") from None
    allocation = PatronageAllocation.objects.create(
        coop=coop,
        year=year,
        surplus=surplus,
        measure=measure,
        cash_percent=cash_percent,
        total_cash=result.total_cash,
        total_retained=result.total_retained,
        created_by=by,
    )
    PatronageLine.objects.bulk_create(
        [
            PatronageLine(
                allocation=allocation,
                member_id=int(line.member_id),
                patronage=line.patronage,
                amount=line.allocation,
                cash=line.cash,
                retained=line.retained,
            )
            for line in result.members
        ]
    )
    audit_record(
        community=coop.community,
        actor=by,
        action="coop.patronage_propose",
        target=allocation,
        summary=f"{coop.name} {year}: {surplus}",
        data={"year": year, "surplus": surplus, "cash_percent": cash_percent, "measure": measure},
    )
    return allocation


@transaction.atomic
def patronage_adopt(
    *, allocation: PatronageAllocation, by: Membership, decision_ref: str = ""
) -> PatronageAllocation:
    """Adopt a proposed allocation: each retained part becomes a line in the capital register."""
    Cooperative.objects.select_for_update().filter(pk=allocation.coop_id).first()
    allocation = PatronageAllocation.objects.select_related("coop__community").get(pk=allocation.pk)
    if allocation.status != PatronageAllocation.Status.PROPOSED:
        raise Conflict(_("This allocation has already been adopted."))
    allocation.status, allocation.adopted_at = PatronageAllocation.Status.ADOPTED, timezone.now()
    try:
        with transaction.atomic():
            allocation.save(update_fields=["status", "adopted_at"])
    except IntegrityError:
        raise Conflict(
            _("Another allocation for %(year)s has already been adopted.") % {"year": allocation.year}
        ) from None
    CapitalEntry.objects.bulk_create(
        [
            CapitalEntry(
                coop=allocation.coop,
                member_id=line.member_id,
                kind=CapitalEntry.Kind.PATRONAGE,
                shares=0,
                amount=line.retained,
                allocation=allocation,
            )
            for line in allocation.lines.all()
            if line.retained
        ]
    )
    audit_record(
        community=allocation.coop.community,
        actor=by,
        action="coop.patronage_adopt",
        target=allocation,
        summary=f"{allocation.coop.name} {allocation.year}",
        data={"total_cash": allocation.total_cash, "total_retained": allocation.total_retained},
        decision_ref=decision_ref,
    )
    return allocation
