"""Food distribution's services: the priorities an assembly adopts, the week's allocation computed,
adjusted and written in one transaction (pantry stock in, food requests delivered), what shares
are owed, and the pledging rounds paid through the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dualpower.aid import services as aid_services
from dualpower.aid.models import AidRequest
from dualpower.assemblies import actions
from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.food.models.growing import Log
from dualpower.food.models.plate import Allocation, AllocationLine, PledgeRound, ShareCycle
from dualpower.food.plate_actions import SET_PRIORITIES
from dualpower.food.selectors import plate as selectors
from dualpower.food.services import growing
from dualpower.food.services import plate_allocation as allocations
from dualpower.food.services import plate_shares as shares
from dualpower.food.tests import factories_plate as f
from dualpower.inventory import selectors as inventory_selectors
from dualpower.ledger import selectors as ledger_selectors
from dualpower.ledger import services as ledger
from dualpower.ledger.tests.factories import CurrencyFactory
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db
D = Decimal


def _fresh(request: AidRequest) -> AidRequest:
    return AidRequest.objects.get(pk=request.pk)


def _decision(community: Any) -> actions.Decision:
    return actions.Decision(ref="proposal:7", community=community, assembly_id=1, proposal_id=7, title="Food")


# --- what shares are owed ----------------------------------------------------------------------


def test_committed_share_need_is_the_basket_times_the_sizes_in_the_cycle_weeks(community: Any) -> None:
    kale, beans = f.crop(community, "Kale"), f.crop(community, "Beans")
    running = f.cycle(community, basket={kale: "1.5", beans: "0.5"})
    f.share(running, size="1")
    f.share(running, size="2")
    planning = f.cycle(community, basket={kale: "9"}, status=ShareCycle.Status.PLANNING, name="Next year")
    f.share(planning, size="1")
    week = f.this_monday()
    after = running.ends_on + dt.timedelta(weeks=2)
    need = selectors.committed_share_need(community=community, weeks=[week + dt.timedelta(days=3), after])
    assert need == {(kale.pk, week): D("4.5"), (beans.pk, week): D("1.5")}


def test_no_need_without_live_cycles(community: Any) -> None:
    assert selectors.committed_share_need(community=community, weeks=[f.this_monday()]) == {}
    assert selectors.committed_share_need(community=community, weeks=[]) == {}


# --- the week's allocation ---------------------------------------------------------------------


def test_the_week_follows_the_default_priorities_urgent_aid_then_shares_then_other_aid(
    community: Any,
) -> None:
    kale = f.crop(community, "Kale")
    f.harvest(community, kale, "10")
    running = f.cycle(community, basket={kale: "3"})
    share = f.share(running)
    calm = f.food_request(community, quantity=5, urgency=1)
    urgent = f.food_request(community, quantity=4, urgency=3)
    f.food_request(community, quantity=3, category="housing")  # not food: not served

    found = allocations.allocation_compute(community=community, week=f.this_monday(), by=None)

    got = {
        (line.destination, line.aid_request_id or line.share_id): line.quantity for line in found.lines.all()
    }
    assert got == {("aid", urgent.pk): D(4), ("share", share.pk): D(3), ("aid", calm.pk): D(3)}
    first = found.lines.get(aid_request=urgent)
    assert (first.tier, first.rank, first.split) == ("urgent_aid", 1, "in_order")
    assert found.status == Allocation.Status.DRAFT


def test_the_assemblys_decision_changes_who_comes_first(community: Any) -> None:
    kale = f.crop(community, "Kale")
    f.harvest(community, kale, "6")
    request = f.food_request(community, quantity=5, urgency=3)
    params = SET_PRIORITIES.validate(community, {"first": "pantry", "second": "urgent_aid"})
    assert params == {"priorities": ["pantry", "urgent_aid"]}
    SET_PRIORITIES.run(community=community, params=params, decision=_decision(community))

    found = allocations.allocation_compute(community=community, week=f.this_monday(), by=None)

    assert [(line.destination, line.quantity) for line in found.lines.all()] == [("pantry", D(6))]
    assert not found.lines.filter(aid_request=request).exists()
    assert selectors.plate_settings(community=community).decision_ref == "proposal:7"
    assert AuditEntry.objects.filter(action="food.priorities.set", decision_ref="proposal:7").exists()


def test_the_priorities_action_is_registered_and_refuses_a_repeat(community: Any) -> None:
    assert "food.set_priorities" in {kind.key for kind in actions.kinds()}
    with pytest.raises(InvalidInput):
        SET_PRIORITIES.validate(community, {"first": "shares", "second": "shares"})
    with pytest.raises(InvalidInput):
        SET_PRIORITIES.validate(community, {"priorities": ["bribes"]})
    assert "pantry" in SET_PRIORITIES.describe(community, {"first": "pantry"}).lower()  # type: ignore[misc]


def test_writing_moves_the_pantry_stock_and_the_requests_together(community: Any) -> None:
    kale = f.crop(community, "Kale")
    f.harvest(community, kale, "7.5")
    request = f.food_request(community, quantity=2, urgency=2)
    keeper = f.in_food_group(community)
    draft = allocations.allocation_compute(community=community, week=f.this_monday(), by=keeper)

    written = allocations.allocation_write(allocation=draft, by=keeper)

    assert written.status == Allocation.Status.WRITTEN
    fresh = _fresh(request)
    assert (fresh.quantity_delivered, fresh.status) == (2, AidRequest.Status.FULFILLED)
    item = inventory_selectors.items_of(community=community).get(name="Kale")
    assert item.stock == 5  # whole units to the pantry; the half left goes to the market
    assert written.lines.get(destination="market").quantity == D("0.5")
    assert AuditEntry.objects.filter(action="aid.request.deliver", summary=request.code).exists()


def test_a_refused_delivery_leaves_the_stock_and_the_allocation_as_they_were(community: Any) -> None:
    kale = f.crop(community, "Kale")
    f.harvest(community, kale, "5")
    request = f.food_request(community, quantity=2, urgency=2)
    draft = allocations.allocation_compute(community=community, week=f.this_monday(), by=None)
    aid_services.request_cancel(request=request, by=None, reason="Moved away")

    with pytest.raises(Conflict):
        allocations.allocation_write(allocation=draft, by=None)

    assert not inventory_selectors.items_of(community=community).filter(name="Kale").exists()
    assert Allocation.objects.get(pk=draft.pk).status == Allocation.Status.DRAFT
    assert _fresh(request).quantity_delivered == 0


def test_a_harvest_is_given_out_once(community: Any) -> None:
    kale = f.crop(community, "Kale")
    f.harvest(community, kale, "3")
    first = allocations.allocation_compute(community=community, week=f.this_monday(), by=None)
    allocations.allocation_write(allocation=first, by=None)
    again = allocations.allocation_compute(community=community, week=f.this_monday(), by=None)
    assert not again.lines.exists()
    with pytest.raises(Conflict):
        allocations.allocation_write(allocation=first, by=None)


def test_rescued_food_goes_to_requests_and_the_pantry_by_weight(community: Any) -> None:
    growing.log_create(
        community=community,
        kind=Log.Kind.RESCUE,
        by=None,
        quantity=D("4"),
        unit="kg",
        source="Corner shop",
        at=f.noon(f.this_monday()),
    )
    request = f.food_request(community, quantity=1)
    draft = allocations.allocation_compute(community=community, week=f.this_monday(), by=None)
    allocations.allocation_write(allocation=draft, by=None)
    assert _fresh(request).quantity_delivered == 1
    assert inventory_selectors.items_of(community=community).get(name="Rescued food").stock == 3


def test_adjusting_keeps_within_the_harvest_and_whole_portions(community: Any) -> None:
    kale = f.crop(community, "Kale")
    f.harvest(community, kale, "4")
    request = f.food_request(community, quantity=3)
    draft = allocations.allocation_compute(community=community, week=f.this_monday(), by=None)
    aid_line = draft.lines.get(aid_request=request)
    pantry_line = draft.lines.get(destination="pantry")
    assert (aid_line.quantity, pantry_line.quantity) == (D(3), D(1))

    with pytest.raises(InvalidInput):  # 3 + 2 > 4 harvested
        allocations.allocation_adjust(allocation=draft, quantities={pantry_line.pk: "2"}, by=None)
    with pytest.raises(InvalidInput):  # a request takes whole portions
        allocations.allocation_adjust(allocation=draft, quantities={aid_line.pk: "1.5"}, by=None)
    with pytest.raises(InvalidInput):
        allocations.allocation_adjust(allocation=draft, quantities={aid_line.pk: "-1"}, by=None)
    assert AllocationLine.objects.get(pk=aid_line.pk).quantity == D(3)

    allocations.allocation_adjust(
        allocation=draft, quantities={aid_line.pk: "1", pantry_line.pk: "0"}, by=None
    )
    line = AllocationLine.objects.get(pk=aid_line.pk)
    assert (line.quantity, line.computed_quantity, line.adjusted) == (D(1), D(3), True)
    assert not AllocationLine.objects.filter(pk=pantry_line.pk).exists()
    allocations.allocation_write(allocation=draft, by=None)
    assert _fresh(request).quantity_delivered == 1


def test_a_written_share_line_fills_the_basket_and_is_not_owed_again(community: Any) -> None:
    kale = f.crop(community, "Kale")
    f.harvest(community, kale, "1")
    running = f.cycle(community, basket={kale: "2"})
    holder = make_membership(community)
    share = f.share(running, holder=holder)
    draft = allocations.allocation_compute(community=community, week=f.this_monday(), by=None)
    allocations.allocation_write(allocation=draft, by=None)
    assert [
        (line.crop_id, line.quantity) for line in selectors.basket_of(share=share, week=f.this_monday())
    ] == [(kale.pk, D(1))]
    assert selectors.shares_owed(community=community, week=f.this_monday()) == [(share, kale.pk, D("1.000"))]
    packing = selectors.packing_list(cycle=running, week=f.this_monday())
    assert [(r["share__pickup_point__name"], r["crop__name"], r["total"], r["shares"]) for r in packing] == [
        ("Church hall", "Kale", D(1), 1)
    ]


def test_crops_counted_in_bunches_go_to_baskets_whole(community: Any) -> None:
    kale = f.crop(community, "Kale", unit="bunch")
    f.harvest(community, kale, "3")
    running = f.cycle(community, basket={kale: "1"})
    half, whole = f.share(running, size="0.5"), f.share(running, size="1")
    draft = allocations.allocation_compute(community=community, week=f.this_monday(), by=None)
    given = {line.share_id: line.quantity for line in draft.lines.filter(destination="share")}
    assert given == {half.pk: D(1), whole.pk: D(1)}  # half a bunch owed is one bunch
    line = draft.lines.get(share=half)
    with pytest.raises(InvalidInput):
        allocations.allocation_adjust(allocation=draft, quantities={line.pk: "0.5"}, by=None)


# --- aid deliveries ----------------------------------------------------------------------------


def test_a_delivery_beyond_what_is_open_is_refused(community: Any) -> None:
    request = f.food_request(community, quantity=2)
    with pytest.raises(Conflict):
        aid_services.request_deliver(request=request, quantity=3, by=None)
    with pytest.raises(InvalidInput):
        aid_services.request_deliver(request=request, quantity=0, by=None)
    aid_services.request_deliver(request=request, quantity=1, by=None)
    fresh = _fresh(request)
    assert (fresh.quantity_delivered, fresh.quantity_committed, fresh.status) == (
        1,
        1,
        AidRequest.Status.OPEN,
    )


# --- shares and pledging -----------------------------------------------------------------------


def _currency_world(community: Any) -> tuple[Any, Membership, Membership]:
    currency = CurrencyFactory.create(community=community)
    a, b = make_membership(community, name="Ana"), make_membership(community, name="Ben")
    return currency, a, b


def test_a_round_short_of_the_budget_opens_another_and_the_next_reaches_it(community: Any) -> None:
    currency, a, b = _currency_world(community)
    found = f.cycle(community, currency=currency, budget="100", status=ShareCycle.Status.PLEDGING)
    share_a, share_b = f.share(found, holder=a), f.share(found, holder=b)
    free = f.share(found, free=True)
    first = selectors.open_round(cycle=found)
    assert first is not None
    shares.pledge_set(round=first, share=share_a, amount="40", by=a)
    shares.pledge_set(round=first, share=share_b, amount="30", by=b)
    with pytest.raises(InvalidInput):
        shares.pledge_set(round=first, share=free, amount="10", by=None)
    closed = shares.round_close(round=first, by=None)
    assert (closed.status, closed.total) == (PledgeRound.Status.SHORT, 7_000)

    second = shares.round_open(cycle=found, by=None)
    shares.pledge_set(round=second, share=share_a, amount="60", by=a)
    shares.pledge_set(round=second, share=share_b, amount="45.50", by=b)
    closed = shares.round_close(round=second, by=None)
    assert (closed.status, closed.total) == (PledgeRound.Status.REACHED, 10_550)
    assert ShareCycle.objects.get(pk=found.pk).status == ShareCycle.Status.RUNNING


def test_a_pledge_is_paid_once_through_the_ledger_by_its_holder(community: Any) -> None:
    currency, a, b = _currency_world(community)
    found = f.cycle(community, currency=currency, budget="10", status=ShareCycle.Status.PLEDGING)
    share_a = f.share(found, holder=a)
    current = selectors.open_round(cycle=found)
    assert current is not None
    pledge = shares.pledge_set(round=current, share=share_a, amount="12.50", by=a)
    with pytest.raises(Conflict):  # not before the round reaches the budget
        shares.pledge_pay(pledge=pledge, by=a)
    shares.round_close(round=current, by=None)
    with pytest.raises(PermissionDenied):
        shares.pledge_pay(pledge=pledge, by=b)

    paid = shares.pledge_pay(pledge=pledge, by=a)

    assert paid.paid_at is not None and paid.paid_transfer_id
    account = ledger.member_account(currency=currency, membership=a)
    assert account.balance == -1_250
    community_account = ledger_selectors.community_account(currency=currency)
    assert community_account is not None and community_account.balance == 1_250
    with pytest.raises(Conflict):
        shares.pledge_pay(pledge=paid, by=a)


def test_a_member_holds_one_share_a_cycle_and_sizes_are_checked(community: Any) -> None:
    found = f.cycle(community)
    holder = make_membership(community)
    f.share(found, holder=holder)
    with pytest.raises(Conflict):
        f.share(found, holder=holder)
    for bad in ("0", "11", "abc", "0.333"):
        with pytest.raises(InvalidInput):
            f.share(found, size=bad)


def test_a_cycle_only_moves_forward_and_refuses_bad_dates(community: Any) -> None:
    found = f.cycle(community)
    with pytest.raises(Conflict):
        shares.cycle_status_set(cycle=found, status=ShareCycle.Status.PLANNING, by=None)
    with pytest.raises(InvalidInput):
        shares.cycle_create(
            community=community, by=None, name="Back", starts_on="2026-06-01", ends_on="2026-05-01"
        )
    with pytest.raises(InvalidInput):
        shares.cycle_create(community=community, by=None, name="Bad", starts_on="June", ends_on="2026-05-01")
