"""Build the world for meetings tests: the general assembly, a meeting, people checked in."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from dualpower.assemblies.models import Assembly, Proposal
from dualpower.assemblies.services import general_assembly_for
from dualpower.meetings import services
from dualpower.meetings.models import Meeting
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership

HOUR = timedelta(hours=1)


def membership_of(user: Any, community: Any) -> Membership:
    return Membership.objects.get(user=user, community=community)


def general(community: Any, *, quorum: str | None = None) -> Assembly:
    assembly = general_assembly_for(community)
    if quorum is not None:
        assembly.policy.quorum = quorum
        assembly.policy.save()
    return assembly


def soon(hours: float = 24) -> datetime:
    # Whole minutes, as people schedule them (and as iCalendar, to the second, can say).
    return (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def make_meeting(
    community: Any,
    *,
    assembly: Assembly | None = None,
    title: str = "Monthly assembly",
    starts_at: datetime | None = None,
    status: str = Meeting.Status.SCHEDULED,
    **kwargs: Any,
) -> Meeting:
    starts_at = starts_at or soon()
    meeting = services.meeting_schedule(
        assembly=assembly or general(community),
        by=None,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + 2 * HOUR,
        notify=False,
        **kwargs,
    )
    if status in (Meeting.Status.IN_PROGRESS, Meeting.Status.ENDED):
        services.meeting_start(meeting=meeting, by=None)
    if status == Meeting.Status.ENDED:
        services.meeting_end(meeting=meeting, by=None)
    if status == Meeting.Status.CANCELLED:
        services.meeting_cancel(meeting=meeting, by=None)
    meeting.refresh_from_db()
    return meeting


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
