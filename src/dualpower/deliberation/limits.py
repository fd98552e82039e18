"""How often people with a deliberation's link may act: per participant (their cookie's key) and
per address, as allauth counts sign-in attempts (its limiter, in the shared cache, with its
reading of the client's address behind the node's proxies).

Members are not limited here: they are known people. A link can travel far, so a script clearing
its cookies to vote again and again is stopped by the limit on new participants per address.
"""

from __future__ import annotations

from allauth.core.internal import ratelimit
from django.http import HttpRequest

from dualpower.errors import TooManyRequests

LIMITS = {
    # votes: a person reading and tapping does not reach 30 a minute; an office behind one address
    # may hold a room of people
    "vote": "30/m/key,300/m/ip",
    # statements wait for a facilitator: a few per person, a few dozen per address, an hour
    "statement": "5/h/key,30/h/ip",
    # new participants: clearing the cookie makes a new one
    "join": "60/h/ip",
}


def link_limit(request: HttpRequest, *, action: str, key: str) -> None:
    """Count one ``action`` by the participant ``key`` ("" before they have one) and their address;
    raise ``TooManyRequests`` past a limit."""
    config = {action: LIMITS[action]} if key else {action: LIMITS[action].split(",")[-1]}
    if not ratelimit.consume(request, app="dualpower.deliberation", action=action, config=config, key=key):
        raise TooManyRequests()
