"""Every list that grows with the community is shown a page at a time (issue 21; web/pages.py):
``PER_PAGE`` rows a page, the second page holds the next rows and the last page the last ones, and
each page links to its neighbours only where they exist.

Each case makes ``ROWS`` rows whose names are found in the page (zero-padded, so none is part of
another) and reads their order as the page's selector orders them; a page showing several lists
is read only within the list's own section (from its heading to the section's end).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualpower.activities.models import Series
from dualpower.activities.tests.factories import SeriesFactory
from dualpower.aid import selectors as aid_selectors
from dualpower.aid.models import AidReferral
from dualpower.aid.tests.factories import AidRequestFactory
from dualpower.aid.tests.factories import make_world as aid_world
from dualpower.assemblies import selectors as assembly_selectors
from dualpower.assemblies.tests.factories import ProposalFactory, general
from dualpower.community.models import Community
from dualpower.coops import services as coops
from dualpower.coops.models import Cooperative, CoopMember
from dualpower.coops.tests.factories import CooperativeFactory, CoopMemberFactory
from dualpower.defence.models.response import EvictionCase, Incident, ReporterBan
from dualpower.defence.tests.factories_response import make_world as defence_world
from dualpower.federation.models import RemoteActor
from dualpower.food.models.growing import Crop, Plot, SeedLoan, Site
from dualpower.food.models.plate import AllocationLine, Share
from dualpower.food.selectors import growing as growing_selectors
from dualpower.food.services import growing
from dualpower.food.services import plate_allocation as allocations
from dualpower.food.tests import factories_plate as plate
from dualpower.food.tests.factories_growing import make_crop, make_planting, make_plot, make_site
from dualpower.groups.models import WorkingGroup
from dualpower.groups.tests.factories import WorkingGroupFactory
from dualpower.inventory import services as inventory
from dualpower.inventory.models import Item
from dualpower.land import services as land
from dualpower.land.models import Allocation, GroundLease, Home, WaitlistApplication
from dualpower.land.tests.factories import GroundLeaseFactory, HomeFactory, WaitlistApplicationFactory
from dualpower.mandates import services as mandates
from dualpower.mandates.models import DelegateSeat, Mandate, MandateBreach
from dualpower.mandates.tests.factories import World, build_world, council_proposal
from dualpower.members.models import Application
from dualpower.members.tests.factories import ApplicationFactory, MembershipFactory, membership_of
from dualpower.notifications.models import Notification
from dualpower.notifications.services import notification_send
from dualpower.panels.models import Panel
from dualpower.panels.tests.factories import PanelFactory
from dualpower.web.pages import PER_PAGE

pytestmark = pytest.mark.django_db

ROWS = 2 * PER_PAGE + 3  # two full pages and a short last one


@dataclass(frozen=True)
class Made:
    """What a case made: the list's address, the names of its rows in the list's order, and who
    reads it (a user; the coordinator unless said)."""

    url: str
    names: list[str]
    reader: Any = None


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[Community, dict[str, Any]], Made]
    param: str = "page"
    anchor: str = ""  # the list's heading, when its page shows several lists


def _c(community: Community, path: str) -> str:
    return f"/c/{community.slug}/{path}"


def _coops(community: Community, people: dict[str, Any]) -> Made:
    for k in range(ROWS):
        CooperativeFactory.create(community=community, name=f"Co-op {k:03}")
    names = [c.name for c in Cooperative.objects.filter(community=community).order_by("name", "id")]
    return Made(_c(community, "coops/"), names)


def _board_and_coop(community: Community) -> tuple[Any, Cooperative]:
    founder = MembershipFactory.create(community=community, display_name="Worker 000")
    return founder.user, CooperativeFactory.create(community=community, name="Bakers", founder=founder)


def _coop_members(community: Community, people: dict[str, Any]) -> Made:
    """The board first (its founder, last by name), then the members by name: none of them joined
    in the order of their names."""
    founder = MembershipFactory.create(community=community, display_name="Worker 999")
    coop = CooperativeFactory.create(community=community, name="Bakers", founder=founder)
    for k in reversed(range(1, ROWS)):
        member = MembershipFactory.create(community=community, display_name=f"Worker {k:03}")
        CoopMemberFactory.create(coop=coop, membership=member)
    board = CoopMember.objects.get(coop=coop, role=CoopMember.Role.BOARD)
    assert board.membership == founder
    names = ["Worker 999", *(f"Worker {k:03}" for k in range(1, ROWS))]
    return Made(_c(community, f"coops/{coop.slug}/"), names, founder.user)


def _coop_requests(community: Community, people: dict[str, Any]) -> Made:
    board, coop = _board_and_coop(community)
    for k in range(ROWS):
        asker = MembershipFactory.create(community=community, display_name=f"Asker {k:03}")
        coops.coop_join(coop=coop, membership=asker)
    places = CoopMember.objects.filter(coop=coop, status=CoopMember.Status.PENDING)
    names = [p.membership.display_name for p in places.select_related("membership")]
    return Made(_c(community, f"coops/{coop.slug}/"), names, board)


def _homes(community: Community, people: dict[str, Any]) -> Made:
    for k in range(ROWS):
        HomeFactory.create(community=community, label=f"Home {k:03}")
    return Made(_c(community, "land/"), [h.label for h in Home.objects.filter(community=community)])


def _leases(community: Community, people: dict[str, Any]) -> Made:
    for k in range(ROWS):
        GroundLeaseFactory.create(home=HomeFactory.create(community=community, label=f"Home {k:03}"))
    leases = GroundLease.objects.filter(home__community=community).select_related("home")
    return Made(_c(community, "land/leases/"), [lease.home.label for lease in leases])


def _allocations(community: Community, people: dict[str, Any]) -> Made:
    by = membership_of(people["coordinator"], community)
    for k in range(ROWS):
        land.allocation_announce(home=HomeFactory.create(community=community, label=f"Home {k:03}"), by=by)
    allocations = Allocation.objects.filter(home__community=community).select_related("home")
    return Made(_c(community, "land/allocations/"), [a.home.label for a in allocations])


def _waitlist(community: Community, people: dict[str, Any]) -> Made:
    for k in range(ROWS):
        household = MembershipFactory.create(community=community, display_name=f"Household {k:03}")
        WaitlistApplicationFactory.create(community=community, membership=household)
    waiting = WaitlistApplication.objects.filter(community=community, status="waiting")
    return Made(_c(community, "land/waitlist/"), [a.membership.display_name for a in waiting])


def _series(community: Community, people: dict[str, Any]) -> Made:
    by = membership_of(people["coordinator"], community)
    for k in range(ROWS):
        SeriesFactory.create(community=community, title=f"Series {k:03}", by=by)
    running = Series.objects.filter(community=community, is_active=True).order_by("title", "id")
    return Made(_c(community, "activities/"), [s.title for s in running])


def _panels(community: Community, people: dict[str, Any]) -> Made:
    for k in range(ROWS):
        PanelFactory.create(community=community, title=f"Panel {k:03}")
    panels = Panel.objects.filter(community=community).order_by("-created_at", "-id")
    return Made(_c(community, "panels/"), [p.title for p in panels])


def _groups(community: Community, people: dict[str, Any]) -> Made:
    # The community's own groups are renamed into the list's names ("Food" is in the menu too).
    existing = list(WorkingGroup.objects.filter(community=community).order_by("id"))
    for k, group in enumerate(existing):
        WorkingGroup.objects.filter(pk=group.pk).update(name=f"Group {k:03}")
    for k in range(len(existing), ROWS):
        WorkingGroupFactory.create(community=community, name=f"Group {k:03}")
    groups = WorkingGroup.objects.filter(community=community).order_by("name", "id")
    return Made(_c(community, "groups/"), [g.name for g in groups])


def _applications(community: Community, people: dict[str, Any]) -> Made:
    for k in range(ROWS):
        ApplicationFactory.create(community=community, display_name=f"Applicant {k:03}")
    pending = Application.objects.filter(community=community, status=Application.Status.PENDING)
    return Made(
        _c(community, "applications/"), [a.display_name for a in pending.order_by("created_at", "id")]
    )


def _items(community: Community, people: dict[str, Any]) -> Made:
    by = membership_of(people["coordinator"], community)
    for k in range(ROWS):
        inventory.item_create(community=community, by=by, name=f"Item {k:03}", unit="boxes")
    return Made(_c(community, "inventory/"), [i.name for i in Item.objects.filter(community=community)])


def _seated(world: World, name: str) -> DelegateSeat:
    delegate = MembershipFactory.create(community=world.community, display_name=name)
    return DelegateSeat.objects.create(
        community=world.community, sending=world.housing, receiving=world.council, membership=delegate
    )


def _council_seats(community: Community, people: dict[str, Any]) -> Made:
    world = build_world(community)
    for k in range(ROWS):
        _seated(world, f"Delegate {k:03}")
    seats = DelegateSeat.objects.filter(community=community, receiving=world.council)
    names = [seat.membership.display_name for seat in seats.select_related("membership")]
    return Made(_c(community, "delegates/"), names)


def _sent_seats(community: Community, people: dict[str, Any]) -> Made:
    """An assembly's delegates, seated and not (the council's order: by council, then by when)."""
    world = build_world(community)
    for k in range(ROWS):
        seat = _seated(world, f"Delegate {k:03}")
        if k % 2:
            DelegateSeat.objects.filter(pk=seat.pk).update(status="recalled", ended_at=timezone.now())
    seats = DelegateSeat.objects.filter(community=community, sending=world.housing)
    names = [seat.membership.display_name for seat in seats.select_related("membership")]
    return Made(_c(community, f"delegates/assemblies/{world.housing.slug}/"), names)


def _council_delegates(community: Community, people: dict[str, Any]) -> Made:
    made = _council_seats(community, people)
    return Made(_c(community, "delegates/assemblies/spokescouncil/"), made.names)


def _mandates(community: Community, people: dict[str, Any]) -> Made:
    world = build_world(community)
    delegate = _seated(world, "Delegate").membership  # proposes in the council
    for k in range(ROWS):
        proposal = council_proposal(world, delegate, title=f"Motion {k:03}")
        Mandate.objects.create(community=community, sending=world.housing, proposal=proposal, position="for")
    given = Mandate.objects.filter(community=community, sending=world.housing).select_related("proposal")
    return Made(
        _c(community, f"delegates/assemblies/{world.housing.slug}/"), [m.proposal.title for m in given]
    )


def _seat_mandates(community: Community, people: dict[str, Any]) -> Made:
    """A delegate's own page: what their assembly has told them, the latest first."""
    world = build_world(community)
    seat = _seated(world, "Delegate")
    for k in range(ROWS):
        proposal = council_proposal(world, seat.membership, title=f"Motion {k:03}")
        Mandate.objects.create(community=community, sending=world.housing, proposal=proposal, position="for")
    given = Mandate.objects.filter(sending=world.housing).select_related("proposal").order_by("-created_at")
    return Made(_c(community, f"delegates/seats/{seat.pk}/"), [m.proposal.title for m in given])


def _seat_breaches(community: Community, people: dict[str, Any]) -> Made:
    """A delegate's own page: each of their votes against a mandate, the latest first."""
    world = build_world(community)
    seat = _seated(world, "Delegate")
    for k in range(ROWS):
        proposal = council_proposal(world, seat.membership, title=f"Motion {k:03}")
        mandate = Mandate.objects.create(
            community=community,
            sending=world.housing,
            proposal=proposal,
            position="for",
            status="superseded",
            decision_ref="proposal:1",
        )
        MandateBreach.objects.create(community=community, mandate=mandate, seat=seat, vote="no")
    breaches = MandateBreach.objects.filter(seat=seat).select_related("mandate__proposal")
    return Made(_c(community, f"delegates/seats/{seat.pk}/"), [b.mandate.proposal.title for b in breaches])


def _breaches_made(community: Community) -> tuple[World, list[str]]:
    world = build_world(community)
    seats = [_seated(world, f"Breaker {k:03}") for k in range(ROWS)]
    proposal = council_proposal(world, seats[0].membership)  # a delegate proposes in the council
    mandate = mandates.mandate_set(
        sending=world.housing, proposal=proposal, position="for", decision_ref="proposal:1"
    )
    for seat in seats:
        MandateBreach.objects.create(community=community, mandate=mandate, seat=seat, vote="no")
    breaches = MandateBreach.objects.filter(community=community).select_related("seat__membership")
    return world, [b.seat.membership.display_name for b in breaches]


def _breaches(community: Community, people: dict[str, Any]) -> Made:
    _world, names = _breaches_made(community)
    return Made(_c(community, "delegates/"), names)


def _breaches_of_an_assembly(community: Community, people: dict[str, Any]) -> Made:
    world, names = _breaches_made(community)
    return Made(_c(community, f"delegates/assemblies/{world.housing.slug}/"), names)


def _bans(community: Community, people: dict[str, Any]) -> Made:
    for k in range(ROWS):
        banned = MembershipFactory.create(community=community, display_name=f"Reporter {k:03}")
        ReporterBan.objects.create(community=community, membership=banned)
    bans = ReporterBan.objects.filter(community=community).select_related("membership")
    return Made(_c(community, "defence/bans/"), [b.membership.display_name for b in bans])  # type: ignore[union-attr]


def _eviction_cases(community: Community, people: dict[str, Any]) -> Made:
    for k in range(ROWS):
        EvictionCase.objects.create(community=community, household=f"Household {k:03}", landlord="Acme")
    cases = EvictionCase.objects.filter(community=community)
    return Made(_c(community, "defence/evictions/"), [c.household for c in cases])


def _open_incidents(community: Community, people: dict[str, Any]) -> Made:
    """Read by the verifier on shift, the only one who sees the open incidents."""
    world = defence_world(community, people)
    for k in range(ROWS):
        Incident.objects.create(
            community=community, code=f"INC-{k:03}", kind="raid", area="North", seen_at=timezone.now()
        )
    found = Incident.objects.filter(community=community, status=Incident.Status.REPORTED)
    return Made(_c(community, "defence/"), [i.code for i in found], world.users["verifier"])


def _sites(community: Community, people: dict[str, Any]) -> Made:
    for k in range(ROWS):
        make_site(community, f"Site {k:03}")
    return Made(_c(community, "food/gardens/"), [s.name for s in Site.objects.filter(community=community)])


def _plots(community: Community, people: dict[str, Any]) -> Made:
    site = make_site(community, "Allotment")
    for k in range(ROWS):
        make_plot(site, name=f"Plot {k:03}")
    return Made(_c(community, "food/gardens/"), [p.name for p in Plot.objects.filter(community=community)])


def _crops(community: Community, people: dict[str, Any]) -> Made:
    for k in range(ROWS):
        make_crop(community, f"Crop {k:03}")
    return Made(
        _c(community, "food/gardens/crops/"), [c.name for c in Crop.objects.filter(community=community)]
    )


def _seed_lots(community: Community, people: dict[str, Any]) -> Made:
    for k in range(ROWS):
        growing.seed_lot_create(community=community, variety=f"Variety {k:03}", quantity="5", by=None)
    lots = growing_selectors.seed_lots_of(community=community)
    return Made(_c(community, "food/gardens/seeds/"), [lot.variety for lot in lots])


def _seed_out(community: Community, people: dict[str, Any]) -> Made:
    """The seed out, soonest due first (a keeper sees everyone's)."""
    lot = growing.seed_lot_create(community=community, variety="Roma", quantity="500", by=None)
    today = timezone.localdate()
    for k in range(ROWS):
        borrower = MembershipFactory.create(community=community, display_name=f"Borrower {k:03}")
        SeedLoan.objects.create(
            community=community,
            lot=lot,
            borrower=borrower,
            quantity=1,
            lent_at=timezone.now(),
            due_on=today + dt.timedelta(days=ROWS - k),  # not in the order they were lent
        )
    out = SeedLoan.objects.filter(community=community, status="out").order_by("due_on", "id")
    return Made(_c(community, "food/gardens/seeds/"), [loan.borrower.display_name for loan in out])


def _plan(community: Community, people: dict[str, Any]) -> Made:
    plot = make_plot(make_site(community, "Allotment"), name="Bed")
    for k in range(ROWS):
        make_planting(plot, make_crop(community, f"Crop {k:03}"), seeded=timezone.localdate())
    rows = growing_selectors.plan_plantings_page(community=community, limit=2 * ROWS)
    return Made(_c(community, "food/gardens/plan/"), [p.crop.name for p in rows])


def _allocation_lines(community: Community, people: dict[str, Any]) -> Made:
    keeper = plate.in_food_group(community)
    for k in range(ROWS):
        plate.harvest(community, plate.crop(community, f"Crop {k:03}"), "1")
    found = allocations.allocation_compute(community=community, week=plate.this_monday(), by=keeper)
    lines = AllocationLine.objects.filter(allocation=found).select_related("crop").order_by("pk")
    return Made(
        _c(community, f"food/plate/allocations/{found.pk}/"),
        [line.crop.name for line in lines if line.crop],
        keeper.user,
    )


def _cycle_shares(community: Community, people: dict[str, Any]) -> Made:
    keeper = plate.in_food_group(community)
    cycle = plate.cycle(community)
    for _k in range(ROWS):
        plate.share(cycle)
    codes = [s.code for s in Share.objects.filter(cycle=cycle).order_by("pk")]
    return Made(_c(community, f"food/shares/{cycle.pk}/"), codes, keeper.user)


def _aid_requests(community: Community, people: dict[str, Any]) -> Made:
    member = membership_of(people["member"], community)
    for _k in range(ROWS):
        AidRequestFactory.create(community=community, requester=member)
    reader = membership_of(people["coordinator"], community)
    rows = aid_selectors.requests_page(community=community, membership=reader, status="open")
    return Made(_c(community, "aid/"), [r.code for r in rows[0 : 2 * ROWS]])


def _aid_dispatch(community: Community, people: dict[str, Any]) -> Made:
    world = aid_world(community, people)
    for _k in range(ROWS):
        AidRequestFactory.create(community=community, requester=world.member)
    rows = aid_selectors.requests_page(community=community, membership=world.dispatcher, status="active")
    return Made(_c(community, "aid/dispatch/"), [r.code for r in rows[0 : 2 * ROWS]], world.dispatcher.user)


def _aid_referrals(community: Community, people: dict[str, Any]) -> Made:
    world = aid_world(community, people)
    uri = "https://peer.example/c/peer"
    peer = RemoteActor.objects.create(
        uri=uri, host="peer.example", kind="Group", inbox=f"{uri}/inbox", fetched_at=timezone.now()
    )
    for k in range(ROWS):
        AidReferral.objects.create(
            community=community,
            direction=AidReferral.Direction.OUT,
            actor=peer,
            uri=f"{uri}/referrals/{k}",
            offer_id=f"{uri}/offers/{k}",
            category="kind",
            category_label=f"Kind {k:03}",
            region="North",
            expires_at=timezone.now() + dt.timedelta(days=1),
        )
    referrals = aid_selectors.referrals_recent(community=community)
    return Made(
        _c(community, "aid/dispatch/referrals/"), [r.category_label for r in referrals], world.dispatcher.user
    )


def _notifications(community: Community, people: dict[str, Any]) -> Made:
    user = people["coordinator"]
    for k in range(ROWS):
        notification_send(
            recipients=[user], community=community, kind="test", title=f"Note {k:03}", email=False
        )
    notes = Notification.objects.filter(user=user).order_by("-created_at", "-id")
    return Made("/me/notifications/", [str(n.title_text) for n in notes])


def _proposals(kind: str) -> Callable[[Community, dict[str, Any]], Made]:
    def make(community: Community, people: dict[str, Any]) -> Made:
        assembly = general(community)
        for k in range(ROWS):
            ProposalFactory.create(assembly=assembly, title=f"Motion {k:03}", open=kind == "voting")
        rows = assembly_selectors.open_page(assembly=assembly, kind=kind, limit=2 * ROWS)
        return Made(_c(community, f"assemblies/{assembly.slug}/"), [p.title for p in rows])

    return make


CASES = [
    Case("co-ops", _coops),
    Case("co-op members", _coop_members, "members", "members-heading"),
    Case("co-op requests to join", _coop_requests, "requests", "requests-heading"),
    Case("land trust homes", _homes),
    Case("ground leases", _leases),
    Case("allocations of homes", _allocations),
    Case("waitlist", _waitlist),
    Case("regular activities", _series, "series", "series-heading"),
    Case("panels", _panels),
    Case("working groups", _groups),
    Case("applications to join", _applications),
    Case("inventory", _items),
    Case("seated delegates", _council_seats, "seats", "seats-heading"),
    Case("votes against a mandate", _breaches, "breaches", "breaches-heading"),
    Case("who sits in a spokescouncil", _council_delegates, "seats", "received-heading"),
    Case("delegates an assembly sends", _sent_seats, "sent", "sent-heading"),
    Case("mandates an assembly gives", _mandates, "mandates", "mandates-heading"),
    Case("votes against an assembly's mandates", _breaches_of_an_assembly, "breaches", "breaches-heading"),
    Case("a delegate's mandates", _seat_mandates, "mandates", "mandates-heading"),
    Case("a delegate's votes against a mandate", _seat_breaches, "breaches", "breaches-heading"),
    Case("intake ban list", _bans),
    Case("eviction defence board", _eviction_cases),
    Case("open incidents", _open_incidents, "incidents", "open-h"),
    Case("gardens and farms", _sites, "sites", "sites-heading"),
    Case("garden plots", _plots, "plots", "plots-heading"),
    Case("crops", _crops),
    Case("seed library", _seed_lots),
    Case("seed out", _seed_out, "loans", "loans-heading"),
    Case("plantings of the plan", _plan, "page", "plantings-heading"),
    Case("an allocation's lines", _allocation_lines, "page", "lines-heading"),
    Case("a share cycle's shares", _cycle_shares, "page", "shares-heading"),
    Case("mutual aid requests", _aid_requests),
    Case("dispatch board", _aid_dispatch),
    Case("referrals both ways", _aid_referrals, "page", "all-h"),
    Case("my notifications", _notifications),
    Case("proposals open for votes", _proposals("voting"), "voting", "open-h"),
    Case("proposals in discussion", _proposals("discussion"), "discussion", "disc-h"),
]


def _shown(html: str, case: Case, names: list[str]) -> tuple[list[str], str]:
    """The names of ``names`` the list shows, in the order shown, and the list's own part of the
    page (its section, when the page shows several lists)."""
    if case.anchor:
        start = html.index(f'id="{case.anchor}"')
        html = html[start : html.index("</section>", start)]
    found = sorted((html.index(name), name) for name in names if name in html)
    return [name for _at, name in found], html


def _links(part: str, case: Case) -> dict[str, int]:
    """The pages the list's pager links to, by ``rel``."""
    pattern = rf'<a href="\?{case.param}=(\d+)(?:#{case.anchor})?" rel="(prev|next)">'
    return {rel: int(number) for number, rel in re.findall(pattern, part)}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_long_list_is_shown_a_page_at_a_time(
    case: Case, community: Community, people: dict[str, Any], client: Any
) -> None:
    made = case.make(community, people)
    assert len(made.names) >= ROWS
    client.force_login(made.reader or people["coordinator"])

    def page(number: int) -> tuple[list[str], dict[str, int]]:
        response = client.get(f"{made.url}?{case.param}={number}")
        assert response.status_code == 200
        shown, part = _shown(response.content.decode(), case, made.names)
        return shown, _links(part, case)

    first, first_links = page(1)
    second, second_links = page(2)
    last, last_links = page(3)
    if case.anchor:
        # A page of several lists names each pager by its list's heading: a screen reader tells
        # "Open votes" from "Under discussion" rather than hearing "Pages" twice.
        html = client.get(f"{made.url}?{case.param}=2").content.decode()
        assert f'<nav class="pager" aria-labelledby="{case.anchor}">' in html
        assert f'id="{case.anchor}"' in html
    assert first == made.names[:PER_PAGE]
    assert first_links == {"next": 2}
    assert second == made.names[PER_PAGE : 2 * PER_PAGE]
    assert second_links == {"prev": 1, "next": 3}
    assert last == made.names[2 * PER_PAGE :]
    assert last_links == {"prev": 2}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_last_page_costs_the_queries_of_the_first(
    case: Case, community: Community, people: dict[str, Any], client: Any
) -> None:
    """A page further on reads its window as the first does: no query more (nor a count)."""
    made = case.make(community, people)
    client.force_login(made.reader or people["coordinator"])

    def queries(number: int) -> int:
        client.get(f"{made.url}?{case.param}={number}")  # warm: per-process and shared caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{made.url}?{case.param}={number}").status_code == 200
        return len(ctx.captured_queries)

    assert queries(3) == queries(1)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_page_number_that_is_not_one_shows_the_first_page(
    case: Case, community: Community, people: dict[str, Any], client: Any
) -> None:
    made = case.make(community, people)
    client.force_login(made.reader or people["coordinator"])
    for raw in ("0", "x", "-1", "99999999"):
        html = client.get(f"{made.url}?{case.param}={raw}").content.decode()
        shown, part = _shown(html, case, made.names)
        assert shown == made.names[:PER_PAGE], raw
        assert _links(part, case) == {"next": 2}, raw


def test_the_inventory_counts_low_items_beyond_the_page_shown(
    community: Community, people: dict[str, Any], client: Any
) -> None:
    by = membership_of(people["coordinator"], community)
    for k in range(ROWS):
        item = inventory.item_create(community=community, by=by, name=f"Item {k:03}", unit="boxes")
    # Only the last item, on the last page, is low (stock written directly: only the list is tested).
    Item.objects.filter(community=community).update(stock=10, low_threshold=5)
    Item.objects.filter(pk=item.pk).update(stock=0)
    client.force_login(people["coordinator"])
    html = client.get(_c(community, "inventory/")).content.decode()
    assert "Item 042" not in html
    assert "1 item is low on stock." in html


def test_the_pager_keeps_the_lists_filters(community: Community, people: dict[str, Any], client: Any) -> None:
    """A link to another page of a filtered list keeps its filters (the page number replaced), on
    the aid list's prepared rows and on the text search the ORM answers, and on the notifications
    of the unread only."""
    member = membership_of(people["member"], community)
    for _k in range(PER_PAGE + 1):
        AidRequestFactory.create(community=community, requester=member, neighbourhood="Old Market")
    client.force_login(people["coordinator"])
    for filters in (
        "status=open&amp;category=food&amp;neighbourhood=&amp;urgency=",
        "status=open&amp;category=&amp;neighbourhood=market&amp;urgency=",
    ):
        plain = filters.replace("&amp;", "&")
        first = client.get(_c(community, f"aid/?{plain}&page=1")).content.decode()
        assert first.count('data-label="Code"') == PER_PAGE
        assert f'<a href="?{filters}&amp;page=2" rel="next">' in first
        second = client.get(_c(community, f"aid/?{plain}&page=2")).content.decode()
        assert second.count('data-label="Code"') == 1
        assert f'<a href="?{filters}&amp;page=1" rel="prev">' in second
    coordinator = people["coordinator"]
    for k in range(PER_PAGE + 1):
        notification_send(
            recipients=[coordinator], community=community, kind="test", title=f"Note {k:03}", email=False
        )
    first = client.get("/me/notifications/?unread=1").content.decode()
    assert '<a href="?unread=1&amp;page=2" rel="next">' in first
    assert "Note 000" in client.get("/me/notifications/?unread=1&page=2").content.decode()
