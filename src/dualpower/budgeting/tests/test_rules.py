"""Who may do what, for every role in every phase."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.budgeting.models import PHASE_ORDER, Phase
from dualpower.budgeting.rules import PERMISSIONS
from dualpower.budgeting.tests.factories import make_cycle, set_phase
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.members.tests.factories import ROLES, membership_of

pytestmark = pytest.mark.django_db

READERS = {"observer", "member", "coordinator"}
PARTICIPANTS = {"member", "coordinator"}
NOBODY: set[str] = set()
ALL = set(PHASE_ORDER)

# permission -> (roles allowed, phases in which they are allowed). The "member" here is in the
# cycle's working group; a member outside it is checked separately below.
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "budgeting.list_cycles": (READERS, ALL),
    "budgeting.view_cycle": (READERS, ALL),
    "budgeting.add_cycle": ({"coordinator"}, ALL),
    "budgeting.import_cycle": ({"coordinator"}, ALL),
    "budgeting.manage_cycle": ({"coordinator"}, ALL),
    "budgeting.submit_idea": (PARTICIPANTS, {Phase.IDEAS}),
    "budgeting.develop_proposals": (PARTICIPANTS, {Phase.IDEAS, Phase.DEVELOPMENT}),
    "budgeting.review_feasibility": (PARTICIPANTS, {Phase.FEASIBILITY}),
    "budgeting.vote": (PARTICIPANTS, {Phase.VOTING}),
    "budgeting.enter_paper": (PARTICIPANTS, {Phase.VOTING}),
    # The test community is public: anyone may read the counted results and the accountability page.
    "budgeting.view_results": (set(ROLES), {Phase.RESULTS, Phase.IMPLEMENTATION}),
    "budgeting.track_implementation": (PARTICIPANTS, {Phase.IMPLEMENTATION}),
}
ON_COMMUNITY = {"budgeting.list_cycles", "budgeting.add_cycle", "budgeting.import_cycle"}


def test_every_permission_of_the_app_is_in_the_matrix() -> None:
    assert set(EXPECTED) == set(PERMISSIONS)


def _world(people: dict[str, Any], community: Any) -> Any:
    group = WorkingGroup.objects.create(community=community, slug="budget", name="Budget group")
    GroupMembership.objects.create(group=group, membership=membership_of(people["member"], community))
    return make_cycle(community, working_group=group)


@pytest.mark.parametrize("phase", PHASE_ORDER)
@pytest.mark.parametrize("role", ROLES)
def test_role_by_phase_matrix(people: dict[str, Any], community: Any, role: str, phase: str) -> None:
    cycle = set_phase(_world(people, community), phase)
    allowed = set()
    for perm in PERMISSIONS:
        obj = community if perm in ON_COMMUNITY else cycle
        if people[role].has_perm(perm, obj):
            allowed.add(perm)
    expected = {perm for perm, (roles, phases) in EXPECTED.items() if role in roles and phase in phases}
    assert allowed == expected


@pytest.mark.parametrize(
    "perm", ["budgeting.review_feasibility", "budgeting.enter_paper", "budgeting.track_implementation"]
)
def test_a_member_outside_the_working_group_does_not_review_count_or_track(
    people: dict[str, Any], community: Any, perm: str
) -> None:
    cycle = make_cycle(community)  # no working group
    phase = EXPECTED[perm][1].pop() if len(EXPECTED[perm][1]) == 1 else Phase.VOTING
    set_phase(cycle, phase)
    assert not people["member"].has_perm(perm, cycle)
    assert people["coordinator"].has_perm(perm, cycle)


def test_a_private_communitys_results_are_for_its_people(people: dict[str, Any], community: Any) -> None:
    community.is_public = False
    community.save()
    cycle = make_cycle(community, phase=Phase.RESULTS)
    assert people["observer"].has_perm("budgeting.view_results", cycle)
    assert not people["anonymous"].has_perm("budgeting.view_results", cycle)
    assert not people["outsider"].has_perm("budgeting.view_results", cycle)


def test_an_imported_cycle_takes_no_part_in_any_phase(people: dict[str, Any], community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING, imported_from="x.pb")
    assert not people["member"].has_perm("budgeting.vote", cycle)
