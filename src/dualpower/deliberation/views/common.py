"""What the deliberation pages share: the member acting once a rule admits them, and the answer
to a statement's agree / disagree / pass buttons (the members', the link's and the peers' pages)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from dualpower.community.models import Community
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.actions import post_action
from dualpower.web.permissions import check


def member_acting(request: HttpRequest, community: Community, perm: str, target: Any) -> Membership:
    """Check ``perm`` on ``target``; the membership of the person acting, whom it admitted."""
    check(request, perm, target)
    me = membership_for(request.user, community)
    assert me is not None  # every rule these pages check for a change admits members only
    return me


def vote_posted(
    request: HttpRequest, *, cast: Callable[[str], object], back: str, message: str
) -> HttpResponse:
    """``cast`` counts the value of the button pressed (agree, disagree or pass; the service refuses
    anything else), then back to ``back`` with ``message``, or with the refusal's sentence."""
    return post_action(request, run=lambda: cast(request.POST.get("value", "")), back=back, message=message)
