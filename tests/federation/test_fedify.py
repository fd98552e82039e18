"""Interoperability with a peer no one here wrote (issue 15): a small Fedify 2.3.6 server
(tests/federation/fedify/peer.mjs, on Node 22, both installed by `make federation-node`) and a real
`dualpower serve` node, over HTTP on loopback.

- the Fedify actor follows a dualpower community and receives its Accept; the community's public
  Create(Note) reaches it, and its Create(Note) reply is kept by dualpower (a RemoteObject in reply
  to the community's note);
- the community's coordinator publishes a proposal as an advisory poll (the button on its page):
  the Fedify actor receives the ``Question`` and reads it with Fedify's own vocabulary (anyOf,
  the options, votersCount, endTime); it answers as Mastodon does (a Create(Note) with the
  option's ``name`` in reply to the Question), and dualpower counts it as an advisory answer, not
  as a reply nor as a member's vote; the Question at its id then says so, as Fedify reads it;
- the community follows the Fedify actor (its coordinator types @peer@host on the Network page;
  found through Fedify's WebFinger), is accepted, and the actor's Create(Note) to its followers
  is kept by dualpower;
- both signature schemes cross: Fedify signs RFC 9421 first (its "double knock") and dualpower
  accepts it; dualpower signs draft-cavage and Fedify accepts that.

Nothing is skipped: without Node and Fedify the test fails and says how to install them.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.federation.nodes import Node, Template, free_port, http, network, wait_for

# The SQLite pass only: what this checks is the protocol with a peer no one here wrote; the node's
# own work on PostgreSQL (inbox, outbox, deliveries between real processes) is
# tests/federation/test_nodes.py's, which runs in both passes (keeps make test under 20 minutes).
pytestmark = pytest.mark.slow

FEDIFY = Path(__file__).parent / "fedify"
NODE = FEDIFY / "node_modules" / ".bin" / "node"
INSTALLED = FEDIFY / "node_modules" / "@fedify" / "fedify" / "package.json"

PUBLISH = """
import uuid
from django.db import transaction
from dualpower.community.models import Community
from dualpower.federation import activities, delivery, ids
community = Community.objects.get(slug=slug)
public = activities.addressing(community=community, audience="public")
note = {"id": ids.community_actor_id(community) + "/notes/" + uuid.uuid4().hex, "type": "Note",
        "attributedTo": ids.community_actor_id(community), "content": content, **public}
activity = activities.activity_build(kind="Create", community=community, object=note, **public)
with transaction.atomic():
    delivery.activity_publish(community=community, activity=activity, audience="public")
emit(note["id"])
"""

# An approval poll (anyOf) of the community's general assembly, opened for votes now, put forward
# by its coordinator (the one member).
PROPOSE = """
from dualpower.assemblies import services
from dualpower.community.models import Community
community = Community.objects.get(slug=slug)
by = community.memberships.get(role="coordinator")
assembly = services.general_assembly_for(community)
proposal = services.proposal_create(
    assembly=assembly, by=by, title=title, process="approval", options=options
)
if proposal.state == "discussion":
    services.proposal_open_voting(proposal=proposal, by=by)
emit(proposal.get_absolute_url())
"""


class Peer:
    """The Fedify process: its actor, and the control routes of peer.mjs."""

    def __init__(self, port: int, process: subprocess.Popen[bytes], log: Path) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.host = f"127.0.0.1:{port}"
        self.actor = f"{self.base}/users/peer"
        self.process = process
        self.log = log

    def state(self) -> dict[str, Any]:
        return http("GET", f"{self.base}/control/state").json()  # type: ignore[no-any-return]

    def command(self, name: str, **body: str) -> dict[str, Any]:
        reply = http(
            "POST",
            f"{self.base}/control/{name}",
            body=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        assert reply.status == 200, f"peer {name}: {reply.status} {reply.body[:500]!r}\n{self.output()}"
        return reply.json()  # type: ignore[no-any-return]

    def received(self, kind: str) -> list[dict[str, Any]]:
        return [item for item in self.state()["received"] if item["type"] == kind]

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


@pytest.fixture
def peer(tmp_path: Path) -> Iterator[Peer]:
    if not (NODE.exists() and INSTALLED.exists()):
        pytest.fail(
            "Node 22 and Fedify are not installed in tests/federation/fedify: run `make federation-node` "
            "(make test does it first)."
        )
    port = free_port()
    log = tmp_path / "fedify.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(NODE), "peer.mjs"],
            cwd=FEDIFY,
            env={"PATH": "/usr/bin:/bin", "PORT": str(port), "HOME": str(tmp_path)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    fedify = Peer(port, process, log)

    def up() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"the Fedify peer stopped:\n{fedify.output()}")
        try:
            return http("GET", f"{fedify.base}/control/state", timeout=5).status == 200
        except OSError:
            return False

    try:
        wait_for("the Fedify peer to answer", up, seconds=90)
        yield fedify
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def node(tmp_path: Path, node_template: Template) -> Iterator[Node]:
    with network(tmp_path, node_template, {"f": "Fedify Friends"}) as nodes:
        yield nodes["f"]


def kept(node: Node, uri: str) -> dict[str, Any] | None:
    """The RemoteObject dualpower keeps for ``uri``: its kind, author, community and thread."""
    rows = node.query(
        "SELECT o.kind, a.uri, c.slug, o.in_reply_to FROM federation_remoteobject o"
        " JOIN federation_remoteactor a ON a.id = o.actor_id"
        " LEFT JOIN community_community c ON c.id = o.community_id WHERE o.uri = %s",
        uri,
    )
    if not rows:
        return None
    kind, author, community, in_reply_to = rows[0]
    return {"kind": kind, "author": author, "community": community, "in_reply_to": in_reply_to}


def test_fedify_and_dualpower_follow_each_other_and_exchange_notes(node: Node, peer: Peer) -> None:
    # The Fedify actor follows the community: dualpower records it and answers with an Accept.
    follow = peer.command("follow", object=node.actor_id)["follow"]
    accepts = wait_for("the Accept at the Fedify peer", lambda: peer.received("Accept"), seconds=120)
    assert accepts[0]["actor"] == node.actor_id
    accepted = accepts[0]["json"]["object"]
    assert (accepted["id"] if isinstance(accepted, dict) else accepted) == follow
    followers = node.query(
        "SELECT a.uri FROM federation_follower f JOIN federation_remoteactor a ON a.id = f.actor_id"
    )
    assert followers == [(peer.actor,)]

    # The community publishes a note: its follower on Fedify receives it, and replies.
    note = node.python(PUBLISH, slug=node.community, content="Seed swap at the library on Sunday.")
    creates = wait_for(
        "the community's note at the Fedify peer", lambda: peer.received("Create"), seconds=120
    )
    assert creates[0]["actor"] == node.actor_id
    reply = peer.command("reply", to=node.actor_id, inReplyTo=note, content="We will bring tomatoes!")["note"]
    stored = wait_for("dualpower to keep the reply", lambda: kept(node, reply), seconds=120)
    assert stored == {"kind": "Note", "author": peer.actor, "community": node.community, "in_reply_to": note}

    # Its coordinator publishes a proposal as an advisory poll; Fedify reads the Question.
    options = ["Tool library", "Seed bank", "Repair café"]
    page = node.python(PROPOSE, slug=node.community, title="What should we open next?", options=options)
    browser = node.signed_in()
    text = browser.get(page).body.decode()
    assert "Publish as an advisory poll on the fediverse" in text
    publish = re.search(r'action="([^"]+/publish/)"', text)
    assert publish, text[-3000:]
    published = browser.post(publish.group(1), {}, page=page)
    assert published.status in (302, 303), published.body[:500]
    questions = wait_for("the Question at the Fedify peer", lambda: peer.state()["questions"], seconds=120)
    question = questions[0]
    assert question["activity"] == "Create" and question["id"].startswith(node.actor_id + "/polls/")
    assert question["oneOf"] == [] and question["anyOf"] == [{"name": o, "count": 0} for o in options]
    assert question["voters"] == 0 and question["endTime"] and question["closed"] is None

    # Fedify answers as Mastodon does; dualpower counts it apart, as an advisory answer.
    vote = peer.command("vote", to=node.actor_id, inReplyTo=question["id"], option="Seed bank")["note"]
    answers = wait_for(
        "dualpower to count the poll answer",
        lambda: node.query(
            "SELECT a.option, r.uri FROM federation_pollanswer a"
            " JOIN federation_remoteactor r ON r.id = a.actor_id WHERE a.uri = %s",
            vote,
        ),
        seconds=120,
    )
    assert answers == [(1, peer.actor)]
    assert kept(node, vote) is None  # not a reply
    assert node.query("SELECT COUNT(*) FROM assemblies_vote") == [(0,)]  # nor a member's vote
    seen = peer.command("lookup", uri=question["id"])
    assert seen["anyOf"] == [
        {"name": "Tool library", "count": 0},
        {"name": "Seed bank", "count": 1},
        {"name": "Repair café", "count": 0},
    ]
    assert seen["voters"] == 1

    # The community follows the Fedify actor, found through Fedify's WebFinger, and is accepted.
    node.follow(f"@peer@{peer.host}")
    wait_for(
        "the Fedify actor's Accept at dualpower",
        lambda: node.query("SELECT state FROM federation_following") == [("accepted",)],
        seconds=120,
    )
    assert [item["actor"] for item in peer.received("Follow")] == [node.actor_id]
    assert peer.state()["followers"] == [node.actor_id]

    # Its post to its followers reaches dualpower, which keeps it (a post of an actor followed).
    post = peer.command("post", content="Fedify says hello to its followers.")["note"]
    stored = wait_for("dualpower to keep the Fedify actor's post", lambda: kept(node, post), seconds=120)
    assert stored["kind"] == "Note" and stored["author"] == peer.actor and stored["in_reply_to"] == ""

    # Both signature schemes crossed: Fedify's RFC 9421 accepted by dualpower on the first knock,
    # dualpower's draft-cavage accepted by Fedify.
    requests = peer.state()["requests"]
    to_dualpower = [r for r in requests if r["direction"] == "out" and r["url"].startswith(node.base)]
    assert to_dualpower and all(r["scheme"] == "rfc9421" for r in to_dualpower), to_dualpower
    assert all(200 <= r["status"] < 300 for r in to_dualpower), to_dualpower
    from_dualpower = [r for r in requests if r["direction"] == "in"]
    assert from_dualpower and all(r["scheme"] == "cavage" for r in from_dualpower), from_dualpower
    assert all(200 <= r["status"] < 300 for r in from_dualpower), from_dualpower
    assert peer.state()["errors"] == []
