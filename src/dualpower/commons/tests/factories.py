"""Guides for tests: ours (through the services, so each has its first version) and received."""

from __future__ import annotations

from typing import Any

from dualpower.commons import services
from dualpower.commons.models import Guide, Kind, Licence, ReceivedGuide, Visibility
from dualpower.community.models import Community
from dualpower.members.models import Membership


def text(**changes: Any) -> services.GuideText:
    base: dict[str, Any] = {
        "title": "How we run an assembly",
        "kind": Kind.MEETING_FORMAT,
        "body": "Agenda a week ahead.\n\nA round of names.\n\nDecisions by consent.",
        "licence": Licence.CC_BY_SA,
        "language": "en",
        "visibility": Visibility.MEMBERS,
    }
    return services.GuideText(**{**base, **changes})


def make_guide(community: Community, by: Membership | None = None, **changes: Any) -> Guide:
    return services.guide_create(community=community, by=by, text=text(**changes))


def make_received(community: Community, n: int = 1, **fields: Any) -> ReceivedGuide:
    values: dict[str, Any] = {
        "uri": f"https://elsewhere.example/ap/c/garden/guides/{n}",
        "actor_uri": "https://elsewhere.example/ap/c/garden",
        "origin_name": "Garden Collective",
        "title": f"Tool library rules {n}",
        "kind": Kind.POLICY,
        "body": "Borrow for a week.\nBring it back clean.",
        "licence": Licence.CC_BY_SA,
        "language": "en",
        "version": 3,
        "is_public": False,
        **fields,
    }
    return ReceivedGuide.objects.create(community=community, **values)
