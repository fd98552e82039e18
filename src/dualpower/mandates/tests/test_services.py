"""Seating, recalling and instructing delegates, through the services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from dualpower.assemblies import bodies
from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.mandates import services
from dualpower.mandates.jobs import expire_seats
from dualpower.mandates.models import DelegateSeat, Mandate
from dualpower.mandates.tests.factories import World, council_proposal

pytestmark = pytest.mark.django_db


def test_seated_delegates_are_the_spokescouncils_voters(world: World) -> None:
    assert not bodies.voters_of(world.council).exists()
    services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    services.delegates_seat(sending=world.general, receiving=world.council, memberships=[world.cai])
    assert set(bodies.voters_of(world.council)) == {world.ana, world.cai}
    assert bodies.is_voter(world.council, world.ana)
    assert not bodies.is_voter(world.council, world.ben)
    assert AuditEntry.objects.filter(action="delegate.seat").count() == 2


def test_a_delegate_must_belong_to_the_sending_assembly(world: World) -> None:
    with pytest.raises(InvalidInput, match="Cai is not a member of Housing group"):
        services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.cai])
    assert not DelegateSeat.objects.exists()


@pytest.mark.parametrize(
    "case", ["to_itself", "to_a_general_assembly", "from_a_spokescouncil", "nobody", "twice"]
)
def test_bad_seatings_are_refused_and_write_nothing(world: World, case: str) -> None:
    args: dict[str, Any] = {"sending": world.housing, "receiving": world.council, "memberships": [world.ana]}
    if case == "to_itself":
        args.update(receiving=world.housing)
    elif case == "to_a_general_assembly":
        args.update(receiving=world.general)
    elif case == "from_a_spokescouncil":
        args.update(sending=world.council, receiving=world.council)
    elif case == "nobody":
        args.update(memberships=[])
    else:
        args.update(memberships=[world.ana, world.ana])
    with pytest.raises(InvalidInput):
        services.delegates_seat(**args)
    assert not DelegateSeat.objects.exists()


def test_a_person_holds_one_seat_in_a_council_at_a_time(world: World) -> None:
    services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    with pytest.raises(Conflict, match="already holds a seat"):
        services.delegates_seat(sending=world.general, receiving=world.council, memberships=[world.ana])
    assert DelegateSeat.objects.count() == 1


def test_a_new_delegation_replaces_the_old_one_when_asked(world: World) -> None:
    services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    services.delegates_seat(
        sending=world.housing,
        receiving=world.council,
        memberships=[world.ben],
        replace=True,
        decision_ref="proposal:9",
    )
    ana_seat = DelegateSeat.objects.get(membership=world.ana)
    assert ana_seat.status == DelegateSeat.Status.REPLACED
    assert ana_seat.ended_by_ref == "proposal:9"
    assert set(bodies.voters_of(world.council)) == {world.ben}


def test_recall_only_by_the_sending_assembly(world: World) -> None:
    [seat] = services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    with pytest.raises(PermissionDenied, match="Only Housing group"):
        services.seat_recall(seat=seat, decision_ref="proposal:1", by_assembly_id=world.general.pk)
    seat.refresh_from_db()
    assert seat.status == DelegateSeat.Status.SEATED
    services.seat_recall(seat=seat, decision_ref="proposal:2", by_assembly_id=world.housing.pk)
    seat.refresh_from_db()
    assert seat.status == DelegateSeat.Status.RECALLED
    assert not bodies.is_voter(world.council, world.ana)
    with pytest.raises(Conflict):
        services.seat_recall(seat=seat, decision_ref="proposal:3", by_assembly_id=world.housing.pk)


def test_terms_end_by_the_clock_once(world: World) -> None:
    soon = timezone.now() + timedelta(days=30)
    [seat] = services.delegates_seat(
        sending=world.housing, receiving=world.council, memberships=[world.ana], ends_at=soon
    )
    assert expire_seats(soon - timedelta(minutes=1)) == ""
    assert "1 delegate term" in expire_seats(soon + timedelta(minutes=1))
    assert expire_seats(soon + timedelta(minutes=2)) == ""
    seat.refresh_from_db()
    assert seat.status == DelegateSeat.Status.EXPIRED


def test_a_term_must_end_after_it_starts(world: World) -> None:
    with pytest.raises(InvalidInput, match="term must end after"):
        services.delegates_seat(
            sending=world.housing,
            receiving=world.council,
            memberships=[world.ana],
            ends_at=timezone.now() - timedelta(days=1),
        )
    assert not DelegateSeat.objects.exists()


def test_a_draft_binds_nobody_until_a_decision_puts_it_in_force(world: World) -> None:
    services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    proposal = council_proposal(world, world.ana)
    draft = services.mandate_draft(
        sending=world.housing,
        proposal=proposal,
        position="for",
        note="Only with the repair fund",
        by=world.coordinator,
    )
    assert draft.status == Mandate.Status.DRAFT
    again = services.mandate_draft(
        sending=world.housing, proposal=proposal, position="against", by=world.coordinator
    )
    assert again.pk == draft.pk and again.position == "against"
    mandate = services.mandate_set(
        sending=world.housing, proposal=proposal, position="for", decision_ref="proposal:77"
    )
    assert mandate.pk == draft.pk
    assert mandate.status == Mandate.Status.IN_FORCE
    later = services.mandate_set(
        sending=world.housing, proposal=proposal, position="free", decision_ref="proposal:78"
    )
    assert Mandate.objects.get(pk=mandate.pk).status == Mandate.Status.SUPERSEDED
    assert later.status == Mandate.Status.IN_FORCE


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"position": "maybe"}, "vote for, vote against, or free"),
        ({"note": "x" * 2001}, "at most 2000"),
        ({"expires_at": "past"}, "expire in the future"),
        ({"sending": "general"}, "has no delegates in Spokescouncil"),
    ],
)
def test_bad_mandates_are_refused_and_write_nothing(world: World, change: dict, message: str) -> None:
    services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    proposal = council_proposal(world, world.ana)
    args: dict[str, Any] = {
        "sending": world.housing,
        "proposal": proposal,
        "position": "for",
        "note": "",
        "expires_at": None,
    }
    args.update(change)
    if change.get("expires_at") == "past":
        args["expires_at"] = timezone.now() - timedelta(hours=1)
    if change.get("sending") == "general":
        args["sending"] = world.general
    with pytest.raises(InvalidInput, match=message):
        services.mandate_draft(by=world.coordinator, **args)
    assert not Mandate.objects.exists()


def test_no_mandate_on_a_proposal_outside_a_spokescouncil(world: World) -> None:
    from dualpower.assemblies.services import proposal_create

    services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    elsewhere = proposal_create(
        assembly=world.general, by=world.member, title="Paint the hall", process="majority"
    )
    with pytest.raises(InvalidInput, match="proposals of a spokescouncil"):
        services.mandate_draft(
            sending=world.housing, proposal=elsewhere, position="for", by=world.coordinator
        )
    assert not Mandate.objects.exists()


@pytest.mark.parametrize(
    ("position", "vote", "against"),
    [
        ("for", "agree", False),
        ("for", "yes", False),
        ("for", "disagree", True),
        ("for", "abstain", True),
        ("for", "block", True),
        ("against", "disagree", False),
        ("against", "block", False),
        ("against", "object", False),
        ("against", "agree", True),
        ("against", "stand_aside", True),
        ("free", "agree", False),
        ("free", "disagree", False),
        ("for", None, False),
    ],
)
def test_what_counts_as_voting_against_a_mandate(position: str, vote: str | None, against: bool) -> None:
    assert services.breaches(position, vote) is against
