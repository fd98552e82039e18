"""Permission predicates for people. The only place access to members is decided.

Other apps compose the role predicates defined here (``is_member``, ``is_coordinator``...).
Each predicate takes ``(user, obj)`` where ``obj`` is a Community or anything with a
``community`` attribute.
"""

from __future__ import annotations

from typing import Any

import rules

from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.node.models import Community


def community_of(obj: Any) -> Community | None:
    if obj is None:
        return None
    if isinstance(obj, Community):
        return obj
    return getattr(obj, "community", None)


def _role(user: Any, obj: Any) -> str | None:
    membership = membership_for(user, community_of(obj))
    return membership.role if membership else None


@rules.predicate
def is_admitted(user: Any, obj: Any) -> bool:
    """Any active member, observers included: may read the community's records."""
    return _role(user, obj) is not None


@rules.predicate
def is_member(user: Any, obj: Any) -> bool:
    """A full member or coordinator: may take part and vote (observers may not)."""
    return _role(user, obj) in {Membership.Role.MEMBER, Membership.Role.COORDINATOR}


@rules.predicate
def is_coordinator(user: Any, obj: Any) -> bool:
    return _role(user, obj) == Membership.Role.COORDINATOR


@rules.predicate
def is_public_community(user: Any, obj: Any) -> bool:
    community = community_of(obj)
    return bool(community and community.is_public)
