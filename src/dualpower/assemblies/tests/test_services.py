"""The life of a proposal, the decision processes, and outcomes."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.assemblies import processes, services
from dualpower.assemblies.jobs import windows
from dualpower.assemblies.models import Amendment, Outcome, Proposal, Vote
from dualpower.assemblies.tests.factories import after_close, general, later, open_proposal, voters
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.tests.factories import membership_of
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_every_process_is_described_for_organisers() -> None:
    assert set(processes.PROCESSES) >= {
        "advice",
        "consent",
        "consensus",
        "modified_consensus",
        "majority",
        "supermajority",
        "approval",
        "score",
        "ranked",
        "stv",
        "dot",
        "time",
    }
    for p in processes.PROCESSES.values():
        assert str(p.label) and len(str(p.description)) > 30
        assert (p.rule is not None) == (p.shape == "positions")


def test_a_policy_share_is_the_fraction_members_meant() -> None:
    from decimal import Decimal
    from fractions import Fraction

    assert processes.fraction(Decimal("0.6667")) == Fraction(2, 3)
    assert processes.fraction(Decimal("0.75")) == Fraction(3, 4)
    assert processes.fraction(Decimal("0")) is None


def test_a_proposal_goes_from_discussion_to_voting_to_an_outcome_on_the_clock(
    people: Any, community: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assembly = general(community, discussion_days=2, voting_days=3)
    mara = membership_of(people["member"], community)
    start = later()
    p = services.proposal_create(
        assembly=assembly, by=mara, title="Paint the hall", process="majority", now=start
    )
    assert p.state == Proposal.State.DISCUSSION
    assert windows(later(1)) == "opened 0, closed 0, reminded 0"
    with django_capture_on_commit_callbacks(execute=True):  # voters are told after the commit
        assert "opened 1" in windows(later(2, minutes=1))
    p.refresh_from_db()
    assert p.state == Proposal.State.VOTING
    assert Notification.objects.filter(kind="assemblies.vote_open").count() == 2  # Mara and Cato
    services.vote_cast(proposal=p, by=mara, position="agree")
    with django_capture_on_commit_callbacks(execute=True):  # reminders fan out after the commit
        assert "reminded 1" in windows(later(3, hours=1))
        assert "reminded 0" in windows(later(3, hours=2))  # once
    reminded = Notification.objects.filter(kind="assemblies.vote_closing")
    assert [n.user_id for n in reminded] == [people["coordinator"].pk]  # only who has not voted
    with django_capture_on_commit_callbacks(execute=True):  # the outcome is told after the commit
        assert "closed 1" in windows(after_close(p))
    p.refresh_from_db()
    assert p.state == Proposal.State.CLOSED
    outcome = p.outcome
    assert outcome.passed is True and outcome.participants == 1 and outcome.eligible == 2
    assert outcome.rule["kind"] == "majority" and outcome.tally["counts"]["agree"] == 1
    assert Notification.objects.filter(kind="assemblies.outcome").count() == 2
    assert windows(after_close(p)) == "opened 0, closed 0, reminded 0"  # idempotent


def test_a_block_stops_a_consensus_decision(people: Any, community: Any) -> None:
    assembly = general(community)
    mara, cato = membership_of(people["member"], community), membership_of(people["coordinator"], community)
    p = open_proposal(assembly, mara, process="consensus")
    services.vote_cast(proposal=p, by=mara, position="agree")
    with pytest.raises(InvalidInput, match="reason"):
        services.vote_cast(proposal=p, by=cato, position="block")
    services.vote_cast(proposal=p, by=cato, position="block", reason="It breaks our safety agreement.")
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert outcome.passed is False
    assert "block" in outcome.statement.lower()


def test_a_position_the_rule_does_not_have_is_refused(people: Any, community: Any) -> None:
    mara = membership_of(people["member"], community)
    p = open_proposal(general(community), mara, process="majority")
    with pytest.raises(InvalidInput, match="Choose one of"):
        services.vote_cast(proposal=p, by=mara, position="block", reason="no")
    assert not Vote.objects.exists()


def test_modified_consensus_falls_back_to_a_supermajority(people: Any, community: Any) -> None:
    assembly = general(community)
    group = voters(community, 3)
    mara = membership_of(people["member"], community)
    p = open_proposal(assembly, mara, process="modified_consensus")
    for m in [*group, mara]:
        services.vote_cast(proposal=p, by=m, position="agree")
    services.vote_cast(
        proposal=p, by=membership_of(people["coordinator"], community), position="block", reason="Too fast."
    )
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert outcome.passed is True  # 4 of 5 ≥ 2/3
    assert outcome.tally["stage"] == "fallback"


def test_quorum_not_met_means_no_decision(people: Any, community: Any) -> None:
    from decimal import Decimal

    assembly = general(community, quorum=Decimal("0.5"))
    voters(community, 4)
    mara = membership_of(people["member"], community)
    p = open_proposal(assembly, mara, process="majority")
    services.vote_cast(proposal=p, by=mara, position="agree")
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert outcome.passed is False and outcome.quorum_met is False and outcome.quorum_needed == 3


def test_voting_twice_replaces_the_first_vote(people: Any, community: Any) -> None:
    mara = membership_of(people["member"], community)
    p = open_proposal(general(community), mara, process="majority")
    services.vote_cast(proposal=p, by=mara, position="agree")
    cast = services.vote_cast(proposal=p, by=mara, position="disagree")
    assert cast.replaced
    assert list(Vote.objects.values_list("position", flat=True)) == ["disagree"]


def test_voting_after_close_is_refused(people: Any, community: Any) -> None:
    mara = membership_of(people["member"], community)
    p = open_proposal(general(community), mara, process="majority")
    with pytest.raises(Conflict, match="closed"):
        services.vote_cast(proposal=p, by=mara, position="agree", now=after_close(p))
    services.proposal_close(proposal=p, now=after_close(p))
    with pytest.raises(Conflict, match="closed"):
        services.vote_cast(proposal=p, by=mara, position="agree")
    assert not Vote.objects.exists()


def test_an_approval_poll_picks_the_most_approved(people: Any, community: Any) -> None:
    mara, cato = membership_of(people["member"], community), membership_of(people["coordinator"], community)
    p = open_proposal(general(community), mara, process="approval", options=["Park", "Hall", "Library"])
    ids = {o.label: str(o.pk) for o in p.options.all()}
    services.vote_cast(proposal=p, by=mara, choices=[ids["Park"], ids["Hall"]])
    services.vote_cast(proposal=p, by=cato, choices=[ids["Hall"]])
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert outcome.winners == ["Hall"] and outcome.tally["rule"] == "approval"


def test_a_dot_vote_keeps_to_the_dots_each_member_has(people: Any, community: Any) -> None:
    mara = membership_of(people["member"], community)
    p = open_proposal(general(community), mara, process="dot", dots=3, options=["Garden", "Kitchen"])
    ids = [str(o.pk) for o in p.options.all()]
    with pytest.raises(InvalidInput, match="3 dots"):
        services.vote_cast(proposal=p, by=mara, choices={ids[0]: 2, ids[1]: 2})
    services.vote_cast(proposal=p, by=mara, choices={ids[0]: 1, ids[1]: 2})
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert outcome.winners == ["Kitchen"]


def test_an_stv_election_fills_elected_memberships(people: Any, community: Any) -> None:
    group = voters(community, 5)
    mara = membership_of(people["member"], community)
    cands = group[:3]
    p = open_proposal(
        general(community), mara, process="stv", seats=2, options=[{"membership": c.pk} for c in cands]
    )
    opt = {o.membership_id: str(o.pk) for o in p.options.all()}
    for i, voter in enumerate(group):
        first = cands[0] if i < 3 else cands[1]
        services.vote_cast(proposal=p, by=voter, choices=[opt[first.pk], opt[cands[2].pk]])
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert set(outcome.elected_memberships) == {cands[0].pk, cands[1].pk}
    assert outcome.tally["rule"] == "scottish-stv"


def test_ranked_choice_with_one_seat_uses_instant_runoff(people: Any, community: Any) -> None:
    mara = membership_of(people["member"], community)
    p = open_proposal(general(community), mara, process="ranked", options=["A", "B", "C"])
    ids = [str(o.pk) for o in p.options.all()]
    services.vote_cast(proposal=p, by=mara, choices=[ids[2], ids[0]])
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert outcome.winners == ["C"] and outcome.tally["rule"] == "irv"


def test_a_time_poll_needs_dates(people: Any, community: Any) -> None:
    mara = membership_of(people["member"], community)
    with pytest.raises(InvalidInput, match="date"):
        services.proposal_create(
            assembly=general(community), by=mara, title="When?", process="time", options=["soon", "later"]
        )
    assert not Proposal.objects.exists()
    p = open_proposal(
        general(community),
        mara,
        process="time",
        options=[{"starts_at": later(7).isoformat()}, {"starts_at": later(8).isoformat()}],
    )
    last = p.options.last()
    assert last is not None
    services.vote_cast(proposal=p, by=mara, choices=[str(last.pk)])
    assert services.proposal_close(proposal=p, now=after_close(p)).passed is True


def test_the_advice_process_ends_with_the_authors_decision(people: Any, community: Any) -> None:
    mara, cato = membership_of(people["member"], community), membership_of(people["coordinator"], community)
    p = open_proposal(general(community), mara, process="advice")
    services.vote_cast(proposal=p, by=cato, position="disagree", reason="Ask the food group first.")
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert outcome.passed is None
    with pytest.raises(PermissionDenied):
        services.advice_decide(proposal=p, by=cato, go_ahead=True, decision="yes")
    outcome = services.advice_decide(proposal=p, by=mara, go_ahead=True, decision="Asked them; going ahead.")
    assert outcome.passed is True and outcome.author_decision.startswith("Asked")
    with pytest.raises(Conflict):
        services.advice_decide(proposal=p, by=mara, go_ahead=False, decision="changed my mind")


def test_the_author_accepts_an_amendment(people: Any, community: Any) -> None:
    mara, cato = membership_of(people["member"], community), membership_of(people["coordinator"], community)
    p = services.proposal_create(assembly=general(community), by=mara, title="Hours", body="Open at 9.")
    a = services.amendment_propose(proposal=p, by=cato, body="Open at 10.", reason="Parents")
    with pytest.raises(PermissionDenied):
        services.amendment_accept(amendment=a, by=cato)
    services.amendment_accept(amendment=a, by=mara)
    p.refresh_from_db()
    assert p.body == "Open at 10."
    with pytest.raises(Conflict):
        services.amendment_accept(amendment=a, by=mara)


def test_a_declined_amendment_can_go_to_its_own_vote_and_win(people: Any, community: Any) -> None:
    mara, cato = membership_of(people["member"], community), membership_of(people["coordinator"], community)
    p = services.proposal_create(
        assembly=general(community), by=mara, title="Hours", body="Open at 9.", process="majority"
    )
    a = services.amendment_propose(proposal=p, by=cato, body="Open at 10.")
    services.amendment_decline(amendment=a, by=mara, to_vote=True)
    a.refresh_from_db()
    vote = a.vote
    assert vote is not None and vote.state == Proposal.State.VOTING and vote.amends_id == p.pk
    services.vote_cast(proposal=vote, by=cato, position="agree")
    windows(after_close(vote))
    p.refresh_from_db()
    a.refresh_from_db()
    assert p.body == "Open at 10." and a.state == Amendment.State.ACCEPTED


def test_comments_are_open_to_voters_and_observers_not_outsiders(
    people: Any, community: Any, other_community: Any
) -> None:
    mara = membership_of(people["member"], community)
    p = services.proposal_create(assembly=general(community), by=mara, title="Hours")
    services.comment_add(proposal=p, by=membership_of(people["observer"], community), body="Could we try it?")
    with pytest.raises(PermissionDenied):
        services.comment_add(proposal=p, by=membership_of(people["outsider"], other_community), body="hi")
    with pytest.raises(InvalidInput):
        services.comment_add(proposal=p, by=mara, body="   ")
    assert p.comments.count() == 1


def test_only_coordinators_propose_when_the_policy_says_so(people: Any, community: Any) -> None:
    assembly = general(community, who_may_propose="coordinators")
    with pytest.raises(PermissionDenied, match="coordinators"):
        services.proposal_create(assembly=assembly, by=membership_of(people["member"], community), title="x")
    services.proposal_create(assembly=assembly, by=membership_of(people["coordinator"], community), title="x")
    assert Proposal.objects.count() == 1


def test_a_room_vote_is_counted_from_the_meeting_only(people: Any, community: Any) -> None:
    from dualpower.assemblies import sources

    mara = membership_of(people["member"], community)
    p = open_proposal(general(community), mara, process="majority", voting_mode="room")
    with pytest.raises(Conflict, match="room"):
        services.vote_cast(proposal=p, by=mara, position="agree")

    def tally(proposal: Any) -> list[sources.OutsideCount]:
        if proposal.pk != p.pk:
            return []
        return [
            sources.OutsideCount("test.room", {"agree": 2}, "Show of hands; teller Ana, witness Ben.", "/m/1")
        ]

    sources.register("test.room", tally)
    try:
        outcome = services.proposal_close(proposal=p, now=after_close(p))
    finally:
        sources._registry.pop("test.room")
    assert outcome.passed is True and outcome.source == "room" and outcome.link == "/m/1"
    assert "teller Ana" in outcome.statement


def test_open_votes_gives_each_voters_position(people: Any, community: Any) -> None:
    from dualpower.assemblies import selectors

    mara = membership_of(people["member"], community)
    p = open_proposal(general(community), mara, process="majority")
    services.vote_cast(proposal=p, by=mara, position="agree")
    assert selectors.open_votes(p) == {mara.pk: "agree"}


def test_outcome_is_recorded_once(people: Any, community: Any) -> None:
    mara = membership_of(people["member"], community)
    p = open_proposal(general(community), mara, process="majority")
    services.proposal_close(proposal=p, now=after_close(p))
    with pytest.raises(Conflict):
        services.proposal_close(proposal=p, now=after_close(p))
    assert Outcome.objects.count() == 1


def test_a_room_count_with_more_hands_than_voters_gives_no_result(people: Any, community: Any) -> None:
    from dualpower.assemblies import sources

    mara = membership_of(people["member"], community)
    p = open_proposal(general(community), mara, process="majority", voting_mode="room")
    sources.register("test.too_many", lambda proposal: [sources.OutsideCount("test", {"agree": 9}, "Hands.")])
    try:
        outcome = services.proposal_close(proposal=p, now=after_close(p))
    finally:
        sources._registry.pop("test.too_many")
    assert outcome.passed is False and "could not be made" in outcome.statement


def test_nobody_is_notified_while_past_records_are_loaded(people: Any, community: Any) -> None:
    from dualpower.assemblies import notify

    with notify.held():
        p = open_proposal(general(community), membership_of(people["member"], community), process="majority")
        services.proposal_close(proposal=p, now=after_close(p))
    assert not Notification.objects.exists()
