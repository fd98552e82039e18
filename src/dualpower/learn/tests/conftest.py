"""Fixtures for the learn tests: a facilitator and a library keeper beside the usual roles."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401
from dualpower.groups.models import WorkingGroup
from dualpower.groups.tests.factories import put_in_group
from dualpower.learn.services import library
from dualpower.learn.tests.factories import make_offering, make_thing
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership, membership_of

# The roles every matrix of this app sweeps: the community's roles plus an offering's facilitator
# and a member of the working group keeping the library.
ROLES = ("anonymous", "applicant", "observer", "member", "facilitator", "keeper", "coordinator", "outsider")


@pytest.fixture
def everyone(people: dict[str, Any], community: Any) -> dict[str, Any]:
    facilitator = make_membership(community, role=Membership.Role.MEMBER, name="Fola the facilitator")
    keeper = make_membership(community, role=Membership.Role.MEMBER, name="Kemi the keeper")
    education = WorkingGroup.objects.get(community=community, slug="education")
    put_in_group(education, keeper)
    library.library_keepers_set(
        community=community, by=membership_of(people["coordinator"], community), group_id=education.pk
    )
    return {**people, "facilitator": facilitator.user, "keeper": keeper.user}


@pytest.fixture
def offering(everyone: dict[str, Any], community: Any) -> Any:
    """A training with two coming sessions, facilitated by "facilitator"."""
    return make_offering(community, by=membership_of(everyone["facilitator"], community))


@pytest.fixture
def thing(everyone: dict[str, Any], community: Any) -> Any:
    return make_thing(community)


@pytest.fixture
def client_as(client: Any, everyone: dict[str, Any]) -> Any:
    def make(role: str) -> Any:
        client.logout()
        if role != "anonymous":
            client.force_login(everyone[role])
        return client

    return make
