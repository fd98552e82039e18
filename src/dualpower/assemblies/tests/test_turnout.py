"""Each proposal's turnout the database keeps (assemblies.Turnout, migration 0007), on both
databases: "how many have not voted yet" in a general assembly, read from the roll's count less
the turnout, equals the voters counted one by one against the votes, after every way a vote or a
voter can change — a vote cast, changed, withdrawn; a voter who becomes an observer, comes back,
or leaves; votes written in bulk or past the code."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dualpower.assemblies import bodies, selectors, services
from dualpower.assemblies.models import Participation, Proposal, Turnout, Vote
from dualpower.assemblies.tests.factories import general, open_proposal, voters
from dualpower.members.models import Membership
from dualpower.members.services import account_delete, role_change
from dualpower.members.tests.factories import membership_of
from dualpower.ops.triggers import insert_triggers

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]


def waiting_counted(proposal: Proposal) -> int:
    """The voters who have not voted, counted one by one (the query the turnout replaces)."""
    voted = (Participation, "membership_id") if proposal.is_secret else (Vote, "voter_id")
    cast = voted[0].objects.filter(proposal=proposal).values(voted[1])
    return bodies.voters_of(proposal.assembly).exclude(pk__in=cast).count()


def agrees(proposal: Proposal) -> None:
    """The turnout's answer equals the count, and the roll's voters equal the roll counted."""
    proposal.refresh_from_db()
    assert selectors.waiting_voters(proposal) == waiting_counted(proposal)
    assert bodies.voters_count(proposal.assembly) == bodies.voters_of(proposal.assembly).count()


@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
def test_waiting_voters_follow_votes_and_voters(community: Any, people: dict[str, Any], secret: bool) -> None:
    assembly = general(community, secret_ballots=secret)
    assert bodies.counted_by_roll(assembly)
    group = voters(community, 4)
    coordinator = membership_of(people["coordinator"], community)
    p = open_proposal(assembly, group[0])
    assert Turnout.objects.filter(proposal=p).exists()
    agrees(p)
    waiting = selectors.waiting_voters(p)
    casts = [services.vote_cast(proposal=p, by=voter, position="agree") for voter in group[:3]]
    assert selectors.waiting_voters(p) == waiting - 3
    agrees(p)
    # Changed (a secret ballot with its receipt): still one vote.
    services.vote_cast(proposal=p, by=group[0], position="abstain", receipt=casts[0].receipt)
    agrees(p)
    # A voter who becomes an observer no longer waits, nor counts among those who voted; back again,
    # their vote counts again.
    role_change(membership=group[1], role=Membership.Role.OBSERVER, by=coordinator, reason="Observes")
    agrees(p)
    role_change(membership=group[1], role=Membership.Role.MEMBER, by=coordinator, reason="Back")
    agrees(p)
    # A voter who leaves takes their vote out of the turnout.
    leaving = group[2].user
    assert leaving is not None
    account_delete(user=leaving, confirm_email=leaving.email)
    agrees(p)
    if not secret:
        services.vote_retract(proposal=p, by=group[0])
        agrees(p)
    assert selectors.waiting_voters(p) == waiting_counted(p) > 0


def test_votes_written_in_bulk_or_past_the_code(community: Any, people: dict[str, Any]) -> None:
    assembly = general(community)
    group = voters(community, 5)
    observer = membership_of(people["observer"], community)
    first = open_proposal(assembly, group[0])
    second = open_proposal(assembly, group[0], title="Paint the hall")
    Vote.objects.bulk_create(
        [Vote(proposal=first, voter=m, position="agree") for m in [*group, observer]]
        + [Vote(proposal=second, voter=m, position="agree") for m in group[:2]]
    )
    agrees(first)
    agrees(second)
    assert Turnout.objects.get(proposal=first).votes == 5  # the observer's vote is not a voter's
    # Several voters change at once, in one statement.
    Membership.objects.filter(pk__in=[m.pk for m in group[:3]]).update(role=Membership.Role.OBSERVER)
    agrees(first)
    agrees(second)
    Membership.objects.filter(pk__in=[m.pk for m in group[:3]]).update(role=Membership.Role.COORDINATOR)
    agrees(first)
    # A vote moved to another proposal, then several withdrawn in one statement.
    Vote.objects.filter(proposal=first, voter=group[4]).update(proposal=second)
    agrees(first)
    agrees(second)
    Vote.objects.filter(proposal__in=[first, second], voter__in=group[:2]).delete()
    agrees(first)
    agrees(second)
    first.delete()
    assert not Turnout.objects.filter(proposal_id=first.pk).exists()


def test_a_restore_holds_the_insert_triggers_off() -> None:
    names = {t.name for t in insert_triggers()}
    assert {
        "assemblies_turnout_opened",
        "assemblies_vote_turnout_cast",
        "assemblies_participation_turnout_cast",
    } <= names


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_turnout_of_proposals_already_there(
    community: Any, people: dict[str, Any]
) -> None:
    assembly = general(community)
    group = voters(community, 3)
    p = open_proposal(assembly, group[0])
    for voter in group:
        services.vote_cast(proposal=p, by=voter, position="agree")
    observer = membership_of(people["observer"], community)
    Vote.objects.create(proposal=p, voter=observer, position="agree")
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("assemblies", "0006_action_result_spec")])
    executor.loader.build_graph()
    executor.migrate(leaves)
    turnout = Turnout.objects.get(proposal=p)
    assert (turnout.votes, turnout.participants) == (3, 0)
    agrees(p)
