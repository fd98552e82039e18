"""Taking part in a deliberation: statements, votes, moderation, closing, starting a proposal."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.assemblies.models import Proposal
from dualpower.community.models import AuditEntry
from dualpower.deliberation import services
from dualpower.deliberation.models import Deliberation, Participant, StartedProposal, Statement, Vote
from dualpower.deliberation.tests.factories import make_deliberation, statement
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db


def test_opening_puts_the_seed_statements_up_in_order(community: Any) -> None:
    deliberation = make_deliberation(community)
    assert list(deliberation.statements.values_list("number", "is_seed", "state")) == [
        (1, True, "accepted"),
        (2, True, "accepted"),
        (3, True, "accepted"),
    ]
    assert AuditEntry.objects.filter(action="deliberation.open").count() == 1


def test_a_statement_over_140_characters_is_refused_with_a_sentence(community: Any) -> None:
    deliberation = make_deliberation(community)
    mara = make_membership(community, name="Mara")
    with pytest.raises(InvalidInput) as refused:
        services.statement_add(deliberation=deliberation, by=mara, text="x" * 141)
    assert "140" in str(refused.value.detail)
    assert deliberation.statements.count() == 3


def test_the_same_statement_twice_is_refused(community: Any) -> None:
    deliberation = make_deliberation(community)
    mara = make_membership(community, name="Mara")
    with pytest.raises(Conflict):
        services.statement_add(deliberation=deliberation, by=mara, text="the lot should GROW food.")


def test_an_author_agrees_with_their_own_statement(community: Any) -> None:
    deliberation = make_deliberation(community)
    mara = make_membership(community, name="Mara")
    made = services.statement_add(deliberation=deliberation, by=mara, text="Ask the neighbours first.")
    assert made.number == 4
    vote = Vote.objects.get(statement=made)
    assert vote.value == Vote.Value.AGREE and vote.participant.membership == mara


def test_a_later_vote_replaces_the_earlier_one(community: Any) -> None:
    deliberation = make_deliberation(community)
    mara = make_membership(community, name="Mara")
    first = statement(deliberation, 1)
    services.vote_cast(statement=first, by=mara, value="agree")
    services.vote_cast(statement=first, by=mara, value="disagree")
    assert list(Vote.objects.filter(statement=first).values_list("value", flat=True)) == [Vote.Value.DISAGREE]
    deliberation.refresh_from_db()
    assert deliberation.votes_seen == 2 and deliberation.participants_count == 1


def test_participants_are_numbered_in_the_order_they_arrive(community: Any) -> None:
    deliberation = make_deliberation(community)
    for name in ("A", "B", "C"):
        services.vote_cast(
            statement=statement(deliberation, 1), by=make_membership(community, name=name), value="pass"
        )
    assert list(Participant.objects.filter(deliberation=deliberation).values_list("number", flat=True)) == [
        1,
        2,
        3,
    ]


def test_a_vote_on_a_statement_taken_out_is_refused_and_nothing_written(community: Any) -> None:
    deliberation = make_deliberation(community)
    facilitator = deliberation.opened_by
    assert facilitator is not None
    first = statement(deliberation, 1)
    services.statement_moderate(statement=first, by=facilitator, decision="reject", reason="Off topic")
    with pytest.raises(Conflict) as refused:
        services.vote_cast(statement=first, by=make_membership(community, name="Mara"), value="agree")
    assert "taken out" in str(refused.value.detail)
    assert not Vote.objects.filter(statement=first).exists()


def test_a_rejection_needs_a_reason(community: Any) -> None:
    deliberation = make_deliberation(community)
    by = deliberation.opened_by
    assert by is not None
    with pytest.raises(InvalidInput):
        services.statement_moderate(statement=statement(deliberation, 1), by=by, decision="reject")


def test_a_duplicate_points_to_the_statement_it_repeats(community: Any) -> None:
    deliberation = make_deliberation(community)
    by = deliberation.opened_by
    assert by is not None
    kept = services.statement_moderate(
        statement=statement(deliberation, 3),
        by=by,
        decision="duplicate",
        duplicate_of=statement(deliberation, 1),
    )
    assert kept.state == Statement.State.REJECTED and kept.duplicate_of_id == statement(deliberation, 1).pk
    assert "1" in kept.reason


def test_under_moderation_before_a_statement_waits_for_a_facilitator(community: Any) -> None:
    deliberation = make_deliberation(community, moderation=Deliberation.Moderation.BEFORE)
    made = services.statement_add(
        deliberation=deliberation, by=make_membership(community, name="Mara"), text="Plant fruit trees."
    )
    assert made.state == Statement.State.PENDING
    with pytest.raises(Conflict):
        services.vote_cast(statement=made, by=make_membership(community, name="Ren"), value="agree")


def test_someone_who_does_not_vote_in_the_assembly_cannot_take_part(community: Any) -> None:
    deliberation = make_deliberation(community)
    observer = make_membership(community, name="Observer", role=Membership.Role.OBSERVER)
    with pytest.raises(PermissionDenied):
        services.vote_cast(statement=statement(deliberation, 1), by=observer, value="agree")
    with pytest.raises(PermissionDenied):
        services.statement_add(deliberation=deliberation, by=observer, text="Hello")


def test_a_closed_deliberation_takes_no_more_votes(community: Any) -> None:
    deliberation = make_deliberation(community)
    services.deliberation_close(deliberation=deliberation, by=deliberation.opened_by)  # type: ignore[arg-type]  # opened_by is set
    deliberation.refresh_from_db()
    with pytest.raises(Conflict):
        services.vote_cast(
            statement=statement(deliberation, 1), by=make_membership(community, name="M"), value="agree"
        )


def test_a_bad_vote_value_is_refused(community: Any) -> None:
    deliberation = make_deliberation(community)
    with pytest.raises(InvalidInput):
        services.vote_cast(
            statement=statement(deliberation, 1), by=make_membership(community, name="M"), value="maybe"
        )


def test_a_proposal_started_from_statements_goes_to_the_assembly_and_links_back(community: Any) -> None:
    deliberation = make_deliberation(community)
    by = deliberation.opened_by
    assert by is not None
    chosen = [statement(deliberation, 3)]
    proposal = services.proposal_start(
        deliberation=deliberation,
        by=by,
        statements=chosen,
        title="Keep the lot",
        body="The city must not sell it.",
    )
    assert proposal.assembly == deliberation.assembly and proposal.state != Proposal.State.DRAFT
    link = StartedProposal.objects.get(proposal=proposal)
    assert link.deliberation == deliberation and link.statements == [3]


def test_a_proposal_needs_statements_of_this_deliberation(community: Any) -> None:
    deliberation = make_deliberation(community)
    other = make_deliberation(community)
    by = deliberation.opened_by
    assert by is not None
    with pytest.raises(InvalidInput):
        services.proposal_start(deliberation=deliberation, by=by, statements=[], title="T", body="B")
    with pytest.raises(InvalidInput):
        services.proposal_start(
            deliberation=deliberation, by=by, statements=[statement(other, 1)], title="T", body="B"
        )
    assert not Proposal.objects.exists()
