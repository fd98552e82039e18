"""Helpers the meetings' page modules share: find the meeting, who I am, go back to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from dualpower.assemblies import processes
from dualpower.assemblies import selectors as assembly_selectors
from dualpower.assemblies.models import Proposal
from dualpower.community.models import Community
from dualpower.meetings import selectors
from dualpower.meetings.models import Meeting
from dualpower.meetings.selectors import room_positions
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.actions import post_action
from dualpower.web.permissions import check


def _meeting(request: HttpRequest, community: Community, pk: int, perm: str) -> Meeting:
    check(request, "meetings.list_meetings", community)
    meeting = selectors.meeting_get(community=community, pk=pk)
    check(request, perm, meeting)
    return meeting


def _me(request: HttpRequest, community: Community) -> Membership | None:
    return membership_for(request.user, community)


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    """The meeting's page, at ``anchor`` (the part of the page a form or button is in)."""
    url = reverse("meetings:detail", args=[meeting.assembly.community.slug, meeting.pk])
    return f"{url}#{anchor}" if anchor else url


def _button(
    request: HttpRequest, meeting: Meeting, run: Callable[[], Any], done: str, anchor: str = ""
) -> HttpResponse:
    """A button on the meeting's page: back to it, with the sentence of what happened or why not."""
    return post_action(request, run=run, back=_meeting_url(meeting, anchor), message=done)


def _open_proposals(meeting: Meeting) -> list[Proposal]:
    return assembly_selectors.proposals_undecided(assembly=meeting.assembly, limit=50)


def _position_labels(proposal: Proposal | None) -> list[tuple[str, str]]:
    if proposal is None:
        return []
    try:
        process = processes.get(proposal.process)
    except Exception:
        return []
    return [(p, process.position_label(p)) for p in room_positions(proposal)]
