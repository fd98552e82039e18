"""Demo data for panels: a citizens' panel on the park, drawn from volunteers with quotas by side
of the river and age band, with a seed announced before the draw. Built through the services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dualpower.members.models import Membership

if TYPE_CHECKING:
    from dualpower.demo import Demo
from dualpower.panels import services

# The demo's eight neighbourhoods, by side of the river.
NORTH = {"Riverside", "Northbank", "Hillcrest", "Station Quarter"}
AGE_BANDS = ("under 30", "30 to 59", "60 and over")


def load_panels(demo: Demo) -> None:
    volunteers = [
        m for m in demo.members if m.role != Membership.Role.OBSERVER and m.status == Membership.Status.ACTIVE
    ][:24]
    panel = services.panel_create(
        community=demo.community,
        title="Park redesign panel",
        purpose="Eight neighbours drawn by lot advise the general assembly on the redesign of "
        "Los Pinos park: four evenings in March, childcare and food provided.",
        size=8,
        features={
            "side of the river": {"north": (3, 5), "south": (3, 5)},
            "age band": {"under 30": (2, 4), "30 to 59": (2, 4), "60 and over": (1, 3)},
        },
        by=demo.coordinator,
    )
    for i, person in enumerate(volunteers):
        side = "north" if person.neighbourhood in NORTH else "south"
        age = AGE_BANDS[demo.rng.choice((0, 0, 1, 1, 1, 2)) if i % 5 else 2]
        services.volunteer_signup(
            panel=panel, membership=person, answers={"side of the river": side, "age band": age}
        )
    services.panel_close(
        panel=panel,
        seed_source="The first five numbers of the national lottery draw "
        "on the Saturday after sign-up closes",
        by=demo.coordinator,
    )
    services.panel_seed_announce(panel=panel, seed="2026-11-14 3 11 19 27 42", by=demo.coordinator)
    services.panel_draw(panel=panel, by=demo.coordinator)

    services.panel_create(
        community=demo.community,
        title="Rent strike review panel",
        purpose="Six members drawn by lot review how the rent strike was run and report to the assembly.",
        size=6,
        features={"side of the river": {"north": (2, 4), "south": (2, 4)}},
        by=demo.coordinator,
    )
    demo.say(f"panels: a park panel of 8 drawn from {len(volunteers)} volunteers, one panel open")
