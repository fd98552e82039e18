"""Every aid permission swept over every role (aid/rules.py), the aid roles included: the
dispatcher, the volunteer matched to the request and a volunteer who is not. The request is
Mara's ("member"), seen by all members; the food volunteer is matched and both sides confirmed.
A new permission without a row here fails ``test_every_permission_has_a_row``. (What each role
sees at each privacy level is in test_privacy_matrix.py.)"""

from __future__ import annotations

import pytest

from dualpower.aid.rules import PERMISSIONS
from dualpower.aid.tests.factories import AidWorld, confirmed_match, make_request
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db

AID_ROLES = (*ROLES, "dispatcher", "matched_volunteer", "other_volunteer")
VOLUNTEERS = {"dispatcher", "matched_volunteer", "other_volunteer"}
ADMITTED = {"observer", "member", "coordinator", *VOLUNTEERS}
MEMBERS = ADMITTED - {"observer"}
IN_THE_MATCH = {"member", "matched_volunteer", "dispatcher"}
# perm -> (the object it is checked on, the roles allowed)
EXPECTED: dict[str, tuple[str, set[str]]] = {
    "aid.view_requests": ("community", ADMITTED),
    "aid.view_summary": ("community", ADMITTED),
    "aid.add_request": ("community", ADMITTED),
    "aid.add_offer": ("community", MEMBERS),
    "aid.view_request": ("request", ADMITTED),
    # Private details: dispatchers, the person helped, the matched volunteer once both confirmed.
    "aid.view_details": ("request", {"dispatcher", "member", "matched_volunteer"}),
    "aid.change_details": ("request", {"dispatcher", "member"}),
    "aid.accept_request": ("request", MEMBERS - {"member"}),
    "aid.cancel_request": ("request", {"member", "dispatcher"}),
    "aid.refer_request": ("request", {"dispatcher"}),
    "aid.close_request": ("request", {"dispatcher"}),
    "aid.view_offer": ("offer", ADMITTED),
    "aid.change_offer": ("offer", {"matched_volunteer", "dispatcher"}),
    "aid.view_match": ("match", IN_THE_MATCH),
    "aid.confirm_match": ("match", IN_THE_MATCH),
    "aid.act_on_match": ("match", {"matched_volunteer", "dispatcher"}),
    "aid.feedback_match": ("match", IN_THE_MATCH),
    "aid.dispatch": ("community", {"dispatcher"}),
    # Coordinators grant the dispatcher role but are not dispatchers by office.
    "aid.manage_dispatchers": ("community", {"coordinator"}),
    "aid.change_settings": ("community", {"coordinator", "dispatcher"}),
    # Referring to a peer community, and answering a peer's referrals: dispatchers only.
    "aid.refer_to_peer": ("request", {"dispatcher"}),
    "aid.answer_referrals": ("community", {"dispatcher"}),
}


def test_every_permission_has_a_row() -> None:
    assert set(PERMISSIONS) == set(EXPECTED)


@pytest.mark.parametrize("role", AID_ROLES)
def test_role_matrix(world: AidWorld, role: str) -> None:
    request = make_request(world)
    match = confirmed_match(world, request)
    request.refresh_from_db()
    objects = {
        "community": world.community,
        "request": request,
        "offer": world.food_offer,
        "match": match,
    }
    user = world.users[role]
    got = {perm: user.has_perm(perm, objects[EXPECTED[perm][0]]) for perm in PERMISSIONS}
    assert got == {perm: role in EXPECTED[perm][1] for perm in PERMISSIONS}
