"""Build the world for tests: accounts, communities, memberships in each role."""

from __future__ import annotations

import itertools

from allauth.account.models import EmailAddress

from dualpower.community.models import Community
from dualpower.community.services import community_create
from dualpower.members.models import Application, Membership, User

# Every permission matrix sweeps these: anonymous, an applicant, an observer, a member, a
# coordinator, and a member of another community (outsider).
ROLES = ("anonymous", "applicant", "observer", "member", "coordinator", "outsider")

_seq = itertools.count(1)
PASSWORD = "correct horse battery staple"


def make_user(email: str | None = None, *, password: str = PASSWORD, verified: bool = True) -> User:
    email = email or f"person{next(_seq)}@example.org"
    user = User.objects.create_user(email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def make_community(name: str | None = None, **kwargs: object) -> Community:
    return community_create(name=name or f"Community {next(_seq)}", **kwargs)  # type: ignore[arg-type]


def make_membership(
    community: Community, *, role: str = Membership.Role.MEMBER, user: User | None = None, name: str = ""
) -> Membership:
    user = user or make_user()
    return Membership.objects.create(
        user=user, community=community, role=role, display_name=name or f"Member {next(_seq)}"
    )


def make_application(
    community: Community, *, user: User | None = None, answers: list[str] | None = None
) -> Application:
    user = user or make_user()
    return Application.objects.create(
        community=community, user=user, display_name=f"Applicant {next(_seq)}", answers=answers or []
    )
