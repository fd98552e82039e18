"""Every write about shares: share cycles (a CSA season) with pickup points and a basket, shares by
household code and size, and pledging rounds that reach the season's budget (csa-admin's bidding
rounds: each share pledges what it can; if the pledges fall short, another round opens), paid
through the ledger in the community's currency or hours, or free for those who need it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.aid.services import CODE_ALPHABET
from dualpower.clean import clean_amount, clean_choice, clean_date, clean_int, clean_minutes, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.food.models.growing import Crop
from dualpower.food.models.plate import BasketLine, PickupPoint, Pledge, PledgeRound, Share, ShareCycle
from dualpower.food.services.growing_checks import quantity_of
from dualpower.ledger import selectors as ledger_selectors
from dualpower.ledger import services as ledger
from dualpower.ledger.models import Currency
from dualpower.members.models import Membership

NAME_MAX = 120
MAX_SIZE = Decimal(10)


def _amount(value: object, currency: Currency | None, *, field: str, label: str) -> int:
    """An amount in the cycle's currency (hours for a time bank), in its smallest unit."""
    if currency is None:
        return clean_amount(value, field=field, label=label, decimals=0)
    if currency.kind == Currency.Kind.TIME_BANK:
        return clean_minutes(value, field=field, label=label)
    return clean_amount(value, field=field, label=label, decimals=currency.decimals)


def _weeks(starts_on: object, ends_on: object) -> tuple[dt.date, dt.date]:
    """A cycle's first and last weeks, in order, a year apart at most."""
    start = clean_date(starts_on, field="starts_on", label=_("The first week"))
    end = clean_date(ends_on, field="ends_on", label=_("The last week"))
    if end < start:
        raise InvalidInput(_("The last week cannot come before the first."), field="ends_on")
    if (end - start).days > 366:
        raise InvalidInput(_("A share cycle lasts a year at most."), field="ends_on")
    return start, end


def _open(cycle: ShareCycle) -> ShareCycle:
    locked = ShareCycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.status == ShareCycle.Status.CLOSED:
        raise Conflict(_("This share cycle is closed."))
    return locked


@transaction.atomic
def cycle_create(
    *,
    community: Community,
    by: Membership | None,
    name: str,
    starts_on: object,
    ends_on: object,
    budget: object = 0,
    currency: Currency | None = None,
) -> ShareCycle:
    name = clean_text(name, field="name", label=_("The name"), limit=NAME_MAX, required=True)
    start, end = _weeks(starts_on, ends_on)
    if currency is not None and currency.community_id != community.pk:
        raise InvalidInput(_("Choose a currency of this community."), field="currency")
    amount = _amount(budget or 0, currency, field="budget", label=_("The budget"))
    if ShareCycle.objects.filter(community=community, name__iexact=name).exists():
        raise Conflict(_("There is already a share cycle called “%(name)s”.") % {"name": name}, field="name")
    cycle = ShareCycle.objects.create(
        community=community, name=name, starts_on=start, ends_on=end, budget=amount, currency=currency
    )
    audit_record(community=community, actor=by, action="food.cycle.create", target=cycle, summary=name)
    return cycle


@transaction.atomic
def pickup_point_add(
    *, cycle: ShareCycle, by: Membership | None, name: str, weekday: object, place: str = "", hours: str = ""
) -> PickupPoint:
    cycle = _open(cycle)
    name = clean_text(name, field="name", label=_("The name"), limit=NAME_MAX, required=True)
    place = clean_text(place, field="place", label=_("The place"), limit=NAME_MAX)
    hours = clean_text(hours, field="hours", label=_("The hours"), limit=40)
    day = clean_int(weekday, field="weekday", label=_("The day of the week"), low=0, high=6)
    if cycle.pickup_points.filter(name__iexact=name).exists():
        raise Conflict(_("There is already a pickup point called “%(name)s”.") % {"name": name}, field="name")
    point = PickupPoint.objects.create(cycle=cycle, name=name, place=place, weekday=day, hours=hours)
    audit_record(community=cycle.community, actor=by, action="food.pickup.add", target=point, summary=name)
    return point


@transaction.atomic
def basket_line_set(
    *, cycle: ShareCycle, crop: Crop, quantity: object, by: Membership | None
) -> BasketLine | None:
    """What a share of size 1 is owed of ``crop`` each week; zero takes the crop out of the basket."""
    cycle = _open(cycle)
    if crop.community_id != cycle.community_id:
        raise InvalidInput(_("Choose a crop of this community."), field="crop")
    amount = quantity_of(quantity, field="quantity", label=_("The quantity a week"))
    assert amount is not None
    if amount == 0:
        BasketLine.objects.filter(cycle=cycle, crop=crop).delete()
        line = None
    else:
        line, _made = BasketLine.objects.update_or_create(
            cycle=cycle, crop=crop, defaults={"quantity": amount}
        )
    audit_record(
        community=cycle.community,
        actor=by,
        action="food.basket.set",
        target=cycle,
        summary=f"{crop.name} {amount}",
    )
    return line


def _size(value: object) -> Decimal:
    size = quantity_of(value, field="size", label=_("The size"))
    if size is None or size <= 0 or size > MAX_SIZE or size != size.quantize(Decimal("0.01")):
        raise InvalidInput(_("The size is a number above 0 and up to 10, such as 1 or 0.5."), field="size")
    return size


def _new_code(cycle: ShareCycle) -> str:
    while True:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        code = f"{raw[:3]}-{raw[3:]}"
        if not Share.objects.filter(cycle=cycle, code=code).exists():
            return code


@transaction.atomic
def share_add(
    *,
    cycle: ShareCycle,
    pickup_point: PickupPoint,
    by: Membership | None,
    holder: Membership | None = None,
    size: object = 1,
    free: bool = False,
) -> Share:
    """A share for a household: a member taking one (``holder``), or a household without an
    account signed up by the food group (known by the code it is given)."""
    cycle = _open(cycle)
    if pickup_point.cycle_id != cycle.pk:
        raise InvalidInput(_("Choose one of this cycle's pickup points."), field="pickup_point")
    if holder is not None:
        if holder.community_id != cycle.community_id or not holder.is_active:
            raise InvalidInput(_("Choose a member of this community."), field="holder")
        if Share.objects.filter(cycle=cycle, holder=holder).exists():
            raise Conflict(_("You already have a share in this cycle."))
    share = Share.objects.create(
        cycle=cycle,
        code=_new_code(cycle),
        holder=holder,
        size=_size(size),
        pickup_point=pickup_point,
        free=free,
    )
    audit_record(
        community=cycle.community, actor=by, action="food.share.add", target=share, summary=share.code
    )
    return share


@transaction.atomic
def cycle_status_set(*, cycle: ShareCycle, status: str, by: Membership | None) -> ShareCycle:
    """Planning → pledging (opens the first round) → running → closed."""
    cycle = ShareCycle.objects.select_for_update().get(pk=cycle.pk)
    status = clean_choice(status, ShareCycle.Status, field="status")
    order = list(ShareCycle.Status.values)
    if order.index(status) <= order.index(cycle.status):
        raise Conflict(_("A share cycle only moves forward: planning, pledging, running, closed."))
    cycle.status = status
    cycle.save(update_fields=["status"])
    if status == ShareCycle.Status.PLEDGING and not cycle.rounds.exists():
        _round_open(cycle)
    if status != ShareCycle.Status.PLEDGING:
        PledgeRound.objects.filter(cycle=cycle, status=PledgeRound.Status.OPEN).update(
            status=PledgeRound.Status.SHORT, closed_at=timezone.now()
        )
    audit_record(
        community=cycle.community, actor=by, action="food.cycle.status", target=cycle, summary=status
    )
    return cycle


def _round_open(cycle: ShareCycle) -> PledgeRound:
    number = (cycle.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    return PledgeRound.objects.create(cycle=cycle, number=number, opened_at=timezone.now())


@transaction.atomic
def round_open(*, cycle: ShareCycle, by: Membership | None) -> PledgeRound:
    """Another round of pledges, after one fell short."""
    cycle = _open(cycle)
    if cycle.status != ShareCycle.Status.PLEDGING:
        raise Conflict(_("Pledging rounds open while the cycle is pledging."))
    if cycle.rounds.filter(status=PledgeRound.Status.OPEN).exists():
        raise Conflict(_("A pledging round is already open."))
    found = _round_open(cycle)
    audit_record(
        community=cycle.community, actor=by, action="food.round.open", target=found, summary=str(found.number)
    )
    return found


@transaction.atomic
def pledge_set(*, round: PledgeRound, share: Share, amount: object, by: Membership | None) -> Pledge:
    """What a share pledges this round (again: the last pledge of the round counts)."""
    locked = (
        PledgeRound.objects.select_for_update(of=("self",))
        .select_related("cycle", "cycle__currency")
        .get(pk=round.pk)
    )
    if locked.status != PledgeRound.Status.OPEN:
        raise Conflict(_("This pledging round is closed."))
    if share.cycle_id != locked.cycle_id:
        raise InvalidInput(_("That share is not in this cycle."), field="share")
    value = _amount(amount, locked.cycle.currency, field="amount", label=_("The pledge"))
    if share.free and value:
        raise InvalidInput(_("A free share pledges nothing."), field="amount")
    pledge, _made = Pledge.objects.update_or_create(round=locked, share=share, defaults={"amount": value})
    audit_record(
        community=locked.cycle.community,
        actor=by,
        action="food.pledge.set",
        target=pledge,
        summary=share.code,
    )
    return pledge


@transaction.atomic
def round_close(*, round: PledgeRound, by: Membership | None) -> PledgeRound:
    """Count the pledges: the budget is reached (the cycle runs) or the round fell short."""
    locked = PledgeRound.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=round.pk)
    if locked.status != PledgeRound.Status.OPEN:
        raise Conflict(_("This pledging round is closed."))
    total = int(Pledge.objects.filter(round=locked).aggregate(t=Sum("amount"))["t"] or 0)
    locked.total = total
    locked.closed_at = timezone.now()
    reached = total >= locked.cycle.budget
    locked.status = PledgeRound.Status.REACHED if reached else PledgeRound.Status.SHORT
    locked.save(update_fields=["total", "closed_at", "status"])
    if reached:
        ShareCycle.objects.filter(pk=locked.cycle_id).update(status=ShareCycle.Status.RUNNING)
    audit_record(
        community=locked.cycle.community,
        actor=by,
        action="food.round.close",
        target=locked,
        summary=str(locked.number),
        data={"total": total, "budget": locked.cycle.budget, "reached": reached},
    )
    return locked


@transaction.atomic
def pledge_pay(*, pledge: Pledge, by: Membership) -> Pledge:
    """The share's holder pays their pledge of a round that reached the budget, from their account
    to the community's, in the cycle's currency (hours for a time bank)."""
    locked = (
        Pledge.objects.select_for_update(of=("self",))
        .select_related("round", "round__cycle", "round__cycle__currency", "share")
        .get(pk=pledge.pk)
    )
    cycle = locked.round.cycle
    if locked.share.holder_id != by.pk:
        raise PermissionDenied(_("Only the share's holder pays its pledge."))
    if locked.round.status != PledgeRound.Status.REACHED:
        raise Conflict(_("Pledges are paid once a round reaches the budget."))
    if locked.paid_at is not None:
        raise Conflict(_("This pledge is already paid."))
    currency = cycle.currency
    if locked.amount == 0 or currency is None:
        raise Conflict(_("There is nothing to pay for this share."))
    credit = ledger_selectors.community_account(currency=currency)
    if credit is None:
        raise Conflict(_("The community has no account in %(currency)s yet.") % {"currency": currency.name})
    debit = ledger.member_account(currency=currency, membership=by)
    posted = ledger.transfer_make(
        debit=debit,
        credit=credit,
        amount=locked.amount,
        description=_("Share %(code)s, %(cycle)s") % {"code": locked.share.code, "cycle": cycle.name},
        idempotency_key=f"food-pledge-{locked.pk}",
        by=by,
    )
    locked.paid_transfer_id = posted.transfers[0].pk
    locked.paid_at = timezone.now()
    locked.save(update_fields=["paid_transfer_id", "paid_at", "updated_at"])
    audit_record(
        community=cycle.community,
        actor=by,
        action="food.pledge.pay",
        target=locked,
        summary=locked.share.code,
    )
    return locked


def week_dates(cycle: ShareCycle) -> list[dt.date]:
    """The Mondays of the weeks the cycle runs."""
    first = cycle.starts_on - dt.timedelta(days=cycle.starts_on.weekday())
    out = []
    day = first
    while day <= cycle.ends_on:
        out.append(day)
        day += dt.timedelta(days=7)
    return out


# --- changing and removing cycles and pickup points ---------------------------------------------


@transaction.atomic
def cycle_update(
    *,
    cycle: ShareCycle,
    by: Membership | None,
    name: str,
    starts_on: object,
    ends_on: object,
    budget: object = None,
) -> ShareCycle:
    """Rename a cycle, move its weeks or change its budget (its currency stays: pledges were made
    in it). A closed cycle stays as it closed."""
    cycle = _open(cycle)
    name = clean_text(name, field="name", label=_("The name"), limit=NAME_MAX, required=True)
    start, end = _weeks(starts_on, ends_on)
    if (
        ShareCycle.objects.filter(community=cycle.community_id, name__iexact=name)
        .exclude(pk=cycle.pk)
        .exists()
    ):
        raise Conflict(_("There is already a share cycle called “%(name)s”.") % {"name": name}, field="name")
    cycle.name, cycle.starts_on, cycle.ends_on = name, start, end
    if budget not in (None, ""):  # left empty, the budget stays as it is
        cycle.budget = _amount(budget, cycle.currency, field="budget", label=_("The budget"))
    cycle.save(update_fields=["name", "starts_on", "ends_on", "budget"])
    audit_record(community=cycle.community, actor=by, action="food.cycle.update", target=cycle, summary=name)
    return cycle


@transaction.atomic
def cycle_remove(*, cycle: ShareCycle, by: Membership | None) -> None:
    """Remove a cycle nobody has a share in yet (shares carry pledges, payments and baskets)."""
    cycle = ShareCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.shares.exists():
        raise Conflict(_("This cycle has shares: close it instead, so its pledges and baskets stay."))
    audit_record(
        community=cycle.community, actor=by, action="food.cycle.remove", target=cycle, summary=cycle.name
    )
    cycle.delete()


@transaction.atomic
def pickup_point_update(
    *, point: PickupPoint, by: Membership | None, name: str, weekday: object, place: str = "", hours: str = ""
) -> PickupPoint:
    cycle = _open(point.cycle)
    name = clean_text(name, field="name", label=_("The name"), limit=NAME_MAX, required=True)
    if cycle.pickup_points.filter(name__iexact=name).exclude(pk=point.pk).exists():
        raise Conflict(_("There is already a pickup point called “%(name)s”.") % {"name": name}, field="name")
    point.name = name
    point.place = clean_text(place, field="place", label=_("The place"), limit=NAME_MAX)
    point.hours = clean_text(hours, field="hours", label=_("The hours"), limit=40)
    point.weekday = clean_int(weekday, field="weekday", label=_("The day of the week"), low=0, high=6)
    point.save(update_fields=["name", "place", "hours", "weekday"])
    audit_record(community=cycle.community, actor=by, action="food.pickup.update", target=point, summary=name)
    return point


@transaction.atomic
def pickup_point_remove(*, point: PickupPoint, by: Membership | None) -> None:
    """Remove a pickup point no share picks up at."""
    cycle = _open(point.cycle)
    if point.shares.exists():
        raise Conflict(_("Shares pick up here: the point stays; change its place or hours instead."))
    audit_record(
        community=cycle.community, actor=by, action="food.pickup.remove", target=point, summary=point.name
    )
    point.delete()
