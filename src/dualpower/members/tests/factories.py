"""Build the world for tests: accounts, communities, memberships in each role (factory_boy).

``UserFactory.create()``, ``CommunityFactory.create(slug="riverside")``,
``MembershipFactory.create(community=c, role="coordinator")`` and
``ApplicationFactory.create(community=c)`` build valid objects (``.create`` is typed: mypy sees it
return the model). A community is made through ``community_create``, so it starts with what every
community has (working groups, the general assembly...). ``membership_of(user, community)`` is
the one way a test finds a person's membership. The ``make_*`` functions are the old names, kept
as thin wrappers because hundreds of tests call them.
"""

from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from dualpower.community.models import Community
from dualpower.community.services import community_create
from dualpower.members.models import Application, Membership, User

# Every permission matrix sweeps these: anonymous, an applicant, an observer, a member, a
# coordinator, and a member of another community (outsider).
ROLES = ("anonymous", "applicant", "observer", "member", "coordinator", "outsider")

PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory[User]):
    """An account with a primary email address (verified unless ``verified=False``)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return model_class.objects.create_user(*args, **kwargs)

    @factory.post_generation
    def verified(obj: User, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        if create:
            verified = True if extracted is None else extracted
            EmailAddress.objects.create(user=obj, email=obj.email, verified=verified, primary=True)


class CommunityFactory(DjangoModelFactory[Community]):
    """A community as ``community_create`` sets it up (starter working groups and all)."""

    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Community {n}")

    @classmethod
    def _create(cls, model_class: type[Community], *args: Any, **kwargs: Any) -> Community:
        return community_create(**kwargs)


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    role = Membership.Role.MEMBER
    display_name = factory.Sequence(lambda n: f"Member {n}")


class ApplicationFactory(DjangoModelFactory[Application]):
    class Meta:
        model = Application

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    display_name = factory.Sequence(lambda n: f"Applicant {n}")
    answers = factory.LazyFunction(list)


def membership_of(user: Any, community: Community) -> Membership:
    """The membership of ``user`` (a User, e.g. ``people["member"]``) in ``community``."""
    return Membership.objects.get(user=user, community=community)


# The old names, as thin wrappers over the factories (hundreds of call sites use them).


def make_user(email: str | None = None, *, password: str = PASSWORD, verified: bool = True) -> User:
    return UserFactory.create(**({"email": email} if email else {}), password=password, verified=verified)


def make_community(name: str | None = None, **kwargs: Any) -> Community:
    return CommunityFactory.create(**({"name": name} if name else {}), **kwargs)


def make_membership(
    community: Community, *, role: str = Membership.Role.MEMBER, user: User | None = None, name: str = ""
) -> Membership:
    extra: dict[str, Any] = {"user": user} if user else {}
    if name:
        extra["display_name"] = name
    return MembershipFactory.create(community=community, role=role, **extra)


def make_application(
    community: Community, *, user: User | None = None, answers: list[str] | None = None
) -> Application:
    extra: dict[str, Any] = {"user": user} if user else {}
    return ApplicationFactory.create(community=community, answers=answers or [], **extra)
