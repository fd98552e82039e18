"""Who may do what in the learn app: every role against every permission."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.groups.tests.factories import put_in_group
from dualpower.learn.rules import PERMISSIONS
from dualpower.learn.tests.conftest import ROLES
from dualpower.learn.tests.factories import make_thing
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db

READERS = {"observer", "member", "facilitator", "keeper", "coordinator"}
TAKERS = {"member", "facilitator", "keeper", "coordinator"}
KEEPERS = {"keeper", "coordinator"}
EXPECTED: dict[str, set[str]] = {
    "learn.view": READERS,
    "learn.propose": TAKERS,
    "learn.take_part": TAKERS,
    "learn.run_offering": {"facilitator"},
    # Who attends is for the facilitators only: not even coordinators.
    "learn.view_attendance": {"facilitator"},
    "learn.add_reading": {"facilitator"},
    "learn.link_role": set(),
    "learn.set_role_keeper": {"coordinator"},
    "learn.borrow": TAKERS,
    "learn.list_thing": TAKERS,
    "learn.keep_library": KEEPERS,
    "learn.keep_thing": KEEPERS,
}
ON_COMMUNITY = {"learn.propose", "learn.set_role_keeper", "learn.list_thing", "learn.keep_library"}
ON_THING = {"learn.view", "learn.borrow", "learn.keep_thing"}


def _object(perm: str, community: Any, offering: Any, thing: Any) -> Any:
    if perm in ON_COMMUNITY:
        return community
    if perm in ON_THING:
        return thing
    return offering


def test_every_permission_of_the_app_is_in_the_matrix() -> None:
    assert set(EXPECTED) == set(PERMISSIONS)


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(
    everyone: dict[str, Any], community: Any, offering: Any, thing: Any, role: str, perm: str
) -> None:
    obj = _object(perm, community, offering, thing)
    assert everyone[role].has_perm(perm, obj) is (role in EXPECTED[perm])


@pytest.mark.parametrize("role", ROLES)
def test_attendance_is_never_shown_to_the_community(
    everyone: dict[str, Any], offering: Any, role: str
) -> None:
    """Political study is sensitive: only the facilitators read who came (each person reads their own)."""
    assert everyone[role].has_perm("learn.view_attendance", offering) is (role == "facilitator")


def test_a_member_keeps_their_own_thing_and_not_anothers(everyone: dict[str, Any], community: Any) -> None:
    mara = membership_of(everyone["member"], community)
    mine = make_thing(community, title="Sewing machine", owner=mara, by=mara)
    theirs = make_thing(community, title="Tent", owner=membership_of(everyone["facilitator"], community))
    assert everyone["member"].has_perm("learn.keep_thing", mine)
    assert not everyone["member"].has_perm("learn.keep_thing", theirs)
    # The library's keepers keep the library's things, not members' own.
    assert not everyone["keeper"].has_perm("learn.keep_thing", mine)


def test_study_circle_members_choose_readings(everyone: dict[str, Any], community: Any) -> None:
    from dualpower.learn.services import learning
    from dualpower.learn.tests.factories import make_offering

    circle = make_offering(
        community,
        kind="study_circle",
        title="Reading Freire",
        by=membership_of(everyone["facilitator"], community),
    )
    assert not everyone["member"].has_perm("learn.add_reading", circle)
    learning.enrol(offering=circle, membership=membership_of(everyone["member"], community))
    assert everyone["member"].has_perm("learn.add_reading", circle)


def test_a_convener_may_link_a_training_to_a_role(
    everyone: dict[str, Any], community: Any, offering: Any
) -> None:
    from dualpower.groups.tests.factories import food

    assert not everyone["member"].has_perm("learn.link_role", offering)
    put_in_group(food(community), membership_of(everyone["member"], community), convener=True)
    assert everyone["member"].has_perm("learn.link_role", offering)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_keeps_another_communitys_library(
    everyone: dict[str, Any], other_community: Any, role: str
) -> None:
    other_thing = make_thing(other_community, title="Hilltop ladder")
    allowed = {
        p
        for p in ("learn.view", "learn.borrow", "learn.keep_thing")
        if everyone[role].has_perm(p, other_thing)
    }
    assert allowed == ({"learn.view", "learn.borrow"} if role == "outsider" else set())
