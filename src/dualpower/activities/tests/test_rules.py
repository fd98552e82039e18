"""Who may do what with activities: every role against every permission."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.activities.rules import PERMISSIONS
from dualpower.activities.tests.conftest import ROLES
from dualpower.activities.tests.factories import SeriesFactory, first_activity
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db

READERS = {"observer", "member", "organiser", "coordinator"}
TAKERS = {"member", "organiser", "coordinator"}
RUNNERS = {"organiser", "coordinator"}
EXPECTED: dict[str, set[str]] = {
    "activities.list_activities": READERS,
    "activities.view_activity": READERS,
    "activities.add_series": {"coordinator"},
    "activities.change_series": RUNNERS,
    "activities.reschedule_series": RUNNERS,
    "activities.organise": RUNNERS,
    "activities.view_feedback": RUNNERS,
    "activities.sign_up": TAKERS,
    "activities.give_feedback": TAKERS,
    "activities.list_roles": READERS,
    "activities.manage_roles": {"coordinator"},
    "activities.vouch": TAKERS,
}
ON_COMMUNITY = {
    "activities.list_activities",
    "activities.add_series",
    "activities.list_roles",
    "activities.manage_roles",
    "activities.vouch",
}


def test_every_permission_of_the_app_is_in_the_matrix() -> None:
    assert set(EXPECTED) == set(PERMISSIONS)


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(
    everyone: dict[str, Any], community: Any, series: Any, role: str, perm: str
) -> None:
    obj = community if perm in ON_COMMUNITY else first_activity(series)
    assert everyone[role].has_perm(perm, obj) is (role in EXPECTED[perm])


def test_organising_one_activity_is_not_organising_another(
    everyone: dict[str, Any], community: Any, series: Any
) -> None:
    other = SeriesFactory.create(community=community, title="Tenants' clinic")
    assert not everyone["organiser"].has_perm("activities.organise", first_activity(other))
    assert everyone["organiser"].has_perm("activities.organise", series)


def test_a_convener_may_start_activities(everyone: dict[str, Any], community: Any) -> None:
    from dualpower.groups.tests.factories import food, put_in_group

    put_in_group(food(community), membership_of(everyone["member"], community), convener=True)
    assert everyone["member"].has_perm("activities.add_series", community)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_runs_another_communitys_activity(
    everyone: dict[str, Any], other_community: Any, role: str
) -> None:
    activity = first_activity(SeriesFactory.create(community=other_community))
    allowed = {
        perm for perm in PERMISSIONS if perm not in ON_COMMUNITY and everyone[role].has_perm(perm, activity)
    }
    # The outsider is a plain member over there: they read and take part, nothing more.
    expected = {"activities.view_activity", "activities.sign_up", "activities.give_feedback"}
    assert allowed == (expected if role == "outsider" else set())
