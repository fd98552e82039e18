"""How many database queries the dashboard and every list page cost, and that the count does not
grow with the number of rows (no N+1).

Each case renders its page as a coordinator with a few rows, adds ``MORE`` rows through the
factories or the services, and renders it again: the second count must not exceed the first, and
both stay under the page's ceiling (``max_queries``, measured when the case was written, with a
little headroom so that an unrelated extra query does not break it; a page that needs more should
raise its ceiling on purpose). A page whose count grows today is marked ``xfail(strict=True)``
with the growth measured, so that fixing it shows up here (issue 21).

To add a page: add a ``Case`` with its address, a ``grow(world, n)`` that adds n rows the page
lists, and its ceiling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dualpower.activities.tests.factories import SeriesFactory
from dualpower.aid.tests.factories import AidOfferFactory, AidRequestFactory
from dualpower.assemblies.models import Assembly
from dualpower.assemblies.tests.factories import AssemblyFactory, ProposalFactory, general
from dualpower.budgeting import services as budgeting
from dualpower.budgeting.models import Phase
from dualpower.budgeting.tests.factories import EUR, CycleFactory
from dualpower.commons.tests.factories import make_guide, make_received
from dualpower.community.models import Community
from dualpower.coops.tests.factories import CooperativeFactory, CoopMemberFactory
from dualpower.groups.tests.factories import GroupMembershipFactory, WorkingGroupFactory, food
from dualpower.inventory import services as inventory
from dualpower.land.tests.factories import GroundLeaseFactory, HomeFactory, WaitlistApplicationFactory
from dualpower.ledger import services as ledger
from dualpower.ledger.models import Account, Currency
from dualpower.ledger.tests.factories import AccountFactory, CurrencyFactory
from dualpower.meetings.tests.factories import MeetingFactory
from dualpower.members.models import Membership
from dualpower.members.tests.factories import (
    ApplicationFactory,
    CommunityFactory,
    MembershipFactory,
    membership_of,
)
from dualpower.notifications.services import notification_send
from dualpower.panels.tests.factories import PanelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _panels_worked_out_each_time(settings: Any) -> None:
    """The dashboard keeps its panels in memory until the community changes
    (community.dashboard.rendered_panels): counted here is the work of the panels themselves."""
    settings.DP_DASHBOARD_CACHE_SECONDS = 0


FEW = 2
MORE = 20
N_PLUS_ONE = "N+1: {} — issue 21"


@dataclass
class World:
    """What a case builds on: the community, the coordinator signed in, and things made once."""

    community: Community
    people: dict[str, Any]
    made: dict[str, Any] = field(default_factory=dict)
    counter: int = 0

    @property
    def coordinator(self) -> Membership:
        return membership_of(self.people["coordinator"], self.community)

    def next(self) -> int:
        self.counter += 1
        return self.counter

    def once(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self.made:
            self.made[key] = build()
        return self.made[key]

    # Things several cases list rows of.

    def cycle(self, phase: str = Phase.IDEAS) -> Any:
        return self.once(f"cycle-{phase}", lambda: CycleFactory.create(community=self.community, phase=phase))

    def currency(self) -> Currency:
        return self.once("currency", lambda: CurrencyFactory.create(community=self.community))

    def coop(self) -> Any:
        return self.once(
            "coop",
            lambda: CooperativeFactory.create(
                community=self.community, name="Bakers", founder=self.coordinator
            ),
        )

    def my_account(self) -> Account:
        return self.once(
            "account", lambda: AccountFactory.create(currency=self.currency(), membership=self.coordinator)
        )


# How each page's rows grow.


def _members(w: World, n: int) -> None:
    for _ in range(n):
        MembershipFactory.create(community=w.community)


def _applications(w: World, n: int) -> None:
    for _ in range(n):
        ApplicationFactory.create(community=w.community)


def _groups(w: World, n: int) -> None:
    for _ in range(n):
        group = WorkingGroupFactory.create(community=w.community)
        GroupMembershipFactory.create(group=group, convener=True)


def _group_members(w: World, n: int) -> None:
    for _ in range(n):
        GroupMembershipFactory.create(group=food(w.community))


def _audited(w: World, n: int) -> None:
    for _ in range(n):
        WorkingGroupFactory.create(community=w.community)


def _assemblies(w: World, n: int) -> None:
    for _ in range(n):
        AssemblyFactory.create(community=w.community)


def _councils(w: World, n: int) -> None:
    for _ in range(n):
        AssemblyFactory.create(community=w.community, kind=Assembly.Kind.SPOKESCOUNCIL)


def _proposals(w: World, n: int) -> None:
    for i in range(n):
        ProposalFactory.create(assembly=general(w.community), title=f"Proposal {w.next()}", open=i % 2 == 0)


def _guides(w: World, n: int) -> None:
    for _ in range(n):
        i = w.next()
        make_guide(w.community, w.coordinator, title=f"Guide {i}")
        make_received(w.community, i)


def _meetings(w: World, n: int) -> None:
    for _ in range(n):
        MeetingFactory.create(community=w.community, title=f"Meeting {w.next()}")


def _panels(w: World, n: int) -> None:
    for _ in range(n):
        PanelFactory.create(community=w.community, title=f"Panel {w.next()}")


def _cycles(w: World, n: int) -> None:
    for _ in range(n):
        CycleFactory.create(community=w.community, title=f"Budget {w.next()}")


def _ideas(w: World, n: int) -> None:
    cycle = w.cycle()
    for _ in range(n):
        by = MembershipFactory.create(community=w.community)
        budgeting.idea_submit(cycle=cycle, by=by, title=f"Idea {w.next()}")


def _budget_proposals(w: World, n: int) -> None:
    cycle = w.cycle()
    for _ in range(n):
        budgeting.proposal_create(cycle=cycle, by=None, title=f"Project {w.next()}", cost=1_000 * EUR)


def _requests(w: World, n: int) -> None:
    for _ in range(n):
        AidRequestFactory.create(community=w.community)


def _offers(w: World, n: int) -> None:
    for _ in range(n):
        AidOfferFactory.create(community=w.community)


def _series(w: World, n: int) -> None:
    for _ in range(n):
        SeriesFactory.create(community=w.community, title=f"Activity {w.next()}", by=w.coordinator)


def _trust_roles(w: World, n: int) -> None:
    from dualpower.activities import services as activities

    for _ in range(n):
        activities.trust_role_create(community=w.community, name=f"Role {w.next()}", by=w.coordinator)


def _items(w: World, n: int) -> None:
    for _ in range(n):
        inventory.item_create(community=w.community, by=w.coordinator, name=f"Item {w.next()}", unit="boxes")


def _currencies(w: World, n: int) -> None:
    for _ in range(n):
        k = w.next()
        CurrencyFactory.create(community=w.community, name=f"Currency {k}", symbol=f"C{k}")


def _accounts(w: World, n: int) -> None:
    for _ in range(n):
        AccountFactory.create(currency=w.currency())


def _transfers(w: World, n: int) -> None:
    mine = w.my_account()
    for _ in range(n):
        payer = AccountFactory.create(currency=w.currency())
        ledger.transfer_make(debit=payer, credit=mine, amount=100, description="Bread", notify=False)


def _invoices(w: World, n: int) -> None:
    mine = w.my_account()
    for _ in range(n):
        payer = AccountFactory.create(currency=w.currency())
        ledger.invoice_create(payee=mine, payer=payer, amount=100, description="Bread")


def _coops(w: World, n: int) -> None:
    for _ in range(n):
        CooperativeFactory.create(community=w.community, name=f"Co-op {w.next()}")


def _coop_members(w: World, n: int) -> None:
    for _ in range(n):
        CoopMemberFactory.create(coop=w.coop())


def _homes(w: World, n: int) -> None:
    for _ in range(n):
        HomeFactory.create(community=w.community, label=f"Home {w.next()}")


def _leases(w: World, n: int) -> None:
    for _ in range(n):
        home = HomeFactory.create(community=w.community, label=f"Home {w.next()}")
        GroundLeaseFactory.create(home=home)


def _allocations(w: World, n: int) -> None:
    from dualpower.land import services as land

    for _ in range(n):
        land.allocation_announce(
            home=HomeFactory.create(community=w.community, label=f"Home {w.next()}"), by=w.coordinator
        )


def _coop_requests(w: World, n: int) -> None:
    from dualpower.coops import services as coops

    for _ in range(n):
        coops.coop_join(coop=w.coop(), membership=MembershipFactory.create(community=w.community))


def _waitlist(w: World, n: int) -> None:
    for _ in range(n):
        WaitlistApplicationFactory.create(community=w.community)


def _notifications(w: World, n: int) -> None:
    for _ in range(n):
        notification_send(
            recipients=[w.people["coordinator"]],
            community=w.community,
            kind="test",
            title=f"Note {w.next()}",
            email=False,
        )


def _communities(w: World, n: int) -> None:
    for _ in range(n):
        CommunityFactory.create()


def _everything(w: World, n: int) -> None:
    """The dashboard gathers every app's widgets: grow what they show."""
    _members(w, n)
    _proposals(w, n)
    _meetings(w, n)
    _requests(w, n)
    _series(w, n)
    _panels(w, n)
    _items(w, n)
    _notifications(w, n)


@dataclass(frozen=True)
class Case:
    id: str
    url: Callable[[World], str]
    grow: Callable[[World, int], None]
    max_queries: int
    n_plus_one: str = ""  # what grows, when the page has an N+1 today


def _c(path: str) -> Callable[[World], str]:
    return lambda w: f"/c/{w.community.slug}/{path}"


def _api(path: str) -> Callable[[World], str]:
    return lambda w: f"/api/v1/communities/{w.community.slug}/{path}".rstrip("/")


CASES = [
    # Pages (each ceiling one lower since the community and the visitor's membership are read in
    # one query: community.selectors.community_for_visitor)
    Case("dashboard", _c(""), _everything, 35),
    Case("members", _c("members/"), _members, 11),
    Case("applications", _c("applications/"), _applications, 11),
    Case("audit-log", _c("audit/"), _audited, 11),
    Case("groups", _c("groups/"), _groups, 11),
    Case("group-members", _c("groups/food/"), _group_members, 17),
    Case("assemblies", _c("assemblies/"), _assemblies, 11),
    Case("proposals", _c("assemblies/general/"), _proposals, 18),
    Case("meetings", _c("meetings/"), _meetings, 14),
    Case("delegates", _c("delegates/"), _councils, 14),
    Case("panels", _c("panels/"), _panels, 10),
    Case("budget-cycles", _c("budgets/"), _cycles, 10),
    Case("budget-ideas", lambda w: _c(f"budgets/{w.cycle().slug}/ideas/")(w), _ideas, 12),
    Case("budget-projects", lambda w: _c(f"budgets/{w.cycle().slug}/proposals/")(w), _budget_proposals, 13),
    Case("aid-requests", _c("aid/"), _requests, 15),
    Case("aid-offers", _c("aid/offers/"), _offers, 12),
    Case("activities", _c("activities/"), _series, 7),
    Case("activity-roles", _c("activities/roles/"), _trust_roles, 14),
    Case("inventory", _c("inventory/"), _items, 10),
    Case("money", _c("money/"), _currencies, 12),
    Case("ledger-accounts", lambda w: _c(f"money/{w.currency().code}/")(w), _accounts, 16),
    Case("ledger-statement", lambda w: _c(f"money/accounts/{w.my_account().pk}/")(w), _transfers, 9),
    Case("invoices", _c("money/invoices/"), _invoices, 11),
    Case("coops", _c("coops/"), _coops, 11),
    Case("coop", lambda w: _c(f"coops/{w.coop().slug}/")(w), _coop_members, 9),
    Case("homes", _c("land/"), _homes, 6),
    Case("leases", _c("land/leases/"), _leases, 10),
    Case("waitlist", _c("land/waitlist/"), _waitlist, 12),
    Case("allocations", _c("land/allocations/"), _allocations, 10),
    Case("coop-requests", lambda w: _c(f"coops/{w.coop().slug}/")(w), _coop_requests, 9),
    Case("notifications", lambda w: "/me/notifications/", _notifications, 11),
    Case("commons", _c("commons/"), _guides, 10),
    # The main API lists
    Case("api-communities", lambda w: "/api/v1/communities", _communities, 9),
    Case("api-members", _api("members"), _members, 11),
    Case("api-applications", _api("applications"), _applications, 11),
    Case("api-audit", _api("audit"), _audited, 11),
    Case("api-groups", _api("groups"), _groups, 11),
    Case("api-assemblies", _api("assemblies"), _assemblies, 11),
    Case("api-proposals", _api("assemblies/general/proposals"), _proposals, 11),
    Case("api-meetings", _api("meetings"), _meetings, 11),
    Case("api-panels", _api("panels"), _panels, 10),
    Case("api-budgets", _api("budgets"), _cycles, 12),
    Case("api-budget-ideas", lambda w: _api(f"budgets/{w.cycle().slug}/ideas")(w), _ideas, 12),
    Case(
        "api-budget-projects", lambda w: _api(f"budgets/{w.cycle().slug}/proposals")(w), _budget_proposals, 12
    ),
    Case("api-aid-requests", _api("aid/requests"), _requests, 14),
    Case("api-aid-offers", _api("aid/offers"), _offers, 12),
    Case("api-activities", _api("activities"), _series, 8),
    Case("api-activity-series", _api("activities/series"), _series, 8),
    Case("api-inventory", _api("inventory"), _items, 11),
    Case("api-currencies", _api("money/currencies"), _currencies, 11),
    Case("api-accounts", _api("money/accounts"), _accounts, 11),
    Case("api-statement", lambda w: _api(f"money/accounts/{w.my_account().pk}/statement")(w), _transfers, 9),
    Case("api-invoices", _api("money/invoices"), _invoices, 11),
    Case("api-coops", _api("coops"), _coops, 11),
    Case("api-homes", _api("land/homes"), _homes, 10),
    Case("api-leases", _api("land/leases"), _leases, 11),
    Case("api-waitlist", _api("land/waitlist"), _waitlist, 11),
    Case("api-notifications", lambda w: "/api/v1/me/notifications", _notifications, 9),
]


def _directory_peers(world: World, n: int) -> None:
    """Peer communities with directory profiles, each announcing a community of its own."""
    from django.utils import timezone

    from dualpower.federation.models import AnnouncedLink, Peer, RemoteActor, RemoteProfile

    for _ in range(n):
        k = world.next()
        actor = RemoteActor.objects.create(
            uri=f"https://n{k}.example/ap/c/x",
            host=f"n{k}.example",
            kind="Group",
            name=f"Node {k}",
            inbox=f"https://n{k}.example/ap/inbox",
            fetched_at=timezone.now(),
            is_dualpower=True,
        )
        RemoteProfile.objects.create(actor=actor, region="Somewhere", latitude=10, longitude=k % 100)
        Peer.objects.create(community=world.community, actor=actor, state=Peer.State.ACTIVE)
        AnnouncedLink.objects.create(source=actor, kind="peer", target_uri=f"https://far{k}.example/ap/c/y")


# The directory of the network (federation/directory_selectors.py).
CASES.append(Case("network-directory", _c("network/directory/"), _directory_peers, 14))


def _deliberations(world: World, n: int) -> None:
    from dualpower.deliberation.tests.factories import make_deliberation

    for _ in range(n):
        make_deliberation(world.community, by=world.coordinator, seeds=(f"Statement {world.next()}",))


CASES.append(Case("deliberations", _c("deliberations/"), _deliberations, 10))
CASES.append(Case("api-deliberations", _api("deliberations"), _deliberations, 10))


def _params() -> list[Any]:
    params = []
    for case in CASES:
        marks = []
        if case.n_plus_one:
            marks.append(pytest.mark.xfail(strict=True, reason=N_PLUS_ONE.format(case.n_plus_one)))
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries.captured_queries)


@pytest.mark.parametrize("case", _params())
def test_the_query_count_of_a_list_does_not_grow_with_its_rows(
    case: Case, community: Community, people: dict[str, Any], client_for: Any
) -> None:
    world = World(community, people)
    client = client_for("coordinator")
    case.grow(world, FEW)
    url = case.url(world)
    client.get(url)  # the first request fills per-process caches (permissions, settings...)
    few = _queries(client, url)
    case.grow(world, MORE)
    more = _queries(client, url)
    assert few <= case.max_queries, f"{url}: {few} queries (ceiling {case.max_queries})"
    assert more <= few, f"{url}: {few} queries with {FEW} rows, {more} with {FEW + MORE}"


def test_every_case_has_its_own_address() -> None:
    assert len({case.id for case in CASES}) == len(CASES)
