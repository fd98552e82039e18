"""Panels for tests: a small pool with two features, built through the services."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from dualpower.community.models import Community
from dualpower.members.models import Membership
from dualpower.members.tests.factories import CommunityFactory, make_membership
from dualpower.panels import services
from dualpower.panels.models import Panel

QUOTAS = {
    "neighbourhood": {"Riverside": (1, 3), "Hillcrest": (1, 3)},
    "age band": {"under 40": (1, 3), "40 and over": (1, 3)},
}
# Twelve volunteers: (neighbourhood, age band), with Hillcrest over 40 rare, as in life.
ANSWERS = [
    ("Riverside", "under 40"),
    ("Riverside", "under 40"),
    ("Riverside", "under 40"),
    ("Riverside", "under 40"),
    ("Riverside", "40 and over"),
    ("Riverside", "40 and over"),
    ("Riverside", "40 and over"),
    ("Hillcrest", "under 40"),
    ("Hillcrest", "under 40"),
    ("Hillcrest", "under 40"),
    ("Hillcrest", "under 40"),
    ("Hillcrest", "40 and over"),
]


def coordinator_of(community: Community) -> Membership:
    found = Membership.objects.filter(community=community, role=Membership.Role.COORDINATOR).first()
    return found or make_membership(community, role=Membership.Role.COORDINATOR)


class PanelFactory(DjangoModelFactory[Panel]):
    """A panel open for volunteers, set up through ``panel_create`` by the community's coordinator,
    with the two features of ``QUOTAS`` (pass ``features`` for others)."""

    class Meta:
        model = Panel

    community = factory.SubFactory(CommunityFactory)
    title = "Park redesign panel"
    size = 4
    features = factory.LazyFunction(lambda: QUOTAS)
    purpose = "Advise on the park."
    by = factory.LazyAttribute(lambda o: coordinator_of(o.community))

    @classmethod
    def _create(cls, model_class: type[Panel], *args: Any, **kwargs: Any) -> Panel:
        return services.panel_create(**kwargs)


def fill(panel: Panel, answers: list[tuple[str, str]] = ANSWERS) -> list[Membership]:
    people = []
    for i, (place, age) in enumerate(answers):
        person = make_membership(panel.community, name=f"Volunteer {i}")
        services.volunteer_signup(
            panel=panel, membership=person, answers={"neighbourhood": place, "age band": age}
        )
        people.append(person)
    return people


def drawn(panel: Panel, seed: str = "2026-12-05 4 17 23 31 42") -> Panel:
    by = coordinator_of(panel.community)
    services.panel_close(panel=panel, seed_source="The national lottery of 5 December", by=by)
    services.panel_seed_announce(panel=panel, seed=seed, by=by)
    return services.panel_draw(panel=panel, by=by)
