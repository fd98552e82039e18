"""Every rapid response and eviction defence permission swept over every role (defence/rules.py
RESPONSE_PERMISSIONS), the defence roles included: the verifier on shift, a responder alerted for
the incident, a responder on shift in another area (not alerted). The incident was reported by the
member ("member") in North and verified. A new permission without a row here fails
``test_every_permission_has_a_row``."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.defence.rules import RESPONSE_PERMISSIONS
from dualpower.defence.services import response_cases as cases
from dualpower.defence.tests.factories_response import make_world, verified
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db

DEFENCE_ROLES = (*ROLES, "verifier", "responder", "far_responder")
EXTRA = {"verifier", "responder", "far_responder"}
ADMITTED = {"observer", "member", "coordinator", *EXTRA}
MEMBERS = ADMITTED - {"observer"}
# perm -> (the object it is checked on, the roles allowed)
EXPECTED: dict[str, tuple[str, set[str]]] = {
    "defence.view": ("community", ADMITTED),
    "defence.report_incident": ("community", MEMBERS),
    "defence.dispatch": ("community", {"verifier"}),
    # The reporter, the verifier on shift and the responders alerted; nobody else, not coordinators.
    "defence.view_incident": ("incident", {"member", "verifier", "responder"}),
    "defence.verify": ("incident", {"verifier"}),
    "defence.respond": ("incident", {"responder"}),
    "defence.view_counts": ("community", ADMITTED),
    "defence.manage": ("community", {"coordinator"}),
    # The coordinator started the rotas, so organises them: the only one who sees phone numbers.
    "defence.view_phones": ("community", {"coordinator"}),
    "defence.set_profile": ("community", MEMBERS),
    "defence.view_cases": ("case", MEMBERS),
    "defence.manage_cases": ("case", {"coordinator"}),
    # Know-your-rights pages are for everyone when the community is public (the test one is).
    "defence.view_rights": ("community", set(DEFENCE_ROLES)),
    "defence.edit_rights": ("community", {"coordinator"}),
    # Sharing a page with peers speaks for the community; the ban list is the coordinators'.
    "defence.share_rights": ("community", {"coordinator"}),
    "defence.ban_reporters": ("community", {"coordinator"}),
}


def test_every_permission_has_a_row() -> None:
    assert set(RESPONSE_PERMISSIONS) == set(EXPECTED)


@pytest.mark.parametrize("role", DEFENCE_ROLES)
def test_role_matrix(community: Any, people: dict[str, Any], role: str) -> None:
    world = make_world(community, people)
    incident = verified(world)
    case = cases.case_open(community=community, by=world.coordinator, household="HH-1", landlord="Crestline")
    objects = {"community": community, "incident": incident, "case": case}
    user = world.users[role]
    got = {perm: user.has_perm(perm, objects[EXPECTED[perm][0]]) for perm in RESPONSE_PERMISSIONS}
    assert got == {perm: role in EXPECTED[perm][1] for perm in RESPONSE_PERMISSIONS}


def test_a_closed_alert_takes_no_more_answers(community: Any, people: dict[str, Any]) -> None:
    from dualpower.defence.services import response_incidents as incidents

    world = make_world(community, people)
    incident = incidents.incident_close(incident=verified(world), by=world.verifier)
    assert world.users["responder"].has_perm("defence.view_incident", incident)
    assert not world.users["responder"].has_perm("defence.respond", incident)


def test_the_defence_group_keeps_the_board(community: Any, people: dict[str, Any]) -> None:
    from dualpower.defence.services import response_settings as settings_services
    from dualpower.groups.tests.factories import WorkingGroupFactory, put_in_group

    world = make_world(community, people)
    group = WorkingGroupFactory.create(community=community, name="Tenants' defence")
    put_in_group(group, world.responder)
    settings_services.defence_settings_update(community=community, by=world.coordinator, group=group)
    responder = world.users["responder"]
    assert responder.has_perm("defence.manage_cases", community)
    assert responder.has_perm("defence.edit_rights", community)
    assert not world.users["member"].has_perm("defence.edit_rights", community)
