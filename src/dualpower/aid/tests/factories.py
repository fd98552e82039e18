"""Build the aid network for tests: people in each aid role, requests, offers, matches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dualpower.aid import lifecycle, services
from dualpower.aid.models import AidMatch, AidOffer, AidRequest
from dualpower.community.models import Community
from dualpower.members.models import Membership, User
from dualpower.members.tests.factories import make_membership

SECRET_ADDRESS = "Flat 3, 14 Calle Mayor"
SECRET_CONTACT = "+34 611 222 333"
SECRET_HEALTH = "insulin-dependent diabetes"


@dataclass
class AidWorld:
    community: Community
    member: Membership  # asks for help
    coordinator: Membership
    dispatcher: Membership
    volunteer: Membership  # offers food
    other_volunteer: Membership  # offers transport only
    food_offer: AidOffer
    transport_offer: AidOffer
    users: dict[str, Any]

    def membership(self, role: str) -> Membership | None:
        user = self.users.get(role)
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        return Membership.objects.filter(user=user, community=self.community).first()


def membership_of(user: User, community: Community) -> Membership:
    return Membership.objects.get(user=user, community=community)


def make_offer(community: Community, volunteer: Membership, **kw: Any) -> AidOffer:
    data: dict[str, Any] = {
        "categories": ["food"],
        "description": "Deliveries by bike",
        "neighbourhood": "Riverside",
        "capacity": 3,
    }
    data.update(kw)
    return services.offer_create(community=community, volunteer=volunteer, **data)


def make_world(community: Community, people: dict[str, Any]) -> AidWorld:
    dispatcher = make_membership(community, name="Dee")
    volunteer = make_membership(community, name="Vic")
    other = make_membership(community, name="Tam")
    coordinator = membership_of(people["coordinator"], community)
    services.dispatcher_grant(community=community, membership=dispatcher, by=coordinator)
    services.aid_settings_update(
        community=community,
        by=coordinator,
        distances=[["Riverside", "Old Market", 1.5], ["Old Market", "Hillcrest", 2]],
    )
    food = make_offer(community, volunteer, languages=["Spanish", "English"])
    transport = make_offer(community, other, categories=["transport"], description="Lifts by car")
    users = dict(people)
    users.update(dispatcher=dispatcher.user, matched_volunteer=volunteer.user, other_volunteer=other.user)
    return AidWorld(
        community=community,
        member=membership_of(people["member"], community),
        coordinator=coordinator,
        dispatcher=dispatcher,
        volunteer=volunteer,
        other_volunteer=other,
        food_offer=food,
        transport_offer=transport,
        users=users,
    )


def make_request(world: AidWorld, **kw: Any) -> AidRequest:
    data: dict[str, Any] = {
        "category": "food",
        "description": "Two food boxes for this week",
        "neighbourhood": "Riverside",
        "quantity": 2,
        "unit": "boxes",
        "details": {"address": SECRET_ADDRESS, "contact": SECRET_CONTACT, "health": SECRET_HEALTH},
    }
    data.update(kw)
    return services.request_create(community=world.community, requester=world.member, **data)


def confirmed_match(world: AidWorld, request: AidRequest) -> AidMatch:
    """The food volunteer accepts and the requester confirms."""
    match = lifecycle.match_accept(request=request, volunteer=world.volunteer, offer=world.food_offer)
    return lifecycle.match_confirm(match=match, by=world.member)
