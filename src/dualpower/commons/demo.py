"""Demo guides: bylaws adopted by the general assembly, and a meeting format shared with peers
(the demo has no peers yet: it is sent to no one until it has some)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dualpower.commons import services
from dualpower.commons.models import Kind, Licence, Visibility

if TYPE_CHECKING:
    from dualpower.demo import Demo

BYLAWS = """Who we are
Every tenant of the buildings we organise, and anyone living with them, may join.

How we decide
The general assembly meets once a month. Proposals are posted a week ahead;
we seek consent, and when a block cannot be resolved, two thirds of those present decide.

Coordinators
Two coordinators, rotated every six months, keep the records and call the assembly. They may be
recalled by the assembly at any meeting."""

MEETING_FORMAT = """Before
Post the agenda a week ahead. Ask who needs childcare, interpretation or step-free access.

Opening (10 minutes)
A round of names. The facilitator reads the agreements on how we speak to each other.

Reports (20 minutes)
Each working group says what it did and what it needs, in two minutes.

Decisions (45 minutes)
One proposal at a time: questions, concerns, amendments, then the vote.

Closing (5 minutes)
Who does what by when. The note-taker reads it back."""


def load_commons(demo: Demo) -> None:
    bylaws = services.guide_create(
        community=demo.community,
        by=demo.coordinator,
        text=services.GuideText(
            title="Bylaws of the tenants' union",
            kind=Kind.BYLAWS,
            body=BYLAWS.replace("once a month", "every second month"),
            licence=Licence.CC_BY_SA,
            language="en",
            visibility=Visibility.MEMBERS,
        ),
    )
    bylaws = services.guide_edit(
        guide=bylaws,
        by=demo.coordinator,
        text=services.GuideText(
            title=bylaws.title,
            kind=bylaws.kind,
            body=BYLAWS,
            licence=bylaws.licence,
            language=bylaws.language,
            visibility=bylaws.visibility,
        ),
        note="The assembly meets monthly, as agreed in October.",
    )
    services.guide_adopt(guide=bylaws, decision_ref="")
    services.guide_create(
        community=demo.community,
        by=demo.coordinator,
        text=services.GuideText(
            title="A ninety-minute assembly",
            kind=Kind.MEETING_FORMAT,
            body=MEETING_FORMAT,
            licence=Licence.CC_BY_SA,
            language="en",
            visibility=Visibility.PEERS,
        ),
        note="Written after the September assembly.",
    )
    demo.say("commons: 2 guides")
