"""Build the aid network for tests: people in each aid role, requests, offers, matches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import factory
from factory.django import DjangoModelFactory

from dualpower.aid import services
from dualpower.aid.models import AidMatch, AidOffer, AidRequest
from dualpower.community.models import Community
from dualpower.members.models import Membership
from dualpower.members.tests.factories import (
    CommunityFactory,
    MembershipFactory,
    make_membership,
    membership_of,
)

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


class AidOfferFactory(DjangoModelFactory[AidOffer]):
    """A one-off offer of food deliveries, made through ``offer_create`` by ``volunteer`` (a new
    member of ``community`` unless given)."""

    class Meta:
        model = AidOffer

    community = factory.SubFactory(CommunityFactory)
    volunteer = factory.LazyAttribute(lambda o: MembershipFactory.create(community=o.community))
    categories = factory.LazyFunction(lambda: ["food"])
    description = "Deliveries by bike"
    neighbourhood = "Riverside"
    capacity = 3

    @classmethod
    def _create(cls, model_class: type[AidOffer], *args: Any, **kwargs: Any) -> AidOffer:
        return services.offer_create(**kwargs)


class AidRequestFactory(DjangoModelFactory[AidRequest]):
    """A request for two food boxes, with private details, made through ``request_create`` by
    ``requester`` (a new member of ``community`` unless given)."""

    class Meta:
        model = AidRequest

    community = factory.SubFactory(CommunityFactory)
    requester = factory.LazyAttribute(lambda o: MembershipFactory.create(community=o.community))
    category = "food"
    description = "Two food boxes for this week"
    neighbourhood = "Riverside"
    quantity = 2
    unit = "boxes"
    details = factory.LazyFunction(
        lambda: {"address": SECRET_ADDRESS, "contact": SECRET_CONTACT, "health": SECRET_HEALTH}
    )

    @classmethod
    def _create(cls, model_class: type[AidRequest], *args: Any, **kwargs: Any) -> AidRequest:
        return services.request_create(**kwargs)


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
    food = AidOfferFactory.create(community=community, volunteer=volunteer, languages=["Spanish", "English"])
    transport = AidOfferFactory.create(
        community=community, volunteer=other, categories=["transport"], description="Lifts by car"
    )
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
    """The old name (a request by the world's member), a thin wrapper over AidRequestFactory."""
    return AidRequestFactory.create(community=world.community, requester=world.member, **kw)


def confirmed_match(world: AidWorld, request: AidRequest) -> AidMatch:
    """The food volunteer accepts and the requester confirms."""
    match = services.match_accept(request=request, volunteer=world.volunteer, offer=world.food_offer)
    return services.match_confirm(match=match, by=world.member)
