"""A community of any size, built fast: one of each main page's subject, then people and their
rows in proportion (issue 21).

Used by tests/test_dashboard_growth.py, tests/test_page_growth.py (10 members against 1,000) and
bench/bench_scale.py (1,000, 10,000 and 50,000 members with 1,000,000 transfers).

``world_make`` makes one of everything a main page shows, through the services and the
factories: the general assembly (liquid delegation on) with a proposal open for votes, a meeting
with an agenda, a budgeting cycle counted and in its results, a co-op, a home, an activity, a
currency and the coordinator's account. ``grow`` then brings the community to ``size`` members
with bulk inserts, respecting the database's rules: balances move only by inserting transfers
(the trigger moves them), the audit log is only appended to, every check constraint holds.

Proportions for every ``PER_PROPOSAL`` members (see ``grow``): a proposal, two aid requests, a
delegation per 20 members, a working group per 500 (with 20 people in it), an open vote on the
main proposal by every member, ``AUDIT_PER_MEMBER`` audit entries and ``TRANSFERS_PER_MEMBER``
transfers a member (one in ``COORDINATOR_SHARE`` of them paid to the coordinator, so that the
coordinator's statement grows too).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from dualpower.aid.models import AidRequest
from dualpower.assemblies.models import Assembly, Delegation, Proposal, Vote
from dualpower.budgeting.models import Cycle, Phase
from dualpower.community.models import AuditEntry, Community
from dualpower.coops.models import Cooperative
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.land.models import Home
from dualpower.ledger.models import Account, Currency, Transfer
from dualpower.meetings.models import Meeting
from dualpower.members.models import Membership, User

PER_PROPOSAL = 50
PER_AID_REQUEST = 25
PER_DELEGATION = 20
PER_GROUP = 500
GROUP_SIZE = 20
AUDIT_PER_MEMBER = 5
TRANSFERS_PER_MEMBER = 20
COORDINATOR_SHARE = 50
WIDE = 10**15  # grown accounts' limits: the transfers never meet them
BATCH = 5_000
# After a WITH of the numbers n.i: one payment each, between two grown accounts (k = 1..m), or
# from one to the coordinator's (k = 0) one time in COORDINATOR_SHARE; never from an account to
# itself. Parameters: community, currency, first key number, created_at, then m four times around
# COORDINATOR_SHARE.
TRANSFERS_SQL = (
    "INSERT INTO ledger_transfer "
    "(community_id, currency_id, debit_id, credit_id, amount, kind, description, "
    "idempotency_key, batch, decision_ref, created_at) "
    "SELECT %s, %s, d.account_id, c.account_id, 1 + n.i %% 500, 'payment', 'Bread', "
    "'grown-' || CAST(n.i + %s AS text), '', '', %s "
    "FROM n "
    "JOIN grown_account d ON d.k = 1 + (n.i * 7919) %% %s "
    "JOIN grown_account c ON c.k = CASE WHEN n.i %% %s = 0 THEN 0 "
    "ELSE 1 + ((n.i * 7919) %% %s + 1 + n.i %% (%s - 1)) %% %s END"
)


@dataclass
class World:
    community: Community
    coordinator: Membership
    assembly: Assembly
    proposal: Proposal  # open for votes; every member votes on it
    meeting: Meeting
    cycle: Cycle
    coop: Cooperative
    home: Home
    currency: Currency
    account: Account  # the coordinator's

    def pages(self) -> list[tuple[str, str]]:
        """(label, path) of each main page, as the coordinator reads them."""
        c = {"community": self.community.slug}
        a = {**c, "assembly": self.assembly.slug}
        api = f"/api/v1/communities/{self.community.slug}"
        return [
            ("dashboard", reverse("community-dashboard", kwargs=c)),
            ("assembly", reverse("assemblies:detail", kwargs=a)),
            ("proposal", reverse("assemblies:proposal", kwargs={**a, "pk": self.proposal.pk})),
            ("meeting", reverse("meetings:detail", kwargs={**c, "pk": self.meeting.pk})),
            ("budgeting cycle", reverse("budgeting:detail", kwargs={**c, "cycle": self.cycle.slug})),
            ("budgeting results", reverse("budgeting:results", kwargs={**c, "cycle": self.cycle.slug})),
            ("aid list", reverse("aid:list", kwargs=c)),
            ("aid dispatch", reverse("aid:dispatch", kwargs=c)),
            ("activities", reverse("activities:list", kwargs=c)),
            ("statement", reverse("ledger:statement", kwargs={**c, "pk": self.account.pk})),
            ("money", reverse("ledger:list", kwargs=c)),
            ("co-op", reverse("coops:detail", kwargs={**c, "coop": self.coop.slug})),
            ("land (homes)", reverse("land:homes", kwargs=c)),
            ("members", reverse("members:list", kwargs=c)),
            ("members, last page", reverse("members:list", kwargs=c) + f"?after={self._near_the_end()}"),
            ("working groups", reverse("groups:list", kwargs=c)),
            ("audit log", reverse("community-audit", kwargs=c)),
            ("API members", f"{api}/members"),
            ("API proposals", f"{api}/assemblies/{self.assembly.slug}/proposals"),
            ("API aid requests", f"{api}/aid/requests"),
            ("API activities", f"{api}/activities"),
        ]

    def _near_the_end(self) -> int:
        """The member whose next page by name is the last page of the members list."""
        found = (
            Membership.objects.filter(community=self.community, status=Membership.Status.ACTIVE)
            .order_by("-display_name", "-id")
            .values_list("pk", flat=True)[25:26]
        )
        return next(iter(found), self.coordinator.pk)


def world_make(community: Community, coordinator: User) -> World:
    """One of each main page's subject in ``community``, whose coordinator is ``coordinator``."""
    from dualpower.activities.tests.factories import SeriesFactory
    from dualpower.aid import services as aid
    from dualpower.assemblies.tests.factories import ProposalFactory, general
    from dualpower.budgeting import services as budgeting
    from dualpower.budgeting.tests.factories import CycleFactory
    from dualpower.coops.tests.factories import CooperativeFactory
    from dualpower.land.tests.factories import HomeFactory
    from dualpower.ledger.tests.factories import CurrencyFactory, account_of
    from dualpower.meetings import services as meetings
    from dualpower.meetings.tests.factories import MeetingFactory
    from dualpower.members.tests.factories import make_membership

    me = Membership.objects.get(user=coordinator, community=community)
    aid.dispatcher_grant(community=community, membership=me, by=me)
    assembly = general(community, liquid_delegation=True)
    proposal = ProposalFactory.create(assembly=assembly, by=me, title="Open a tool library", open=True)
    meeting = MeetingFactory.create(assembly=assembly)
    for title in ("Welcome", "Tool library", "Any other business"):
        meetings.agenda_item_add(meeting=meeting, by=None, title=title)
    cycle = CycleFactory.create(community=community, phase=Phase.VOTING)
    for i, codes in enumerate([["1", "4"]] * 2 + [["2", "3"]]):
        voter = make_membership(community, name=f"Budget voter {i}")
        budgeting.ballot_submit(cycle=cycle, voter=voter, district=None, choices=[(c, 1) for c in codes])
    budgeting.cycle_advance(cycle=cycle, by=None)
    coop = CooperativeFactory.create(community=community, founder=me)
    home = HomeFactory.create(community=community)
    SeriesFactory.create(community=community, by=me)
    currency = Currency.objects.filter(community=community).first() or CurrencyFactory.create(
        community=community
    )
    account = account_of(coordinator, currency)
    # The coordinator is paid by everyone in the bench: room for it (limits are not balances).
    Account.objects.filter(pk=account.pk).update(lower_limit=-WIDE, upper_limit=WIDE)
    cycle.refresh_from_db()
    return World(community, me, assembly, proposal, meeting, cycle, coop, home, currency, account)


def grow(world: World, size: int) -> None:
    """Bring ``world``'s community to ``size`` active members, with their rows in proportion."""
    community = world.community
    have = Membership.objects.filter(community=community).count()
    n = max(0, size - have)
    if not n:
        return
    start = User.objects.count()
    password = make_password(None)
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(email=f"grown{start + i}@example.org", password=password) for i in range(n)],
            batch_size=BATCH,
        )
        members = Membership.objects.bulk_create(
            [
                Membership(
                    user=user,
                    community=community,
                    display_name=f"Grown {start + i}",
                    neighbourhood=("North", "South", "River", "Hill")[i % 4],
                )
                for i, user in enumerate(users)
            ],
            batch_size=BATCH,
        )
        _proposals(world, members, start)
        _votes(world, members)
        _delegations(world, members)
        _aid_requests(world, members, start)
        _groups(world, members, start)
        _audit(world, members)
        accounts = _accounts(world, members)
        _transfers(world, accounts, n * TRANSFERS_PER_MEMBER)


def _proposals(world: World, members: list[Membership], start: int) -> None:
    p = world.proposal
    rows = []
    for i, member in enumerate(members[::PER_PROPOSAL]):
        voting = i % 2 == 0
        rows.append(
            Proposal(
                assembly=world.assembly,
                author=member,
                title=f"Grown proposal {start + i}",
                body="Something the assembly decides.",
                process=p.process,
                state=Proposal.State.VOTING if voting else Proposal.State.DISCUSSION,
                discussion_closes_at=p.discussion_closes_at,
                voting_opens_at=p.voting_opens_at if voting else None,
                voting_closes_at=p.voting_closes_at if voting else None,
            )
        )
    Proposal.objects.bulk_create(rows, batch_size=BATCH)


def _votes(world: World, members: list[Membership]) -> None:
    Vote.objects.bulk_create(
        [Vote(proposal=world.proposal, voter=m, position="agree") for m in members], batch_size=BATCH
    )


def _delegations(world: World, members: list[Membership]) -> None:
    rows = [
        Delegation(assembly=world.assembly, delegator=m, delegate=members[i - 1] if i else world.coordinator)
        for i, m in enumerate(members)
        if i % PER_DELEGATION == 1
    ]
    Delegation.objects.bulk_create(rows, batch_size=BATCH)


def _aid_requests(world: World, members: list[Membership], start: int) -> None:
    now = timezone.now()
    rows = []
    for i, member in enumerate(members[::PER_AID_REQUEST]):
        done = i % 3 == 2
        rows.append(
            AidRequest(
                community=world.community,
                code=f"G{start + i:08d}",
                category=("food", "transport", "childcare")[i % 3],
                description="Groceries for a week",
                urgency=i % 4,
                neighbourhood=member.neighbourhood or "North",
                requester=member,
                status=AidRequest.Status.FULFILLED if done else AidRequest.Status.OPEN,
                fulfilled_at=now if done else None,
                closed_at=now if done else None,
            )
        )
    AidRequest.objects.bulk_create(rows, batch_size=BATCH)


def _groups(world: World, members: list[Membership], start: int) -> None:
    from dualpower.groups import services as groups

    for i in range(len(members) // PER_GROUP):
        group: WorkingGroup = groups.working_group_create(
            community=world.community, name=f"Grown group {start + i}", by=None
        )
        people = members[i * PER_GROUP : i * PER_GROUP + GROUP_SIZE]
        GroupMembership.objects.bulk_create(
            [GroupMembership(group=group, membership=m, is_convener=j == 0) for j, m in enumerate(people)]
        )


def _audit(world: World, members: list[Membership]) -> None:
    rows = (
        AuditEntry(
            community=world.community,
            actor=m,
            action=("member.joined", "profile.updated", "proposal.commented", "aid.offered", "vote.cast")[k],
            target_type="membership",
            target_id=str(m.pk),
            summary=f"{m.display_name} did something",
        )
        for m in members
        for k in range(AUDIT_PER_MEMBER)
    )
    AuditEntry.objects.bulk_create(list(rows), batch_size=BATCH)


def _accounts(world: World, members: list[Membership]) -> list[int]:
    currency = world.currency
    made = Account.objects.bulk_create(
        [
            Account(
                community=world.community,
                currency=currency,
                owner_kind=Account.OwnerKind.MEMBER,
                owner_id=m.pk,
                membership=m,
                name=m.display_name,
                lower_limit=-WIDE,
                upper_limit=WIDE,
            )
            for m in members
        ],
        batch_size=BATCH,
    )
    return [a.pk for a in made]


def _transfers(world: World, accounts: list[int], count: int) -> None:
    """``count`` payments among ``accounts`` (and to the coordinator), in one INSERT … SELECT:
    the balance trigger moves the balances as for any transfer."""
    if len(accounts) < 3 or count <= 0:
        return
    done = Transfer.objects.filter(community=world.community).count()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE grown_account (k integer PRIMARY KEY, account_id bigint)")
        try:
            rows = [(0, world.account.pk)] + [(k + 1, pk) for k, pk in enumerate(accounts)]
            cursor.executemany("INSERT INTO grown_account (k, account_id) VALUES (%s, %s)", rows)
            m = len(accounts)  # members are k = 1..m; the coordinator is k = 0
            if connection.vendor == "postgresql":
                numbers = "WITH n AS (SELECT generate_series(0::bigint, %s - 1) AS i) "
            else:
                numbers = "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < %s) "
            cursor.execute(
                numbers + TRANSFERS_SQL,
                [
                    count,
                    world.community.pk,
                    world.currency.pk,
                    done,
                    connection.ops.adapt_datetimefield_value(timezone.now() - dt.timedelta(days=1)),
                    m,
                    COORDINATOR_SHARE,
                    m,
                    m,
                    m,
                ],
            )
        finally:
            cursor.execute("DROP TABLE grown_account")


def world_people(world: World) -> dict[str, Any]:
    """The coordinator as the pages' reader."""
    user = world.coordinator.user
    assert user is not None
    return {"coordinator": user}
