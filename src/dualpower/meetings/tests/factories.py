"""Build the world for meetings tests: the general assembly, a meeting, people checked in."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from dualpower.assemblies.models import Assembly, Proposal
from dualpower.assemblies.services import general_assembly_for
from dualpower.meetings import services
from dualpower.meetings.models import Meeting
from dualpower.members.models import Membership
from dualpower.members.tests.factories import CommunityFactory, make_membership

HOUR = timedelta(hours=1)


def general(community: Any, *, quorum: str | None = None) -> Assembly:
    assembly = general_assembly_for(community)
    if quorum is not None:
        assembly.policy.quorum = quorum
        assembly.policy.save()
    return assembly


def soon(hours: float = 24) -> datetime:
    # Whole minutes, as people schedule them (and as iCalendar, to the second, can say).
    return (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)


class MeetingFactory(DjangoModelFactory[Meeting]):
    """A meeting scheduled through ``meeting_schedule`` (of the community's general assembly unless
    ``assembly`` is given), two hours long, then started, ended or cancelled as ``status`` says."""

    class Meta:
        model = Meeting

    class Params:
        community = None

    assembly = factory.LazyAttribute(lambda o: general(o.community or CommunityFactory.create()))
    title = "Monthly assembly"
    status = Meeting.Status.SCHEDULED
    starts_at = factory.LazyFunction(soon)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + 2 * HOUR)

    @classmethod
    def _create(cls, model_class: type[Meeting], *args: Any, **kwargs: Any) -> Meeting:
        status = kwargs.pop("status")
        meeting = services.meeting_schedule(by=None, notify=False, **kwargs)
        if status in (Meeting.Status.IN_PROGRESS, Meeting.Status.ENDED):
            services.meeting_start(meeting=meeting, by=None)
        if status == Meeting.Status.ENDED:
            services.meeting_end(meeting=meeting, by=None)
        if status == Meeting.Status.CANCELLED:
            services.meeting_cancel(meeting=meeting, by=None)
        meeting.refresh_from_db()
        return meeting


def make_meeting(community: Any, **kwargs: Any) -> Meeting:
    """The old name, a thin wrapper over MeetingFactory (fifty tests call it)."""
    if kwargs.get("starts_at") is None:
        kwargs.pop("starts_at", None)
    if kwargs.get("assembly") is None:
        kwargs.pop("assembly", None)
    return MeetingFactory.create(community=community, **kwargs)


def voters(community: Any, n: int) -> list[Membership]:
    return [make_membership(community, name=f"Voter {i}") for i in range(n)]


def room_proposal(
    assembly: Assembly, *, process: str = "consensus", title: str = "Paint the hall"
) -> Proposal:
    """A proposal decided by a vote in the room, open for votes."""
    now = timezone.now()
    return Proposal.objects.create(
        assembly=assembly,
        title=title,
        process=process,
        voting_mode="room",
        state=Proposal.State.VOTING,
        voting_opens_at=now - HOUR,
        voting_closes_at=now + 48 * HOUR,
    )
