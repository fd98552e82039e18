"""Permission predicates for people. The only place access to members is decided.

Other apps compose the role predicates defined here (``is_member``, ``is_coordinator``...).
Each predicate takes ``(user, obj)`` where ``obj`` is a Community or anything with a
``community`` attribute.
"""

from __future__ import annotations

from typing import Any

import rules
from django.conf import settings

from dualpower.community.models import Community
from dualpower.errors import DomainError
from dualpower.members.errors import MfaRequired
from dualpower.members.models import Application, Membership
from dualpower.members.roles import membership_for
from dualpower.members.selectors import has_totp


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


@rules.predicate
def has_required_mfa(user: Any, obj: Any = None) -> bool:
    """True unless the node requires two-factor authentication and this person has no TOTP set up.

    Composed into every coordinator action: a coordinator's account opens the whole community,
    so a node at risk (DP_REQUIRE_COORDINATOR_MFA) may insist it is protected by a second factor.
    """
    if not settings.DP_REQUIRE_COORDINATOR_MFA:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_dp_has_totp", None)
    if cached is None:
        cached = has_totp(user=user)
        user._dp_has_totp = cached
    return bool(cached)


# What a coordinator may do: being one, and (when the node asks) with two-factor authentication.
is_acting_coordinator = is_coordinator & has_required_mfa


def mfa_refusal(user: Any, obj: Any) -> DomainError | None:
    """Why a coordinator is refused when only the missing second factor stands in the way.

    Registered with ``dualpower.web.permissions.register_refusal`` (members/registrations.py).
    """
    if is_coordinator(user, obj) and not has_required_mfa(user, obj):
        return MfaRequired()
    return None


@rules.predicate
def is_trust_community(user: Any, obj: Any) -> bool:
    community = community_of(obj)
    return bool(community and community.admission == Community.Admission.TRUST)


@rules.predicate
def is_signed_in(user: Any, obj: Any = None) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def is_own_application(user: Any, application: Any) -> bool:
    return isinstance(application, Application) and getattr(user, "pk", None) == application.user_id


@rules.predicate
def is_pending(user: Any, application: Any) -> bool:
    return isinstance(application, Application) and application.status == Application.Status.PENDING


@rules.predicate
def is_self(user: Any, membership: Any) -> bool:
    return (
        isinstance(membership, Membership)
        and membership.user_id is not None
        and (getattr(user, "pk", None) == membership.user_id)
    )


@rules.predicate
def contact_shown_to_members(user: Any, membership: Any) -> bool:
    return (
        isinstance(membership, Membership) and membership.contact_visibility == Membership.Visibility.MEMBERS
    )


@rules.predicate
def contact_shown_to_coordinators(user: Any, membership: Any) -> bool:
    return isinstance(membership, Membership) and membership.contact_visibility in {
        Membership.Visibility.MEMBERS,
        Membership.Visibility.COORDINATORS,
    }


# Reading people: only those admitted (observers included) see who is in the community.
rules.add_perm("members.list_members", is_admitted)
rules.add_perm("members.view_member", is_admitted)
rules.add_perm(
    "members.view_contact",
    is_self | (is_admitted & contact_shown_to_members) | (is_coordinator & contact_shown_to_coordinators),
)
# Anyone signed in who is not yet admitted may ask to join; the service refuses a second application.
rules.add_perm("members.apply", is_signed_in & ~is_admitted)
rules.add_perm("members.withdraw_application", is_own_application & is_pending)
rules.add_perm("members.change_own_profile", is_admitted)
# Coordinators review applications; in a trust community members see them too, to give trust.
rules.add_perm("members.list_applications", is_acting_coordinator | (is_member & is_trust_community))
rules.add_perm("members.decide_application", is_acting_coordinator)
rules.add_perm("members.give_trust", is_member & is_trust_community & ~is_own_application)
rules.add_perm("members.change_role", is_acting_coordinator)

# The community's own pages (community sits below members, so its permissions, which are about
# membership, are stated here): who may see it, its dashboard and its audit log.
rules.add_perm("community.view_community", is_public_community | is_admitted)
rules.add_perm("community.view_dashboard", is_admitted)
# Members read the audit log; nobody can edit it (there is no permission to).
rules.add_perm("community.view_audit", is_admitted)
rules.add_perm("community.change_community", is_acting_coordinator)
