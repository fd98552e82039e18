"""Step of the three-node story (tests/federation/test_nodes.py), run after A and B became peers: A
publishes a guide to its peers; B finds it by search, copies it, adapts it and adopts it by a
decision; the copy keeps its origin and its changes. C, not a peer, cannot fetch the guide.

Everything a person does is done on the pages, by each community's coordinator signed in: the
guide form, the search box, "Copy to our commons", the edit form, and the guide page's link
proposing to adopt it (then the proposal form, the vote and "close the vote now", as in
``Node.decide``). Every wait polls the nodes' databases; nothing is timed.
"""

from __future__ import annotations

import html
import re
import urllib.parse

from tests.federation.nodes import Node, wait_for

TITLE = "Running a tenants' assembly in ninety minutes"
BODY = "Post the agenda a week ahead.\n\nA round of names.\n\nDecisions by consent, then two thirds."
ADAPTED = "Post the agenda two weeks ahead.\n\nA round of names.\n\nDecisions by consent, then two thirds."

GUIDE_ID = """
from dualpower.commons import objects
from dualpower.commons.models import Guide
guide = Guide.objects.select_related("community").get(community__slug=slug, title=title)
emit({"id": objects.guide_id(guide), "published": guide.published_audience, "version": guide.version})
"""

# A signed GET as the node's instance actor, the way a server fetches an object.
FETCH = """
from dualpower.errors import DomainError
from dualpower.federation import fetch, ids
try:
    document = fetch.get_json(uri, sign=ids.signer_for(None))
    emit({"status": 200, "id": document.get("id"), "source": document.get("source", {}).get("content")})
except DomainError as error:
    emit({"status": getattr(error, "upstream_status", None) or error.status, "detail": error.detail})
"""


def _text(page: bytes) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.decode()))


def _decide_through(node: Node, link: str, title: str) -> str:
    """The proposal form reached by ``link`` (its action and guide already chosen), the vote, and
    "close the vote now" (the community's one member has voted): the decided proposal's text."""
    browser = node.signed_in()
    new = urllib.parse.urlsplit(html.unescape(link))
    reply = browser.post(f"{new.path}?{new.query}", {"title": title, "body": f"{title}."}, defaults=True)
    assert reply.status in (302, 303), f"proposing on {node.name}: {reply.status} {reply.body[:600]!r}"
    proposal = urllib.parse.urlsplit(reply.headers["location"]).path
    if 'value="vote"' in browser.get(proposal).body.decode():
        assert browser.post(proposal + "step/", {"step": "vote"}, page=proposal).status in (302, 303)
    assert browser.post(proposal + "vote/", {"position": "agree"}, page=proposal).status in (302, 303)
    assert browser.post(proposal + "close/", {"reason": ""}, page=proposal).status in (302, 303)
    return _text(browser.get(proposal).body)


def run(nodes: dict[str, Node]) -> None:
    a, b, c = nodes["a"], nodes["b"], nodes["c"]

    # 1. A's coordinator writes a guide and shares it with A's peers, on the guide form.
    page = f"/c/{a.community}/commons/new/"
    form = {
        "title": TITLE,
        "kind": "meeting_format",
        "body": BODY,
        "licence": "cc-by-sa-4.0",
        "language": "en",
        "visibility": "peers",
        "note": "Written after the September assembly",
    }
    reply = a.signed_in().post(page, form)
    assert reply.status in (302, 303), f"writing the guide on A: {reply.status} {reply.body[:600]!r}"
    guide = a.python(GUIDE_ID, slug=a.community, title=TITLE)
    assert guide["published"] == "peers" and guide["version"] == 1
    uri = guide["id"]

    # 2. B receives it (delivered by A's worker to its peer).
    wait_for(
        "B to receive A's guide",
        lambda: (
            b.query("SELECT title, version, licence FROM commons_receivedguide WHERE uri = %s", uri)
            == [(TITLE, 1, "cc-by-sa-4.0")]
        ),
        seconds=120,
    )

    # 3. B's coordinator finds it with the search box, and copies it into B's commons.
    browser = b.signed_in()
    found = browser.get(f"/c/{b.community}/commons/?" + urllib.parse.urlencode({"q": "ninety minutes"}))
    assert found.status == 200
    links = re.findall(r'href="(/c/[^"]+/commons/received/\d+/)"', found.body.decode())
    assert len(links) == 1, f"B's search found {links}"
    received = links[0]
    assert "Riverside Commons" in _text(browser.get(received).body)
    reply = browser.post(received + "copy/", {}, page=received)
    assert reply.status in (302, 303), f"copying on B: {reply.status}"
    copy = urllib.parse.urlsplit(reply.headers["location"]).path
    assert re.fullmatch(rf"/c/{b.community}/commons/\d+/", copy), copy

    # 4. B adapts it: a new version with a note of what changed.
    reply = browser.post(copy + "edit/", {"body": ADAPTED, "note": "Two weeks' notice for us"}, defaults=True)
    assert reply.status in (302, 303), f"editing on B: {reply.status} {reply.body[:600]!r}"

    # 5. B's assembly adopts it by a decision, from the guide page's link.
    links = re.findall(r'href="([^"]*action=commons\.adopt[^"]*)"', browser.get(copy).body.decode())
    assert links, "no link to propose adopting the guide on B"
    decided = _decide_through(b, links[0], "Adopt the assembly format")
    assert "Its actions were carried out." in decided, decided[-2000:]
    rows = b.query(
        "SELECT state, version, adopted_version, adopted_decision_ref, origin_uri, origin_community, "
        "origin_version, visibility FROM commons_guide"
    )
    assert len(rows) == 1
    state, version, adopted, ref, origin, origin_name, origin_version, visibility = rows[0]
    assert (state, version, adopted) == ("adopted", 2, 2)
    assert ref.startswith("proposal:")
    assert (origin, origin_name, origin_version, visibility) == (uri, "Riverside Commons", 1, "members")

    # 6. The copy shows both versions: A's text as copied, and B's change.
    history = _text(browser.get(copy + "history/").body)
    assert "Copied from Riverside Commons, their version 1" in history
    assert "Two weeks' notice for us" in history
    assert "Post the agenda a week ahead." in history and "Post the agenda two weeks ahead." in history

    # 7. The guide at its id: B (a peer) may fetch it; C (not a peer) gets A's 404, like anyone.
    assert b.python(FETCH, uri=uri) == {"status": 200, "id": uri, "source": BODY}
    refused = c.python(FETCH, uri=uri)
    assert refused["status"] == 404, refused
    assert c.query("SELECT count(*) FROM commons_receivedguide") == [(0,)]
