"""Fixtures for the activities tests: an organiser beside the usual roles, and a coming activity."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.activities.tests.factories import SeriesFactory
from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership, membership_of

# The roles every matrix of this app sweeps: the community's roles plus an activity's organiser.
ROLES = ("anonymous", "applicant", "observer", "member", "organiser", "coordinator", "outsider")


@pytest.fixture
def everyone(people: dict[str, Any], community: Any) -> dict[str, Any]:
    """``people`` plus "organiser": a member who organises the activity ``series``."""
    organiser = make_membership(community, role=Membership.Role.MEMBER, name="Ola the organiser")
    return {**people, "organiser": organiser.user}


@pytest.fixture
def series(everyone: dict[str, Any], community: Any) -> Any:
    """A one-off activity in two days (Drivers: 2, Packers: 3), organised by "organiser"."""
    coordinator = membership_of(everyone["coordinator"], community)
    organiser = membership_of(everyone["organiser"], community)
    return SeriesFactory.create(community=community, by=coordinator, organisers=[organiser])


@pytest.fixture
def client_as(client: Any, everyone: dict[str, Any]) -> Any:
    def make(role: str) -> Any:
        client.logout()
        if role != "anonymous":
            client.force_login(everyone[role])
        return client

    return make
