"""Who is a dispatcher or a volunteer of a category: the lookups rules.py and the services share.

A dispatcher holds a DispatcherRole, granted by a coordinator (documented in docs/mutual-aid.md):
an explicit role rather than "every convener", because it opens people's private details.
A volunteer of a category is an admitted person with an active offer in that category.
"""

from __future__ import annotations

from typing import Any

from dualpower.aid.models import AidOffer, DispatcherRole
from dualpower.community.models import Community
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.prepared import Prepared

# Whether a membership holds the role: asked on every aid page, its SQL written once per process
# (and its answer kept while nothing is written: web/fragments.py, kept_rows).
_role = Prepared(
    lambda community, membership: DispatcherRole.objects.filter(
        community_id=community, membership_id=membership
    ).order_by()[:1],
    community=int,
    membership=int,
)


def is_dispatcher_member(membership: Membership | None) -> bool:
    if membership is None or not membership.is_active or membership.role == Membership.Role.OBSERVER:
        return False
    cache = membership.__dict__.setdefault("_aid_dispatcher", {})
    if "v" not in cache:
        cache["v"] = bool(_role(community=membership.community_id, membership=membership.pk))
    return bool(cache["v"])


def is_dispatcher_user(user: Any, community: Community | None) -> bool:
    return is_dispatcher_member(membership_for(user, community))


def volunteer_categories(membership: Membership | None) -> set[str]:
    """Categories this person has an active offer in (cached for one request's permission checks)."""
    if membership is None:
        return set()
    cache = membership.__dict__.setdefault("_aid_categories", {})
    if "v" not in cache:
        found: set[str] = set()
        for cats in AidOffer.objects.filter(volunteer=membership, status=AidOffer.Status.ACTIVE).values_list(
            "categories", flat=True
        ):
            found.update(cats or [])
        cache["v"] = found
    return set(cache["v"])


def forget(membership: Membership | None) -> None:
    if membership is not None:
        membership.__dict__.pop("_aid_dispatcher", None)
        membership.__dict__.pop("_aid_categories", None)
