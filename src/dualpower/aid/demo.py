"""Demo data for mutual aid: dispatchers, offers, open and fulfilled requests across categories.

Built through the services (so sealed details are really encrypted), deterministic from the demo's
seeded random source. The weekly food distribution and the pantry come from the activities and
inventory apps.
"""

from __future__ import annotations

import itertools
from typing import Any

from dualpower.aid import services
from dualpower.aid.models import AidOffer, Privacy
from dualpower.demo import NEIGHBOURHOODS, Demo

REQUESTS: tuple[tuple[str, str, int, int, str, str], ...] = (
    # category, description, urgency, quantity, unit, privacy
    ("food", "Food boxes for a family of five this week", 2, 3, "boxes", Privacy.MEMBERS),
    ("transport", "A lift to the hospital for a check-up on Thursday morning", 1, 1, "", Privacy.MEMBERS),
    (
        "childcare",
        "Someone to pick up two children from school twice a week",
        1,
        2,
        "pick-ups",
        Privacy.VOLUNTEERS,
    ),
    ("legal", "Help reading a letter from the landlord about a rent increase", 2, 1, "", Privacy.VOLUNTEERS),
    ("elder-care", "Weekly shopping for an elderly neighbour", 1, 4, "trips", Privacy.MEMBERS),
    ("safety", "Accompaniment to a court hearing", 3, 1, "", Privacy.DISPATCHERS),
    ("goods", "A cot and baby clothes", 0, 1, "", Privacy.MEMBERS),
    ("education", "Maths tutoring for a secondary-school student", 0, 4, "sessions", Privacy.MEMBERS),
    ("mental-health", "Someone to talk to after a bereavement", 1, 1, "", Privacy.DISPATCHERS),
    ("housing", "A place to stay for two nights after a fire", 3, 2, "nights", Privacy.VOLUNTEERS),
)
OFFERS: tuple[tuple[list[str], str, str, int | None, str], ...] = (
    (["food", "goods"], "I can deliver food boxes by car", AidOffer.Kind.RECURRING, 4, AidOffer.Period.MONTH),
    (
        ["transport"],
        "Lifts to appointments on weekday mornings",
        AidOffer.Kind.RECURRING,
        2,
        AidOffer.Period.WEEK,
    ),
    (["childcare"], "School pick-ups in the afternoon", AidOffer.Kind.RECURRING, 3, AidOffer.Period.WEEK),
    (["legal"], "Reading and answering official letters (tenancy)", AidOffer.Kind.ONE_OFF, 3, ""),
    (["elder-care", "food"], "Shopping runs on Saturdays", AidOffer.Kind.RECURRING, 4, AidOffer.Period.MONTH),
    (["goods"], "The community fridge at the social centre", AidOffer.Kind.INEXHAUSTIBLE, None, ""),
    (["education"], "Tutoring in maths and physics", AidOffer.Kind.RECURRING, 2, AidOffer.Period.WEEK),
    (["safety"], "Accompaniment to hearings and appointments", AidOffer.Kind.ONE_OFF, 2, ""),
)


def load_aid(demo: Demo) -> None:
    community, rng = demo.community, demo.rng
    dispatcher = demo.coordinator
    services.dispatcher_grant(community=community, membership=dispatcher, by=demo.coordinator)
    pairs = [[a, b, 1.0 + i % 3] for i, (a, b) in enumerate(itertools.pairwise(NEIGHBOURHOODS))]
    services.aid_settings_update(community=community, by=demo.coordinator, distances=pairs)
    helpers = [m for m in demo.members if m.pk not in (demo.coordinator.pk,)][: len(OFFERS)]
    offers = []
    for volunteer, (cats, text, kind, capacity, period) in zip(helpers, OFFERS, strict=False):
        data: dict[str, Any] = {"categories": cats, "description": text, "kind": kind, "period": period}
        if capacity is not None:
            data["capacity"] = capacity
        offers.append(
            services.offer_create(
                community=community,
                volunteer=volunteer,
                neighbourhood=volunteer.neighbourhood or rng.choice(NEIGHBOURHOODS),
                languages=volunteer.languages or ["English"],
                availability=[[d, "09:00", "13:00"] for d in (0, 2, 4)],
                **data,
            )
        )
    askers = [m for m in demo.members if m not in helpers and m.pk != dispatcher.pk]
    for i, (cat, text, urgency, qty, unit, privacy) in enumerate(REQUESTS):
        fields: dict[str, Any] = {
            "category": cat,
            "description": text,
            "urgency": urgency,
            "quantity": qty,
            "unit": unit,
            "privacy": privacy,
            "neighbourhood": NEIGHBOURHOODS[i % len(NEIGHBOURHOODS)],
            "languages": ["English"] if i % 3 else ["Spanish", "English"],
        }
        if i % 2 == 0 or not askers:
            request = services.request_intake(
                community=community,
                dispatcher=dispatcher,
                contact_channel="phone",
                contact_language="Spanish" if i % 3 == 0 else "English",
                details={"name": f"Caller {i + 1}", "contact": f"+34 600 000 {100 + i}"},
                **fields,
            )
        else:
            request = services.request_create(
                community=community,
                requester=askers[i % len(askers)],
                details={"contact": "via dualpower"},
                **fields,
            )
        # The first few are met: a volunteer from a fitting offer took them and delivered.
        fitting = [o for o in offers if cat in o.categories and o.volunteer_id != request.requester_id]
        if i < 4 and fitting:
            offer = fitting[0]
            match = services.match_propose(
                request=request, volunteer=offer.volunteer, offer=offer, by=dispatcher
            )
            if request.requester is None:
                services.match_confirm(match=match, by=dispatcher, side=services.REQUESTER)
            else:
                services.match_confirm(match=match, by=request.requester, side=services.REQUESTER)
            services.match_confirm(match=match, by=offer.volunteer, side=services.VOLUNTEER)
            services.match_deliver(match=match, delivered=request.quantity, by=offer.volunteer)
    demo.say("Mutual aid: 10 requests (4 fulfilled), 8 offers, the coordinator is a dispatcher.")
