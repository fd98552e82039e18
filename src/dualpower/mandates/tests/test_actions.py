"""Decisions that seat, recall and instruct delegates: through the assemblies app, end to end,
and through hand-made decisions for the refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dualpower.assemblies import actions
from dualpower.assemblies.models import Proposal
from dualpower.assemblies.services import proposal_close, proposal_create, proposal_open_voting, vote_cast
from dualpower.community.models import AuditEntry
from dualpower.errors import InvalidInput, PermissionDenied
from dualpower.groups.models import GroupMembership
from dualpower.mandates import selectors, services
from dualpower.mandates.jobs import flag_breaches
from dualpower.mandates.models import DelegateSeat, Mandate, MandateBreach
from dualpower.mandates.tests.factories import World, council_proposal
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db


def decision(
    world: World, assembly_id: int, *, elected: tuple[int, ...] = (), proposal_id: int = 1
) -> actions.Decision:
    return actions.Decision(
        ref=actions.decision_ref(proposal_id),
        community=world.community,
        assembly_id=assembly_id,
        proposal_id=proposal_id,
        title="A decision",
        elected_memberships=elected,
    )


def run(key: str, world: World, params: dict, dec: actions.Decision) -> str:
    kind = actions.get(key)
    return str(
        kind.run(community=world.community, params=kind.validate(world.community, params), decision=dec)
    )


def test_an_stv_election_seats_the_elected_delegates(world: World) -> None:
    assert world.housing.working_group is not None
    GroupMembership.objects.create(group=world.housing.working_group, membership=world.cai)
    election = proposal_create(
        assembly=world.housing,
        by=world.ana,
        title="Our delegates to the spokescouncil",
        process="stv",
        seats=2,
        options=[{"membership": p.pk} for p in (world.ana, world.ben, world.cai)],
        actions=[{"kind": "mandates.seat_delegates", "params": {"receiving": world.council.pk, "seats": 2}}],
    )
    proposal_open_voting(proposal=election, by=world.ana)
    option = {o.membership_id: str(o.pk) for o in election.options.all()}
    vote_cast(proposal=election, by=world.ana, choices=[option[world.ana.pk], option[world.ben.pk]])
    vote_cast(proposal=election, by=world.ben, choices=[option[world.ben.pk], option[world.ana.pk]])
    vote_cast(proposal=election, by=world.cai, choices=[option[world.ana.pk], option[world.cai.pk]])
    proposal_close(proposal=election, now=timezone.now() + timedelta(days=30))
    seats = DelegateSeat.objects.filter(status="seated")
    assert {s.membership for s in seats} == {world.ana, world.ben}
    assert {s.decision_ref for s in seats} == {f"proposal:{election.pk}"}
    assert all(s.elected_by_id == election.pk and s.sending == world.housing for s in seats)
    entry = AuditEntry.objects.filter(action="delegate.seat").first()
    assert entry is not None and entry.decision_ref == f"proposal:{election.pk}"


def test_a_failing_seat_action_changes_nothing(world: World) -> None:
    # Cai stands but is not in the housing group, so cannot be its delegate: the action fails
    # when the election closes, and nobody is seated.
    election = proposal_create(
        assembly=world.housing,
        by=world.ana,
        title="Our delegates",
        process="stv",
        seats=2,
        options=[{"membership": p.pk} for p in (world.ana, world.cai, world.ben)],
        actions=[{"kind": "mandates.seat_delegates", "params": {"receiving": world.council.pk, "seats": 2}}],
    )
    proposal_open_voting(proposal=election, by=world.ana)
    option = {o.membership_id: str(o.pk) for o in election.options.all()}
    vote_cast(proposal=election, by=world.ana, choices=[option[world.ana.pk], option[world.cai.pk]])
    vote_cast(proposal=election, by=world.ben, choices=[option[world.cai.pk], option[world.ana.pk]])
    outcome = proposal_close(proposal=election, now=timezone.now() + timedelta(days=30))
    assert set(outcome.elected_memberships) == {world.ana.pk, world.cai.pk}
    assert outcome.actions_status == "failed"
    assert "Cai is not a member of Housing group" in outcome.actions_error
    assert not DelegateSeat.objects.exists()


def test_replacing_a_delegation_by_decision(world: World) -> None:
    services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    dec = decision(world, world.housing.pk, elected=(world.ben.pk,), proposal_id=5)
    summary = run(
        "mandates.seat_delegates", world, {"receiving": world.council.pk, "seats": 1, "replace": True}, dec
    )
    assert "Ben" in str(summary)
    assert DelegateSeat.objects.get(membership=world.ana).status == "replaced"
    assert DelegateSeat.objects.get(membership=world.ben).decision_ref == "proposal:5"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"seats": 1}, "receiving"),
        ({"receiving": 0, "seats": 1}, "receiving"),
        ({"receiving": "council", "seats": 1}, "receiving"),
        ({"receiving": "GENERAL", "seats": 1}, "receiving"),
        ({"receiving": "COUNCIL", "seats": 0}, "seats"),
        ({"receiving": "COUNCIL", "seats": 1, "replace": "yes"}, "replace"),
        ({"receiving": "COUNCIL", "seats": 1, "ends_at": "next spring"}, "ends_at"),
    ],
)
def test_bad_seat_params_are_refused(world: World, params: dict, field: str) -> None:
    params = {
        k: {"COUNCIL": world.council.pk, "GENERAL": world.general.pk}.get(v, v) for k, v in params.items()
    }
    with pytest.raises(InvalidInput) as error:
        actions.get("mandates.seat_delegates").validate(world.community, params)
    assert error.value.field == field


def test_only_the_sending_assembly_recalls_by_decision(world: World) -> None:
    [seat] = services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    with pytest.raises(PermissionDenied, match="Only Housing group"):
        run("mandates.recall", world, {"seat": seat.pk}, decision(world, world.general.pk))
    assert DelegateSeat.objects.get(pk=seat.pk).status == "seated"
    run("mandates.recall", world, {"seat": seat.pk}, decision(world, world.housing.pk, proposal_id=8))
    seat.refresh_from_db()
    assert (seat.status, seat.ended_by_ref) == ("recalled", "proposal:8")
    with pytest.raises(InvalidInput, match="no longer holds"):
        actions.get("mandates.recall").validate(world.community, {"seat": seat.pk})


def test_a_recall_of_another_communitys_seat_is_refused(world: World, other_community: object) -> None:
    with pytest.raises(InvalidInput, match="no such delegate seat"):
        actions.get("mandates.recall").validate(other_community, {"seat": 1})  # type: ignore[arg-type]  # the fixture is typed object


def test_a_mandate_by_decision_then_a_vote_against_it_is_flagged_once(world: World) -> None:
    services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    services.delegates_seat(sending=world.general, receiving=world.council, memberships=[world.cai])
    proposal = council_proposal(world, world.ana)
    run(
        "mandates.set_mandate",
        world,
        {"proposal": proposal.pk, "position": "for", "note": "We agreed at the housing meeting."},
        decision(world, world.housing.pk, proposal_id=11),
    )
    mandate = Mandate.objects.get()
    assert (mandate.status, mandate.decision_ref) == ("in_force", "proposal:11")
    proposal_open_voting(proposal=proposal, by=world.ana)
    vote_cast(proposal=proposal, by=world.ana, position="disagree")
    vote_cast(proposal=proposal, by=world.cai, position="disagree")

    rows = {row.seat.membership.display_name: row for row in selectors.mandates_for_proposal(proposal)}
    assert rows["Ana"].against_mandate and rows["Ana"].vote == "disagree"
    assert not rows["Cai"].against_mandate and rows["Cai"].mandate is None

    before = Notification.objects.filter(kind="mandates.breach").count()
    assert "1 vote" in flag_breaches(timezone.now())
    assert flag_breaches(timezone.now()) == ""
    breach = MandateBreach.objects.get()
    assert (breach.seat.membership, breach.vote) == (world.ana, "disagree")
    told = set(Notification.objects.filter(kind="mandates.breach").values_list("user_id", flat=True))
    assert Notification.objects.filter(kind="mandates.breach").count() - before == 2
    assert told == {world.ana.user_id, world.ben.user_id}


def test_a_vote_that_follows_the_mandate_is_not_flagged(world: World) -> None:
    services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    proposal = council_proposal(world, world.ana)
    services.mandate_set(
        sending=world.housing, proposal=proposal, position="against", decision_ref="proposal:3"
    )
    proposal_open_voting(proposal=proposal, by=world.ana)
    vote_cast(proposal=proposal, by=world.ana, position="disagree")
    assert flag_breaches(timezone.now()) == ""
    assert not MandateBreach.objects.exists()


def test_a_mandate_that_expired_before_the_vote_binds_nobody(world: World) -> None:
    services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    proposal = council_proposal(world, world.ana)
    services.mandate_set(
        sending=world.housing,
        proposal=proposal,
        position="for",
        expires_at=timezone.now() + timedelta(hours=1),
        decision_ref="proposal:3",
    )
    proposal_open_voting(proposal=proposal, by=world.ana, now=timezone.now() + timedelta(hours=2))
    Proposal.objects.filter(pk=proposal.pk).update(voting_opens_at=timezone.now() + timedelta(hours=2))
    vote_cast(proposal=proposal, by=world.ana, position="disagree", now=timezone.now() + timedelta(hours=3))
    assert flag_breaches(timezone.now() + timedelta(hours=3)) == ""
    [row] = selectors.mandates_for_proposal(proposal, now=timezone.now() + timedelta(hours=3))
    assert row.mandate is None and not row.against_mandate


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"position": "for"}, "proposal"),
        ({"proposal": "OTHER", "position": "for"}, "proposal"),
        ({"proposal": "OK", "position": "sideways"}, "position"),
        ({"proposal": "OK", "position": "for", "note": 5}, "note"),
        ({"proposal": "OK", "position": "for", "expires_at": 20261231}, "expires_at"),
    ],
)
def test_bad_mandate_params_are_refused(world: World, params: dict, field: str) -> None:
    services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    proposal = council_proposal(world, world.ana)
    other = proposal_create(assembly=world.general, by=world.member, title="Elsewhere", process="majority")
    params = {
        k: {"OK": proposal.pk, "OTHER": other.pk}.get(v, v) if isinstance(v, str) else v
        for k, v in params.items()
    }
    with pytest.raises(InvalidInput) as error:
        actions.get("mandates.set_mandate").validate(world.community, params)
    assert error.value.field == field


def test_every_action_describes_itself(world: World) -> None:
    [seat] = services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    proposal = council_proposal(world, world.ana)
    describe = {k.key: k.describe for k in actions.kinds() if k.key.startswith("mandates.") and k.describe}
    assert "Spokescouncil" in describe["mandates.seat_delegates"](
        world.community, {"receiving": world.council.pk, "seats": 2}
    )
    assert "Ana" in describe["mandates.recall"](world.community, {"seat": seat.pk})
    assert proposal.title in describe["mandates.set_mandate"](
        world.community, {"proposal": proposal.pk, "position": "for"}
    )
