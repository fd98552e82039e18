"""The life of a request: matched, confirmed by both, delivered (in part), released, closed."""

from __future__ import annotations

import pytest

from dualpower.aid import services
from dualpower.aid.models import AidMatch, AidRequest
from dualpower.aid.tests.factories import AidWorld, confirmed_match, make_request
from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_request_goes_from_open_to_fulfilled_through_both_confirmations(world: AidWorld) -> None:
    request = make_request(world)
    assert request.status == AidRequest.Status.OPEN
    match = services.match_accept(request=request, volunteer=world.volunteer, offer=world.food_offer)
    request.refresh_from_db()
    assert request.status == AidRequest.Status.MATCHED
    assert request.first_response_at is not None
    assert match.status == AidMatch.Status.PROPOSED
    match = services.match_confirm(match=match, by=world.member)
    assert match.status == AidMatch.Status.CONFIRMED
    services.match_start(match=match, by=world.volunteer)
    request.refresh_from_db()
    assert request.status == AidRequest.Status.IN_PROGRESS
    services.match_deliver(match=match, delivered=2, by=world.volunteer)
    request.refresh_from_db()
    assert request.status == AidRequest.Status.FULFILLED
    assert (request.quantity_committed, request.quantity_delivered) == (2, 2)
    services.match_feedback(match=match, by=world.member, text="Thank you!")
    services.match_feedback(match=match, by=world.volunteer, text="Lovely family")
    match.refresh_from_db()
    assert (match.requester_feedback, match.volunteer_feedback) == ("Thank you!", "Lovely family")


def test_a_partial_delivery_gives_the_rest_back_to_the_request(world: AidWorld) -> None:
    request = make_request(world, quantity=3)
    match = confirmed_match(world, request)
    services.match_deliver(match=match, delivered=1, by=world.volunteer)
    request.refresh_from_db()
    assert request.status == AidRequest.Status.OPEN
    assert (request.quantity, request.quantity_committed, request.quantity_delivered) == (3, 1, 1)
    second = services.match_accept(request=request, volunteer=world.other_volunteer, quantity=2)
    assert second.quantity == 2


def test_a_volunteer_who_releases_a_match_reopens_the_request(world: AidWorld) -> None:
    request = make_request(world)
    match = confirmed_match(world, request)
    services.match_release(match=match, by=world.volunteer, reason="My bike broke")
    request.refresh_from_db()
    assert request.status == AidRequest.Status.OPEN
    assert request.quantity_committed == 0
    assert Notification.objects.filter(user=world.member.user, kind="aid.match").exists()


def test_a_dispatcher_confirms_for_someone_taken_in_by_phone(world: AidWorld) -> None:
    request = services.request_intake(
        community=world.community,
        dispatcher=world.dispatcher,
        contact_channel="phone",
        contact_language="Spanish",
        details={"name": "Rosa", "contact": "+34 600 111 222"},
        category="food",
        description="Food for the week",
        neighbourhood="Riverside",
    )
    assert request.requester is None and request.code
    match = services.match_propose(request=request, volunteer=world.volunteer, by=world.dispatcher)
    services.match_confirm(match=match, by=world.dispatcher)
    match = services.match_confirm(match=match, by=world.volunteer)
    assert match.status == AidMatch.Status.CONFIRMED


def test_only_the_sides_of_a_match_confirm_it(world: AidWorld) -> None:
    request = make_request(world)
    match = services.match_propose(request=request, volunteer=world.volunteer, by=world.dispatcher)
    with pytest.raises(PermissionDenied):
        # A dispatcher does not speak for a member who has an account.
        services.match_confirm(match=match, by=world.dispatcher)
    with pytest.raises(PermissionDenied):
        services.match_confirm(match=match, by=world.other_volunteer)


def test_committing_more_than_requested_is_refused_and_nothing_is_written(world: AidWorld) -> None:
    request = make_request(world, quantity=2)
    audit = AuditEntry.objects.count()
    with pytest.raises(InvalidInput, match="asks for 2"):
        services.match_accept(request=request, volunteer=world.volunteer, quantity=3)
    request.refresh_from_db()
    assert request.quantity_committed == 0 and not request.matches.exists()
    assert AuditEntry.objects.count() == audit


def test_a_second_volunteer_is_told_the_request_is_taken(world: AidWorld) -> None:
    request = make_request(world)
    services.match_accept(request=request, volunteer=world.volunteer)
    with pytest.raises(Conflict, match="already taken"):
        services.match_accept(request=request, volunteer=world.other_volunteer)
    assert request.matches.count() == 1


def test_a_match_on_a_closed_request_is_refused_and_nothing_is_written(world: AidWorld) -> None:
    request = make_request(world)
    services.request_cancel(request=request, by=world.member, reason="Found help elsewhere")
    audit = AuditEntry.objects.count()
    with pytest.raises(Conflict, match="closed"):
        services.match_accept(request=request, volunteer=world.volunteer)
    with pytest.raises(Conflict, match="closed"):
        services.match_propose(request=request, volunteer=world.volunteer, by=world.dispatcher)
    assert not request.matches.exists()
    assert AuditEntry.objects.count() == audit


def test_cancelling_a_request_ends_its_live_matches(world: AidWorld) -> None:
    request = make_request(world)
    match = confirmed_match(world, request)
    services.request_cancel(request=request, by=world.dispatcher)
    match.refresh_from_db()
    assert match.status == AidMatch.Status.CANCELLED
    assert Notification.objects.filter(user=world.volunteer.user, title__contains="closed").exists()


def test_a_request_can_be_referred_to_another_group(world: AidWorld) -> None:
    request = make_request(world)
    request = services.request_refer(request=request, to="Tenants' union", by=world.dispatcher)
    assert request.status == AidRequest.Status.REFERRED and request.referred_to == "Tenants' union"


def test_nobody_takes_on_their_own_request(world: AidWorld) -> None:
    request = make_request(world)
    with pytest.raises(InvalidInput, match="own request"):
        services.match_accept(request=request, volunteer=world.member)


def test_an_offer_without_capacity_left_is_refused(world: AidWorld) -> None:
    world.food_offer.capacity = 1
    world.food_offer.save()
    first = make_request(world, quantity=1)
    services.match_accept(request=first, volunteer=world.volunteer, offer=world.food_offer)
    second = make_request(world, quantity=1)
    with pytest.raises(Conflict, match="no capacity"):
        services.match_accept(request=second, volunteer=world.volunteer, offer=world.food_offer)


def test_delivering_more_than_committed_is_refused(world: AidWorld) -> None:
    request = make_request(world, quantity=2)
    match = confirmed_match(world, request)
    with pytest.raises(InvalidInput, match="committed"):
        services.match_deliver(match=match, delivered=3, by=world.volunteer)
    match.refresh_from_db()
    assert match.status == AidMatch.Status.CONFIRMED and match.delivered == 0


def test_notifications_carry_no_private_details(world: AidWorld) -> None:
    request = make_request(world)
    confirmed_match(world, request)
    for note in Notification.objects.all():
        for secret in ("Calle Mayor", "611", "diabetes"):
            assert secret not in note.title and secret not in note.body
