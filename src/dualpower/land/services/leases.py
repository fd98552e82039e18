"""Ground leases: starting one (with its resale formula), ending it, the resale price it gives."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.clean import clean_int
from dualpower.community.services import audit_record
from dualpower.core.economy import ResaleBreakdown
from dualpower.errors import Conflict, InvalidInput, NotFound
from dualpower.land import resale
from dualpower.land.models import GroundLease, Home
from dualpower.members.models import Membership


@transaction.atomic
def lease_create(
    *,
    home: Home,
    leaseholder: Membership,
    start: date,
    monthly_fee: int,
    formula: str,
    formula_params: Mapping[str, object],  # the formula's parameters as JSON, checked by resale.clean_params
    term_years: int = 99,
    by: Membership | None,
) -> GroundLease:
    """Sign a ground lease for a home: the home becomes leased."""
    home = Home.objects.select_for_update(of=("self",)).select_related("community").get(pk=home.pk)
    if leaseholder.community_id != home.community_id or not leaseholder.is_active:
        raise InvalidInput(_("The leaseholder must be a member of this community."), field="leaseholder")
    if not isinstance(start, date):
        raise InvalidInput(_("The start must be a date."), field="start")
    monthly_fee = clean_int(
        monthly_fee, field="monthly_fee", label=_("The monthly fee (cents)"), low=0, high=10**9
    )
    term_years = clean_int(term_years, field="term_years", label=_("The term"), low=1, high=999)
    params = resale.clean_params(formula, formula_params)
    if home.leases.filter(status=GroundLease.Status.ACTIVE).exists():
        raise Conflict(_("%(home)s already has an active lease; end it first.") % {"home": home.label})
    if home.status == Home.Status.ALLOCATED:
        # The published draw decided who this home is for: the lease goes to that household.
        allocated = (
            home.allocations.filter(status="adopted").select_related("chosen").order_by("-adopted_at").first()
        )
        if (
            allocated is not None
            and allocated.chosen is not None
            and allocated.chosen.membership_id != leaseholder.pk
        ):
            raise Conflict(
                _("%(home)s was allocated to household %(id)s; its lease is for that household.")
                % {"home": home.label, "id": allocated.chosen.public_id}
            )
    lease = GroundLease.objects.create(
        home=home,
        leaseholder=leaseholder,
        start=start,
        term_years=term_years,
        monthly_fee=monthly_fee,
        formula=formula,
        formula_params=params,
    )
    home.status = Home.Status.LEASED
    home.save(update_fields=["status"])
    audit_record(
        community=home.community,
        actor=by,
        action="land.lease_create",
        target=lease,
        summary=home.label,
        data={"home": home.pk, "leaseholder": leaseholder.pk, "monthly_fee": monthly_fee, "formula": formula},
    )
    return lease


@transaction.atomic
def lease_end(*, lease: GroundLease, status: str, ended_on: date, by: Membership | None) -> GroundLease:
    """End a lease (the household sold or moved) or terminate it; the home becomes vacant."""
    lease = (
        GroundLease.objects.select_for_update(of=("self",)).select_related("home__community").get(pk=lease.pk)
    )
    if lease.status != GroundLease.Status.ACTIVE:
        raise Conflict(_("This lease is no longer active."))
    if status not in (GroundLease.Status.ENDED, GroundLease.Status.TERMINATED):
        raise InvalidInput(_("A lease is ended or terminated."), field="status")
    if ended_on < lease.start:
        raise InvalidInput(_("A lease cannot end before it starts."), field="ended_on")
    lease.status, lease.ended_on = status, ended_on
    lease.save(update_fields=["status", "ended_on"])
    Home.objects.filter(pk=lease.home_id).update(status=Home.Status.VACANT)
    audit_record(
        community=lease.home.community,
        actor=by,
        action=f"land.lease_{status}",
        target=lease,
        summary=lease.home.label,
    )
    return lease


def lease_breakdown(
    *,
    lease: GroundLease,
    current_appraisal: int | None = None,
    resale_date: date | None = None,
    resale_year: int | None = None,
) -> ResaleBreakdown:
    """The resale price under the lease's recorded formula (read-only; nothing is written)."""
    if lease is None:
        raise NotFound(_("No such lease."))
    return resale.breakdown_for(
        lease.formula,
        lease.formula_params,
        current_appraisal=current_appraisal,
        resale_date=resale_date,
        resale_year=resale_year,
    )
