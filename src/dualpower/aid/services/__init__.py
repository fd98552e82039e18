"""Every write about mutual aid, one module per noun; this package re-exports their verbs so
callers have one place to look (``from dualpower.aid import services``).

- settings.py: the network's settings (retention, stale period, distances)
- categories.py: a community's own categories
- dispatchers.py: who is trusted with private details
- requests.py: requests for help, their private details and their closing
- offers.py: offers of help
- matches.py: the life of a match, from proposed to feedback
- referrals.py: requests referred to and from peer communities on other nodes (federation)

Modules inside this package import each other directly, never from here.
"""

from dualpower.aid.selectors import BUILTIN_CATEGORIES, categories_for, category_name
from dualpower.aid.services._common import matching_changed, touch
from dualpower.aid.services.categories import aid_category_add
from dualpower.aid.services.deliveries import request_deliver as request_deliver
from dualpower.aid.services.dispatchers import dispatcher_grant, dispatcher_revoke
from dualpower.aid.services.matches import (
    REQUESTER,
    VOLUNTEER,
    match_accept,
    match_confirm,
    match_deliver,
    match_feedback,
    match_propose,
    match_release,
    match_start,
    side_of,
)
from dualpower.aid.services.offers import offer_create, offer_set_status
from dualpower.aid.services.referrals import (
    peers_to_refer_to,
    referral_answer,
    referral_draft,
    referral_offer,
)
from dualpower.aid.services.requests import (
    CODE_ALPHABET,
    request_cancel,
    request_close_fulfilled,
    request_create,
    request_intake,
    request_refer,
    request_update_details,
)
from dualpower.aid.services.settings import aid_settings_update, settings_for

__all__ = [
    "BUILTIN_CATEGORIES",
    "CODE_ALPHABET",
    "REQUESTER",
    "VOLUNTEER",
    "aid_category_add",
    "aid_settings_update",
    "categories_for",
    "category_name",
    "dispatcher_grant",
    "dispatcher_revoke",
    "match_accept",
    "match_confirm",
    "match_deliver",
    "match_feedback",
    "match_propose",
    "match_release",
    "match_start",
    "matching_changed",
    "offer_create",
    "offer_set_status",
    "peers_to_refer_to",
    "referral_answer",
    "referral_draft",
    "referral_offer",
    "request_cancel",
    "request_close_fulfilled",
    "request_create",
    "request_intake",
    "request_refer",
    "request_update_details",
    "settings_for",
    "side_of",
    "touch",
]
