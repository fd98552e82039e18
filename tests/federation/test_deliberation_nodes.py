"""A deliberation opened to a peer community, between two real `dualpower serve` processes
(tests/federation/nodes.py): A's coordinator opens it to peers on the pages, B's member votes on it
at B, A counts the votes under a pseudonymous participant and sends B its map, B's member erases
their votes at B, and A erases them too (a signed Delete(DeliberationVote)) and draws its map again
without them.

The peering itself is written straight into both databases (each side's Peer row, active): the
decision that makes two communities peers is what test_nodes.py walks through on the pages.
Everything after that goes over HTTP between the nodes, delivered by their job workers; waits poll
the databases with generous deadlines, nothing is timed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.federation.nodes import Node, Template, network, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.db_sensitive]

COMMUNITIES = {"a": "Riverside Commons", "b": "Hilltop Tenants"}

PEERED = """
from dualpower.community.models import Community
from dualpower.federation import remote
from dualpower.federation.models import Peer
community = Community.objects.get(slug=slug)
actor = remote.actor_get(other)
Peer.objects.update_or_create(community=community, actor=actor, defaults={"state": "active"})
emit(True)
"""


@pytest.fixture
def nodes(tmp_path: Path, node_template: Template) -> Iterator[dict[str, Node]]:
    with network(tmp_path, node_template, COMMUNITIES) as started:
        yield started


def _peer_votes(node: Node) -> list[tuple[str, int, int]]:
    """(participant key, statement number, value) of the votes relayed from peers."""
    return node.query(
        "SELECT p.key, s.number, v.value FROM deliberation_vote v"
        " JOIN deliberation_participant p ON p.id = v.participant_id"
        " JOIN deliberation_statement s ON s.id = v.statement_id WHERE p.kind = 'peer' ORDER BY s.number"
    )


def _map(node: Node) -> tuple[int, int, int]:
    [(seen, mapped, participants)] = node.query(
        "SELECT votes_seen, map_votes, participants_count FROM deliberation_deliberation"
    )
    return seen, mapped, participants


def _peer_map(node: Node) -> dict[str, Any]:
    """The opinion map the node keeps of its peer's deliberation (JSON text on SQLite)."""
    [(stored,)] = node.query("SELECT opinion_map FROM deliberation_peerdeliberation")
    found = json.loads(stored) if isinstance(stored, str) else stored
    return found if isinstance(found, dict) else {}


def test_a_peers_member_votes_there_then_erases_and_the_origin_forgets_them(nodes: dict[str, Node]) -> None:
    a, b = nodes["a"], nodes["b"]
    for here, there in ((a, b), (b, a)):
        assert here.python(PEERED, slug=here.community, other=there.actor_id)

    # A's coordinator opens a deliberation on the pages, then opens it to the peers.
    opener = a.signed_in()
    assert opener.get(f"/c/{a.community}/assemblies/").status == 200  # the general assembly is made
    form = opener.get(f"/c/{a.community}/deliberations/new/").body.decode()
    assembly = re.search(r'<option value="([^"]+)"', form)
    assert assembly, form[:500]
    reply = opener.post(
        f"/c/{a.community}/deliberations/new/",
        {
            "assembly": assembly.group(1),
            "question": "What should the shared garden grow?",
            "moderation": "after",
            "seeds": "Apples.\nPears.\nWalnuts.",
        },
    )
    assert reply.status in (302, 303), reply.body[:500]
    detail = reply.headers["location"].split("#")[0]
    reply = opener.post(detail.rstrip("/") + "/peers/", {"open": "1"}, page=detail)
    assert reply.status in (302, 303)

    # B hears of it; B's coordinator (a member there) votes on two statements at B.
    [(peer_pk,)] = wait_for(
        "B to receive the deliberation",
        lambda: b.query("SELECT id FROM deliberation_peerdeliberation"),
        seconds=120,
    )
    voter = b.signed_in()
    page = f"/c/{b.community}/deliberations/peer/{peer_pk}/"
    assert "Apples." in voter.get(page).body.decode()
    for number, value in ((1, "agree"), (2, "disagree")):
        reply = voter.post(f"{page}statements/{number}/vote/", {"value": value}, page=page)
        assert reply.status in (302, 303)
    counted = wait_for(
        "A to count B's two votes", lambda: len(_peer_votes(a)) == 2 and _peer_votes(a), seconds=120
    )
    [pseudonym] = {key for key, _n, _v in counted}
    assert [(n, v) for _k, n, v in counted] == [(1, 1), (2, -1)]
    assert pseudonym == b.query("SELECT DISTINCT participant FROM deliberation_peervote")[0][0]
    wait_for("A's map to take the votes in", lambda: _map(a)[0] == _map(a)[1] == 2, seconds=120)
    # A sends its new map to its peers (the first at once, later ones at most every five minutes):
    # B keeps it for its members' page.
    kept = wait_for(
        "B to receive A's map", lambda: _peer_map(b).get("participants") == 1 and _peer_map(b), seconds=120
    )
    assert (kept["mapped"], [g["size"] for g in kept["groups"]]) == (1, [1])  # the one person so far
    assert "1 person is placed on the map" in voter.get(page).body.decode()  # drawn on B's page

    # B's member erases their votes at B: gone there, and A forgets them and draws the map again.
    assert "Erase my votes" in voter.get(page).body.decode()
    reply = voter.post(f"{page}erase/", {}, page=page)
    assert reply.status in (302, 303)
    assert b.query("SELECT COUNT(*) FROM deliberation_peervote") == [(0,)]
    wait_for("A to erase B's member's votes", lambda: _peer_votes(a) == [], seconds=120)
    assert a.query("SELECT COUNT(*) FROM deliberation_participant WHERE kind = 'peer'") == [(0,)]
    seen, _mapped, participants = _map(a)
    assert participants == 0 and seen == 3
    wait_for("A's map to be drawn without them", lambda: _map(a)[1] == 3, seconds=120)
    assert "Erase my votes" not in voter.get(page).body.decode()
