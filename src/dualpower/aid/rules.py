"""Who may do what in the mutual aid network. The only place access to aid is decided.

The object checked is a Community (listing, posting, dispatch pages), an AidRequest, an AidOffer or
an AidMatch. Coordinators grant the dispatcher role but are not dispatchers by office: the private
details of people in need open only to those the network chose for that work (docs/mutual-aid.md).
"""

from __future__ import annotations

from typing import Any

import rules

from dualpower.aid import selectors
from dualpower.aid.models import AidMatch, AidOffer, AidRequest
from dualpower.aid.roles import is_dispatcher_member
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.members.rules import community_of, is_acting_coordinator, is_admitted, is_member


def _me(user: Any, obj: Any) -> Membership | None:
    if isinstance(obj, AidMatch):
        obj = obj.request
    return membership_for(user, community_of(obj))


@rules.predicate
def is_dispatcher(user: Any, obj: Any) -> bool:
    return is_dispatcher_member(_me(user, obj))


@rules.predicate
def sees_request(user: Any, request: Any) -> bool:
    return isinstance(request, AidRequest) and selectors.may_see_request(_me(user, request), request)


@rules.predicate
def sees_details(user: Any, request: Any) -> bool:
    return isinstance(request, AidRequest) and selectors.may_see_details(_me(user, request), request)


@rules.predicate
def is_requester(user: Any, request: Any) -> bool:
    me = _me(user, request)
    return isinstance(request, AidRequest) and me is not None and request.requester_id == me.pk


@rules.predicate
def is_open_request(user: Any, request: Any) -> bool:
    return isinstance(request, AidRequest) and not request.is_closed


@rules.predicate
def sees_offer(user: Any, offer: Any) -> bool:
    return isinstance(offer, AidOffer) and selectors.may_see_offer(_me(user, offer), offer)


@rules.predicate
def owns_offer(user: Any, offer: Any) -> bool:
    me = _me(user, offer)
    return isinstance(offer, AidOffer) and me is not None and offer.volunteer_id == me.pk


@rules.predicate
def is_in_match(user: Any, match: Any) -> bool:
    """The match's volunteer, the person helped, or a dispatcher."""
    me = _me(user, match)
    if not isinstance(match, AidMatch) or me is None:
        return False
    return match.volunteer_id == me.pk or match.request.requester_id == me.pk or is_dispatcher_member(me)


@rules.predicate
def is_match_volunteer(user: Any, match: Any) -> bool:
    me = _me(user, match)
    return isinstance(match, AidMatch) and me is not None and match.volunteer_id == me.pk


rules.add_perm("aid.view_requests", is_admitted)
rules.add_perm("aid.view_summary", is_admitted)
# Anyone admitted may ask for help (issue 6), observers included; helping is taking part, which
# observers do not (the services refuse to match them), so offering is for members.
rules.add_perm("aid.add_request", is_admitted)
rules.add_perm("aid.add_offer", is_member)
rules.add_perm("aid.view_request", sees_request)
rules.add_perm("aid.view_details", sees_details)
rules.add_perm("aid.change_details", is_dispatcher | is_requester)
rules.add_perm("aid.accept_request", is_member & sees_request & is_open_request & ~is_requester)
rules.add_perm("aid.cancel_request", (is_requester | is_dispatcher) & is_open_request)
rules.add_perm("aid.refer_request", is_dispatcher & is_open_request)
rules.add_perm("aid.close_request", is_dispatcher & is_open_request)
rules.add_perm("aid.view_offer", sees_offer)
rules.add_perm("aid.change_offer", owns_offer | is_dispatcher)
rules.add_perm("aid.view_match", is_in_match)
rules.add_perm("aid.confirm_match", is_in_match)
rules.add_perm("aid.act_on_match", is_match_volunteer | is_dispatcher)
rules.add_perm("aid.feedback_match", is_in_match)
# Dispatch work: intake by phone, suggestions, batch assignment, the full dashboard, exports.
rules.add_perm("aid.dispatch", is_dispatcher)
rules.add_perm("aid.manage_dispatchers", is_acting_coordinator)
rules.add_perm("aid.change_settings", is_acting_coordinator | is_dispatcher)
# Referrals between peer communities hand a person's details to another node: the work of the
# dispatchers the network trusted with those details, not of coordinators by office.
rules.add_perm("aid.refer_to_peer", is_dispatcher & is_open_request)
rules.add_perm("aid.answer_referrals", is_dispatcher)

PERMISSIONS = (
    "aid.view_requests",
    "aid.view_summary",
    "aid.add_request",
    "aid.add_offer",
    "aid.view_request",
    "aid.view_details",
    "aid.change_details",
    "aid.accept_request",
    "aid.cancel_request",
    "aid.refer_request",
    "aid.close_request",
    "aid.view_offer",
    "aid.change_offer",
    "aid.view_match",
    "aid.confirm_match",
    "aid.act_on_match",
    "aid.feedback_match",
    "aid.dispatch",
    "aid.manage_dispatchers",
    "aid.change_settings",
    "aid.refer_to_peer",
    "aid.answer_referrals",
)
