"""What the food API's routers share: the community a request is about, once its rules admit the
caller, and who is acting."""

from __future__ import annotations

from django.http import HttpRequest

from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check


def community_for(request: HttpRequest, slug: str, *, view: str, perm: str) -> Community:
    """The community ``slug``, if the caller may see the part of the food app asked about
    (``view``) and do what is asked (``perm``)."""
    community = community_get(slug=slug)
    check(request, view, community)
    check(request, perm, community)
    return community


def me_in(request: HttpRequest, community: Community) -> Membership:
    """The membership of the person acting (every rule checked before a change admits only them)."""
    me = membership_for(request.user, community)
    assert me is not None  # every rule used here admits only admitted people
    return me
