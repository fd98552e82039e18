"""Demo data: a worker co-op (a bakery, with the demo member on its board) and a housing co-op,
each with members, subscribed capital, and the bakery's adopted patronage for last year.
Built through the services; deterministic."""

from __future__ import annotations

from dualpower.coops import services
from dualpower.coops.models import Cooperative, CoopMember
from dualpower.demo import Demo
from dualpower.members.models import Membership


def _join(coop: Cooperative, membership: Membership, board: Membership) -> CoopMember:
    place = services.coop_join(coop=coop, membership=membership)
    return services.coop_request_approve(place=place, by=board)


def _subscribe(coop: Cooperative, place: CoopMember, shares: int, board: Membership) -> None:
    op = services.capital_operation_create(
        coop=coop, kind="subscription", member=place, shares=shares, by=board
    )
    services.capital_operation_approve(operation=op, by=board)
    services.capital_operation_complete(operation=op, by=board)


def load_coops(demo: Demo) -> None:
    people = [
        m
        for m in demo.members
        if m.role != Membership.Role.OBSERVER
        and m.is_active
        and m.pk not in (demo.member.pk, demo.coordinator.pk)
    ]
    board = demo.member
    bakery = services.coop_create(
        community=demo.community,
        name="Riverside Bakers",
        kind="worker",
        purpose="A worker-owned bakery: bread for the neighbourhood, fair work for its bakers.",
        share_price=5_000,
        min_shares=2,
        max_shares=40,
        min_cash_percent=20,
        founder=board,
        by=demo.coordinator,
    )
    services.coop_update(coop=bakery, by=board, status="active")
    places = [CoopMember.objects.get(coop=bakery, membership=board)]
    places += [_join(bakery, m, board) for m in people[:4]]
    for place, shares in zip(places, (10, 6, 4, 4, 2), strict=True):
        _subscribe(bakery, place, shares, board)
    hours = {place.pk: h for place, h in zip(places, (1640, 1510, 980, 720, 400), strict=True)}
    allocation = services.patronage_propose(
        coop=bakery, year=2025, surplus=1_845_033, patronage=hours, cash_percent=30, measure="hours", by=board
    )
    services.patronage_adopt(allocation=allocation, by=board)
    # A draft waiting for the board, so the demo member has something to decide.
    services.capital_operation_create(
        coop=bakery, kind="subscription", member=places[3], shares=2, by=places[3].membership
    )
    services.coop_join(coop=bakery, membership=people[4])

    housing_board = people[5]
    housing = services.coop_create(
        community=demo.community,
        name="Los Pinos Housing Co-op",
        kind="housing",
        purpose="Twelve flats owned by the people who live in them.",
        share_price=25_000,
        min_shares=1,
        max_shares=4,
        founder=housing_board,
        by=demo.coordinator,
    )
    services.coop_update(coop=housing, by=housing_board, status="active")
    first = CoopMember.objects.get(coop=housing, membership=housing_board)
    _subscribe(housing, first, 2, housing_board)
    for membership in people[6:11]:
        _subscribe(housing, _join(housing, membership, housing_board), 1 + membership.pk % 2, housing_board)
    demo.say("  co-ops: Riverside Bakers (worker) and Los Pinos Housing Co-op, with capital and patronage")
