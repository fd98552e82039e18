"""`dualpower createadmin`: the first coordinator of a community, appointed by whoever runs the node."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from dualpower.community.models import Community
from dualpower.community.services import audit_record, community_create
from dualpower.errors import InvalidInput
from dualpower.members.models import Membership, User


def check_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(f"“{email}” is not an email address.", field="email") from None
    if User.objects.filter(email__iexact=email).exists():
        raise InvalidInput(f"An account with the email {email} already exists.", field="email")
    return email


def check_password(password: str, email: str) -> None:
    try:
        validate_password(password, User(email=email))
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="password") from None


def find_community(slug: str, new_name: str = "") -> Community | None:
    """The community to appoint in; None means one will be created with ``new_name``."""
    if slug:
        community = Community.objects.filter(slug=slug).first()
        if community is None and not new_name:
            known = ", ".join(Community.objects.values_list("slug", flat=True)) or "none yet"
            raise InvalidInput(
                f"There is no community “{slug}” on this node (known: {known}); "
                "add --community-name to create it.",
                field="community",
            )
        return community
    if new_name:
        return None
    communities = list(Community.objects.all()[:2])
    if len(communities) == 1:
        return communities[0]
    if not communities:
        raise InvalidInput(
            "This node has no community yet: give its name with --community-name.", field="community"
        )
    raise InvalidInput(
        "This node has several communities: choose one with --community SLUG.", field="community"
    )


@transaction.atomic
def admin_create(
    *, email: str, password: str, display_name: str, community_slug: str, community_name: str
) -> Membership:
    """Create an account and make it a coordinator of the community (created if asked for)."""
    email = check_email(email)
    check_password(password, email)
    display_name = display_name.strip() or email.split("@")[0]
    if len(display_name) > 80:
        raise InvalidInput("A display name has at most 80 characters.", field="name")
    community = find_community(community_slug, community_name)
    if community is None:
        community = community_create(name=community_name, slug=community_slug)
    user = User.objects.create_user(email=email, password=password)
    # The operator typed this address themselves, so it counts as confirmed.
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return coordinator_appoint(user=user, community=community, display_name=display_name)


@transaction.atomic
def coordinator_appoint(*, user: User, community: Community, display_name: str) -> Membership:
    """The node's operator makes someone a coordinator directly: how a community gets its first one.

    Every later role is a recorded decision (members.services.role_change); this one is recorded
    in the audit log as the operator's act.
    """
    membership = Membership.objects.create(
        user=user, community=community, display_name=display_name, role=Membership.Role.COORDINATOR
    )
    audit_record(
        community=community,
        actor=None,
        action="member.createadmin",
        target=membership,
        summary=f"{display_name} appointed coordinator by the node's operator",
    )
    return membership
