"""Step of the three-node story (tests/federation/test_nodes.py), run after A and B became peers: A
refers an aid request it cannot meet to B with only category, coarse region, urgency, languages and
expiry; B's dispatcher accepts; only then do the details travel to B, encrypted; retention erases
them on both sides; the requester is told where the request went.

Everything a dispatcher does is done on the pages (A's and B's coordinators are given the
dispatcher's role first, as a coordinator would on the aid settings page). Every wait polls the
nodes' databases; nothing is timed.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from tests.federation.nodes import Node, wait_for

# What A's dispatcher writes down for someone who phoned in: none of it may reach B before B
# accepts, nor C ever, nor stay anywhere after retention.
NAME = "Rosa Quintanilla-Referral"
CONTACT = "+34 699 123 457"
ADDRESS = "Flat 9, 3 Calle Secreta"
HEALTH = "needs a ground-floor room after surgery"
NEED = "A room for three nights for a family of three (private story)"
PRIVATE = (NAME, CONTACT, ADDRESS, HEALTH, NEED)

GRANT = """
from dualpower.aid import services
from dualpower.aid.selectors import dispatcher_ids
from dualpower.community.models import Community
from dualpower.members.models import Membership
community = Community.objects.get(slug=slug)
me = Membership.objects.get(community=community, user__email=email)
if me.pk not in dispatcher_ids(community=community):
    services.dispatcher_grant(community=community, membership=me, by=me)
"""

UNSEAL = """
from dualpower.aid import crypto
from dualpower.aid.models import AidReferral
referral = AidReferral.objects.get(direction="in", community__slug=slug)
request = referral.request
emit({"details": crypto.unseal(request.sealed), "description": request.description,
      "neighbourhood": request.neighbourhood, "category": request.category, "code": request.code})
"""

ERASE = """
from datetime import timedelta
from django.utils import timezone
from dualpower.aid import jobs
emit(jobs.erase_expired(timezone.now() + timedelta(days=days)))
"""


def _tables(node: Node) -> list[str]:
    if node.env.get("DATABASE_URL"):
        rows = node.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    else:
        rows = node.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    return [name for (name,) in rows]


def private_text_found(node: Node) -> list[str]:
    """Which of the private strings appear anywhere in the node's database, table by table."""
    found = []
    for table in _tables(node):
        # Table names come from the database's own catalogue, not from anyone's input.
        text = json.dumps(node.query(f'SELECT * FROM "{table}"'), default=str, ensure_ascii=False)  # noqa: S608
        found += [f"{table}: {secret}" for secret in PRIVATE if secret in text]
    return found


def referrals_of(node: Node) -> list[tuple[Any, ...]]:
    return node.query(
        "SELECT r.direction, r.state, r.category, r.region, r.urgency, r.request_id, r.details_id"
        " FROM aid_aidreferral r JOIN community_community c ON c.id = r.community_id WHERE c.slug = %s",
        node.community,
    )


def _outbox(node: Node, uri: str) -> dict[str, Any]:
    """One activity as the node's outbox keeps it (JSON text on SQLite, a value on PostgreSQL)."""
    [(data,)] = node.query("SELECT data FROM federation_outboundactivity WHERE uri = %s", uri)
    return json.loads(data) if isinstance(data, str) else dict(data)


def _sealed(node: Node, code: str) -> str:
    rows = node.query(
        "SELECT r.sealed FROM aid_aidrequest r JOIN community_community c ON c.id = r.community_id"
        " WHERE c.slug = %s AND r.code = %s",
        node.community,
        code,
    )
    return str(rows[0][0])


def run(nodes: dict[str, Node]) -> None:
    a, b, c = nodes["a"], nodes["b"], nodes["c"]
    for node in (a, b):
        node.python(GRANT, slug=node.community, email=node.email)
    base_a = f"/c/{a.community}/aid"

    # A's dispatcher takes a request by phone that A cannot meet, with private details.
    browser = a.signed_in()
    reply = browser.post(
        f"{base_a}/dispatch/intake/",
        {
            "category": "housing",
            "description": NEED,
            "urgency": "2",
            "quantity": "1",
            "languages": "Spanish",
            "neighbourhood": "Riverside",
            "privacy": "dispatchers",
            "name": NAME,
            "contact": CONTACT,
            "address": ADDRESS,
            "health": HEALTH,
            "contact_channel": "phone",
            "contact_language": "Español",
        },
        defaults=True,
    )
    assert reply.status in (302, 303), f"intake on A: {reply.status} {reply.body[:500]!r}"
    dispatch_page = reply.headers["location"]
    code = dispatch_page.rstrip("/").rsplit("/", 1)[-1]

    # "Refer to a peer community": the page shows what will be sent, then sends it.
    refer_page = f"{base_a}/dispatch/requests/{code}/refer/"
    form = browser.get(refer_page).body.decode()
    options = dict(
        (label.strip(), value) for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<(]+)', form)
    )
    peer = options.get("Hilltop Tenants")
    assert peer, f"B is not offered as a peer on A's refer page: {options}"
    preview = browser.get(f"{refer_page}?peer={peer}&region=Riverside&expires=").body.decode()
    shown = html.unescape(re.sub(r"<[^>]+>", " ", preview))
    assert "Riverside" in shown and "housing" in shown and "Spanish" in shown, shown[-1500:]
    assert not [secret for secret in PRIVATE if secret in preview]
    reply = browser.post(refer_page, {"peer": peer, "region": "Riverside", "expires": ""})
    assert reply.status in (302, 303), f"referring on A: {reply.status} {reply.body[:500]!r}"
    assert "Referred to Hilltop Tenants (waiting)." in browser.get(dispatch_page).body.decode()

    # B receives the referral without details: nothing private anywhere in B's database.
    wait_for("B to receive the referral", lambda: referrals_of(b), seconds=120)
    [(direction, state, category, region, urgency, request_id, _details)] = referrals_of(b)
    assert (direction, state, category, region, urgency, request_id) == (
        "in",
        "offered",
        "housing",
        "Riverside",
        2,
        None,
    )
    assert private_text_found(b) == []
    [(_d, state, *_rest, details_id)] = referrals_of(a)
    assert state == "offered" and details_id == ""  # nothing sent but the Offer

    # B's coordinator (a dispatcher there) accepts on the referrals page.
    browser_b = b.signed_in()
    page_b = f"/c/{b.community}/aid/dispatch/referrals/"
    listing = browser_b.get(page_b).body.decode()
    assert "Accept from Riverside Commons" in listing, listing[-2000:]
    [answer] = re.findall(r'action="([^"]*/referrals/\d+/answer/)"', listing)[:1]
    reply = browser_b.post(answer, {"answer": "accept"}, page=page_b)
    assert reply.status in (302, 303), f"accepting on B: {reply.status} {reply.body[:500]!r}"

    # The details arrive on B sealed with B's aid key; B opens them; they are in no table in clear.
    wait_for("the details to reach B", lambda: referrals_of(b)[0][1] == "completed", seconds=120)
    opened = b.python(UNSEAL, slug=b.community)
    assert opened["details"]["contact"] == CONTACT and opened["details"]["name"] == NAME
    assert opened["description"] == NEED and opened["neighbourhood"] == "Riverside"
    assert private_text_found(b) == ["aid_aidrequest: " + NEED]  # the description, now a listing on B

    # A: the request is closed as referred, the person is told where it went (in their language,
    # read out by the dispatcher), and the outbox keeps no ciphertext once delivered.
    told = html.unescape(browser.get(dispatch_page).body.decode())
    assert "Your request was passed to Hilltop Tenants, who can help; they may contact you." in told
    [(_d, _s, *_rest, details_id)] = referrals_of(a)
    wait_for(
        "A to clear the sent details from its outbox",
        lambda: referrals_of(a)[0][1] == "completed",
        seconds=60,
    )
    sent = _outbox(a, details_id)
    assert sent["type"] == "Update" and sent["object"]["dp:sealedDetails"] == ""

    # C took no part: no referral, nothing private, nothing from A's referral in its inbox.
    assert referrals_of(c) == [] and private_text_found(c) == []
    assert not c.query("SELECT 1 FROM federation_inboxentry WHERE kind LIKE %s", "%Referral%")

    # Retention: past the time details are kept, both sides erase them.
    assert _sealed(a, code) and _sealed(b, opened["code"])
    for node in (a, b):
        node.python(ERASE, days=120)
    assert _sealed(a, code) == "" and _sealed(b, opened["code"]) == ""
    # What stays is the listing's description (members read it on A; B's dispatchers on B), never
    # a name, a contact, an address or a health note.
    kept = {"aid_aidrequest: " + NEED}
    assert set(private_text_found(a)) <= kept and set(private_text_found(b)) <= kept
