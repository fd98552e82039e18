"""Who may do what in deliberations: every permission against every role."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.deliberation.rules import PERMISSIONS
from dualpower.deliberation.tests.factories import make_deliberation
from dualpower.members.tests.factories import ROLES, membership_of

pytestmark = pytest.mark.django_db

ADMITTED = {"observer", "member", "coordinator"}
EXPECTED: dict[str, set[str]] = {
    "deliberation.view": ADMITTED,
    # Who may put proposals to the general assembly may open a deliberation there.
    "deliberation.open": {"member", "coordinator"},
    # Observers read the map; the assembly's voters take part.
    "deliberation.take_part": {"member", "coordinator"},
    # Facilitators: who opened it (here the member) and coordinators who vote in the assembly.
    "deliberation.moderate": {"member", "coordinator"},
    "deliberation.start_proposal": {"member", "coordinator"},
    # Facilitators turn the link on, replace it, turn it off.
    "deliberation.share_link": {"member", "coordinator"},
    "deliberation.open_to_peers": {"member", "coordinator"},
}
# Checked on a deliberation a peer community opened to us (PeerDeliberation).
PEER_EXPECTED: dict[str, set[str]] = {
    "deliberation.view_peer": ADMITTED,
    # Members vote on it (their node relays the vote); observers read it.
    "deliberation.take_part_peer": {"member", "coordinator"},
}
# Checked on a LinkVisit: whoever holds the current link, signed in or not, from here or not.
LINK_PERMISSIONS = (
    "deliberation.view_by_link",
    "deliberation.take_part_by_link",
    "deliberation.add_by_link",
)


def test_every_permission_is_in_the_matrix() -> None:
    assert set(EXPECTED) | set(LINK_PERMISSIONS) | set(PEER_EXPECTED) == set(PERMISSIONS)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(people: Any, community: Any, role: str) -> None:
    deliberation = make_deliberation(community, by=membership_of(people["member"], community))
    for perm, allowed in EXPECTED.items():
        obj = community if perm == "deliberation.open" else deliberation
        assert people[role].has_perm(perm, obj) == (role in allowed), perm


def test_another_member_does_not_facilitate_and_nobody_takes_part_once_closed(
    people: Any, community: Any
) -> None:
    from dualpower.deliberation import services
    from dualpower.members.tests.factories import make_membership

    opener = make_membership(community, name="Opener")
    deliberation = make_deliberation(community, by=opener)
    assert not people["member"].has_perm("deliberation.moderate", deliberation)
    assert people["member"].has_perm("deliberation.take_part", deliberation)
    services.deliberation_close(deliberation=deliberation, by=opener)
    deliberation.refresh_from_db()
    assert not people["member"].has_perm("deliberation.take_part", deliberation)
    assert people["member"].has_perm("deliberation.view", deliberation)


@pytest.mark.parametrize("role", ROLES)
def test_link_matrix_with_the_link_without_it_and_once_revoked(
    people: Any, community: Any, role: str
) -> None:
    from dualpower.deliberation import services
    from dualpower.deliberation.rules import LinkVisit

    opener = membership_of(people["member"], community)
    deliberation = make_deliberation(community, by=opener)
    user = people[role]
    # Anonymous without the link: nothing at all.
    if role == "anonymous":
        assert not any(user.has_perm(p, deliberation) for p in EXPECTED if p != "deliberation.open")
    assert not any(user.has_perm(p, LinkVisit(deliberation, "")) for p in LINK_PERMISSIONS)
    deliberation = services.link_set(deliberation=deliberation, by=opener, action="on", statements=True)
    token = deliberation.link_token
    # With the link: every role may read; all but the assembly's voters vote and add statements
    # by it (voters take part as members: by the link too, their votes would count twice).
    voter = user.has_perm("deliberation.take_part", deliberation)
    assert voter == (role in EXPECTED["deliberation.take_part"])
    visit = LinkVisit(deliberation, token)
    assert user.has_perm("deliberation.view_by_link", visit)
    assert user.has_perm("deliberation.take_part_by_link", visit) is not voter
    assert user.has_perm("deliberation.add_by_link", visit) is not voter
    assert not any(user.has_perm(p, LinkVisit(deliberation, token + "x")) for p in LINK_PERMISSIONS)
    no_statements = services.link_set(deliberation=deliberation, by=opener, action="on", statements=False)
    assert not user.has_perm("deliberation.add_by_link", LinkVisit(no_statements, token))
    assert user.has_perm("deliberation.take_part_by_link", LinkVisit(no_statements, token)) is not voter
    # Replaced, then turned off: the old link works for nobody.
    rotated = services.link_set(deliberation=deliberation, by=opener, action="rotate", statements=True)
    assert not any(user.has_perm(p, LinkVisit(rotated, token)) for p in LINK_PERMISSIONS)
    assert user.has_perm("deliberation.view_by_link", LinkVisit(rotated, rotated.link_token))
    off = services.link_set(deliberation=deliberation, by=opener, action="off")
    assert not any(user.has_perm(p, LinkVisit(off, rotated.link_token)) for p in LINK_PERMISSIONS)
    assert not user.has_perm("deliberation.view_by_link", LinkVisit(off, ""))


@pytest.mark.parametrize("role", ROLES)
def test_peer_deliberation_matrix(people: Any, community: Any, role: str) -> None:
    from dualpower.deliberation.models import PeerDeliberation
    from dualpower.deliberation.services.peers import peer_deliberation_keep

    fields = {"question": "What should the garden grow?", "statements": [{"number": 1, "text": "Apples."}]}
    where = {"uri": "https://garden.example/deliberations/1", "actor_uri": "https://garden.example/c/g"}
    peer_deliberation_keep(community=community, fields=fields, **where)
    theirs = PeerDeliberation.objects.get()
    for perm, allowed in PEER_EXPECTED.items():
        assert people[role].has_perm(perm, theirs) == (role in allowed), perm
    peer_deliberation_keep(community=community, fields=fields | {"is_closed": True}, **where)
    theirs.refresh_from_db()
    assert not people[role].has_perm("deliberation.take_part_peer", theirs)
    # Nothing of ours is a peer's deliberation, nor the other way round.
    assert not people[role].has_perm("deliberation.view_peer", make_deliberation(community))
