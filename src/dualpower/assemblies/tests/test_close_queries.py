"""Closing a vote costs the same number of queries however many voted, and everyone who votes
in the assembly is told the outcome once, by a fan-out after the commit (issue 21)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dualpower.assemblies import services
from dualpower.assemblies.models import Delegation, Proposal
from dualpower.assemblies.tests.factories import after_close, general, open_proposal, voters
from dualpower.members.models import Membership
from dualpower.members.tests.factories import CommunityFactory, make_membership
from dualpower.notifications import tasks
from dualpower.notifications.models import Fanout, Notification

pytestmark = pytest.mark.django_db

KINDS = ["open consent", "open approval", "open with delegation", "secret consent", "secret approval"]


def _vote(kind: str, n: int) -> Proposal:
    """A vote of ``kind`` in a fresh community of ``n`` voters, every one of whom took part."""
    community = CommunityFactory.create()
    assembly = general(
        community, secret_ballots=kind.startswith("secret"), liquid_delegation="delegation" in kind
    )
    people = voters(community, n)
    poll = "approval" in kind
    process, options = ("approval", ["Hall", "Park"]) if poll else ("consent", [])
    p = open_proposal(assembly, people[0], process=process, options=options)
    first = str(p.options.order_by("position").values_list("pk", flat=True).first())
    direct = people[: n // 2 + 1] if "delegation" in kind else people
    for i, m in enumerate(direct):
        if poll:
            services.vote_cast(proposal=p, by=m, choices=[first])
        else:
            services.vote_cast(proposal=p, by=m, position="abstain" if i % 3 else "agree")
    Delegation.objects.bulk_create(
        [Delegation(assembly=assembly, delegator=m, delegate=people[0]) for m in people[len(direct) :]]
    )
    return p


def _close_queries(p: Proposal) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        outcome = services.proposal_close(proposal=p, now=after_close(p))
    return len(queries), outcome


@pytest.mark.db_sensitive
@pytest.mark.parametrize("kind", KINDS)
def test_closing_a_vote_of_200_takes_as_many_queries_as_a_vote_of_5(kind: str) -> None:
    small, small_outcome = _close_queries(_vote(kind, 5))
    large, large_outcome = _close_queries(_vote(kind, 200))
    assert (small_outcome.participants, large_outcome.participants) == (5, 200)
    assert (small_outcome.eligible, large_outcome.eligible) == (5, 200)
    assert small_outcome.passed is True and large_outcome.passed is True, large_outcome.statement
    assert large == small


def test_a_close_writes_one_fan_out_and_no_notification_inside_its_transaction() -> None:
    p = _vote("open consent", 30)
    before = Notification.objects.count()
    services.proposal_close(proposal=p, now=after_close(p))
    assert Notification.objects.count() == before  # the test's transaction never commits
    fanout = Fanout.objects.get(kind="assemblies.outcome")
    assert (fanout.audience, fanout.audience_ref) == ("assemblies.voters", p.assembly_id)
    assert fanout.done_at is None


def test_after_a_close_every_voter_is_told_the_outcome_once_and_a_second_run_tells_nobody(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "FANOUT_CHUNK", 7)  # several chunks, and a last one part full
    p = _vote("open consent", 40)
    community = p.assembly.community
    observer = make_membership(community, role=Membership.Role.OBSERVER)
    elsewhere = make_membership(CommunityFactory.create())
    eligible = set(
        Membership.objects.filter(community=community, status="active", role__in=["member", "coordinator"])
        .exclude(user=None)
        .values_list("user_id", flat=True)
    )
    assert len(eligible) == 40
    with django_capture_on_commit_callbacks(execute=True):  # the job runs once the close commits
        services.proposal_close(proposal=p, now=after_close(p))
    told = list(Notification.objects.filter(kind="assemblies.outcome").values_list("user_id", flat=True))
    assert sorted(told) == sorted(eligible)  # each voter once; not the observer, nobody elsewhere
    assert observer.user_id not in told and elsewhere.user_id not in told
    fanout = Fanout.objects.get(kind="assemblies.outcome")
    assert fanout.done_at is not None and fanout.last_user_id == max(eligible)
    note = Notification.objects.filter(kind="assemblies.outcome").first()
    assert note is not None and note.url == p.get_absolute_url()
    assert note.title_msgid == "A proposal was decided in %(a)s"  # translated when read
    assert p.assembly.name == "General assembly"  # the name the node gave: read in the reader's language
    assert note.params["title"]["values"] == {"a": {"text": {"msgid": "General assembly"}}}
    assert tasks.fanout_run.call(fanout.pk) == 0
    fanout.done_at = None  # even a fan-out that was never marked done carries on from its place
    fanout.save(update_fields=["done_at"])
    assert tasks.fanout_run.call(fanout.pk) == 0
    assert Notification.objects.filter(kind="assemblies.outcome").count() == 40


def test_a_fan_out_stopped_half_way_carries_on_without_telling_anyone_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tasks, "FANOUT_CHUNK", 4)
    p = _vote("open consent", 10)
    services.proposal_close(proposal=p, now=after_close(p))
    fanout = Fanout.objects.get(kind="assemblies.outcome")
    assert tasks.fanout_step(fanout.pk) == 4  # the worker stops here (a crash, a restart)
    assert tasks.fanout_run.call(fanout.pk) == 6
    told = list(Notification.objects.filter(kind="assemblies.outcome").values_list("user_id", flat=True))
    assert len(told) == len(set(told)) == 10


def test_the_outcome_of_a_vote_closed_while_notifications_are_held_tells_nobody() -> None:
    from dualpower.assemblies import notify

    p = _vote("open consent", 3)
    with notify.held():
        services.proposal_close(proposal=p, now=after_close(p))
    assert not Fanout.objects.filter(kind="assemblies.outcome").exists()
