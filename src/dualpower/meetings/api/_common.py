"""What every part of the meetings API shares: its paths and how a request finds its meeting."""

from django.http import HttpRequest

from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.meetings import selectors
from dualpower.meetings.models import Meeting
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check

MEETINGS = "/communities/{slug}/meetings"
MEETING = MEETINGS + "/{meeting_id}"
ITEM = MEETING + "/agenda/{item_id}"
ROLES = ("facilitator", "note_taker", "timekeeper")


def me_in(request: HttpRequest, community: Community) -> Membership | None:
    return membership_for(request.user, community)


def community_for(request: HttpRequest, slug: str) -> Community:
    community = community_get(slug=slug)
    # Check the community first: an outsider learns nothing about which meetings exist.
    check(request, "meetings.list_meetings", community)
    return community


def meeting_for(request: HttpRequest, slug: str, meeting_id: int, perm: str) -> Meeting:
    community = community_for(request, slug)
    meeting = selectors.meeting_get(community=community, pk=meeting_id)
    check(request, perm, meeting)
    return meeting
