"""`dualpower createadmin`: the first coordinator of a community, appointed by whoever runs the node."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from dualpower.community.models import Community
from dualpower.community.selectors import communities_all, community_find
from dualpower.community.services import community_create
from dualpower.errors import InvalidInput
from dualpower.members.models import Membership, User
from dualpower.members.selectors import account_exists
from dualpower.members.services import account_confirmed_create, coordinator_appoint


def check_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(f"“{email}” is not an email address.", field="email") from None
    if account_exists(email=email):
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
        community = community_find(slug=slug)
        if community is None and not new_name:
            known = ", ".join(c.slug for c in communities_all()) or "none yet"
            raise InvalidInput(
                f"There is no community “{slug}” on this node (known: {known}); "
                "add --community-name to create it.",
                field="community",
            )
        return community
    if new_name:
        return None
    communities = list(communities_all()[:2])
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
    # The operator typed this address themselves, so it counts as confirmed.
    user = account_confirmed_create(email=email, password=password)
    return coordinator_appoint(user=user, community=community, display_name=display_name)
