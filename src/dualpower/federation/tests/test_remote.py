"""Remote actors are believed only from their own origin: fetched over real HTTP from a server in a
thread on loopback (DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES on, as on the test harness), signed as
our instance actor, checked, and kept."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone

from dualpower.federation import ids, keys, remote, signatures
from dualpower.federation.models import RemoteActor

pytestmark = pytest.mark.django_db

ACTIVITY = "application/activity+json"
PUBLIC_PEM = (
    rsa.generate_private_key(public_exponent=65537, key_size=2048)
    .public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)


@dataclass
class Server:
    """A fediverse server on loopback: ``routes[path] = (status, headers, body)``; it records the
    requests it was sent."""

    base: str = ""
    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def json(self, path: str, document: dict[str, Any], content_type: str = ACTIVITY) -> None:
        self.routes[path] = (200, {"Content-Type": content_type}, json.dumps(document).encode())

    def redirect(self, path: str, location: str) -> None:
        self.routes[path] = (302, {"Location": location}, b"")

    def actor(self, username: str, /, **changes: Any) -> dict[str, Any]:
        actor_id = f"{self.base}/users/{username}"
        document: dict[str, Any] = {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": actor_id,
            "type": "Person",
            "preferredUsername": username,
            "name": username.title(),
            "inbox": f"{actor_id}/inbox",
            "outbox": f"{actor_id}/outbox",
            "followers": f"{actor_id}/followers",
            "endpoints": {"sharedInbox": f"{self.base}/inbox"},
            "publicKey": {"id": f"{actor_id}#main-key", "owner": actor_id, "publicKeyPem": PUBLIC_PEM},
        }
        document.update(changes)
        self.json(f"/users/{username}", document)
        return document


def _start(server: Server) -> Iterator[Server]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            status, headers, body = server.routes.get(urlsplit(self.path).path, (404, {}, b"{}"))
            if urlsplit(self.path).path == "/.well-known/webfinger":
                status, headers, body = server.routes.get(self.path, (404, {}, b"{}"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def far() -> Iterator[Server]:
    yield from _start(Server())


@pytest.fixture
def other() -> Iterator[Server]:
    """A second server: another origin (another port on loopback)."""
    yield from _start(Server())


@pytest.fixture(autouse=True)
def _node(settings: Any, tmp_path: Path) -> None:
    settings.SITE_URL = "https://node.example"
    settings.DP_HOME = tmp_path
    settings.DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES = True


def test_an_actor_is_fetched_signed_as_our_instance_actor_and_kept(far: Server) -> None:
    far.actor("alice", assertionMethod=[], dualpower=True)
    actor = remote.actor_get(f"{far.base}/users/alice")
    assert (actor.uri, actor.kind, actor.username, actor.name) == (
        f"{far.base}/users/alice",
        "Person",
        "alice",
        "Alice",
    )
    assert actor.inbox == f"{far.base}/users/alice/inbox"
    assert actor.shared_inbox == f"{far.base}/inbox"
    assert actor.key_id == f"{far.base}/users/alice#main-key"
    assert actor.public_key_pem == PUBLIC_PEM
    assert actor.host == far.base.removeprefix("http://")
    assert actor.handle == f"@alice@{actor.host}"
    assert actor.is_dualpower is True
    path, headers = far.seen[-1]
    assert "activity+json" in headers["accept"]
    signed = signatures.verify(
        method="GET", path=path, host=headers["host"], headers=headers, body=b"",
        public_key_pem=keys.actor_public_pem("instance"),
    )  # fmt: skip
    assert signed.key_id == "https://node.example/ap/actor#main-key"


def test_a_kept_actor_is_used_for_a_day_then_fetched_again(far: Server) -> None:
    far.actor("alice")
    remote.actor_get(f"{far.base}/users/alice")
    remote.actor_get(f"{far.base}/users/alice")
    assert len(far.seen) == 1
    far.actor("alice", name="Alice Again")
    assert remote.actor_get(f"{far.base}/users/alice", refresh=True).name == "Alice Again"
    RemoteActor.objects.update(fetched_at=timezone.now() - timedelta(days=1, minutes=1))
    remote.actor_get(f"{far.base}/users/alice")
    assert len(far.seen) == 3


def test_the_ed25519_key_of_a_dualpower_node_is_kept_for_proofs(far: Server) -> None:
    actor_id = f"{far.base}/users/alice"
    multikey = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    far.actor(
        "alice",
        assertionMethod=[
            {
                "id": f"{actor_id}#ed25519-key",
                "type": "Multikey",
                "controller": actor_id,
                "publicKeyMultibase": multikey,
            }
        ],
    )
    actor = remote.actor_get(actor_id)
    assert (actor.proof_key_id, actor.proof_key_multibase) == (f"{actor_id}#ed25519-key", multikey)


def test_an_alias_on_the_same_server_leads_to_the_actor_itself(far: Server) -> None:
    document = far.actor("alice")
    far.json("/@alice", document)
    assert remote.actor_get(f"{far.base}/@alice").uri == f"{far.base}/users/alice"


def test_a_document_claiming_an_id_on_another_server_is_refused(far: Server, other: Server) -> None:
    far.actor("alice", id=f"{other.base}/users/alice")
    with pytest.raises(remote.RemoteRefused):
        remote.actor_get(f"{far.base}/users/alice")
    assert not RemoteActor.objects.exists()


def test_a_redirect_to_another_server_serving_the_first_ones_id_is_refused(
    far: Server, other: Server
) -> None:
    forged = far.actor("alice")  # what the attacker's server serves, with the victim's id
    other.json("/users/alice", forged)
    far.redirect("/users/alice", f"{other.base}/users/alice")
    with pytest.raises(remote.RemoteRefused):
        remote.actor_get(f"{far.base}/users/alice")
    assert not RemoteActor.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"type": "Note"},
        {"inbox": None},
        {"inbox": "file:///etc/passwd"},
        {"publicKey": None},
        {"publicKey": {"id": "X#main-key", "owner": "X", "publicKeyPem": PUBLIC_PEM}},  # X: bob below
    ],
    ids=["not-an-actor", "no-inbox", "inbox-not-http", "no-key", "key-owned-by-another"],
)
def test_an_actor_document_that_does_not_hold_together_is_refused(
    far: Server, changes: dict[str, Any]
) -> None:
    bob = f"{far.base}/users/bob"
    changes = json.loads(json.dumps(changes).replace('"X', f'"{bob}'))
    far.actor("alice", **changes)
    with pytest.raises(remote.RemoteRefused):
        remote.actor_get(f"{far.base}/users/alice")
    assert not RemoteActor.objects.exists()


def test_a_key_on_another_server_than_its_actor_is_refused(far: Server, other: Server) -> None:
    actor_id = f"{far.base}/users/alice"
    far.actor(
        "alice", publicKey={"id": f"{other.base}/keys/1", "owner": actor_id, "publicKeyPem": PUBLIC_PEM}
    )
    with pytest.raises(remote.RemoteRefused):
        remote.actor_get(actor_id)


def test_a_key_id_leads_to_the_actor_publishing_it(far: Server) -> None:
    far.actor("alice")
    actor = remote.actor_for_key(f"{far.base}/users/alice#main-key")
    assert actor.uri == f"{far.base}/users/alice"
    remote.actor_for_key(f"{far.base}/users/alice#main-key")
    assert len(far.seen) == 1  # the second time from what is kept


def test_a_key_document_is_believed_when_its_owner_names_it(far: Server) -> None:
    key_id = f"{far.base}/users/alice/publickey"
    far.actor(
        "alice", publicKey={"id": key_id, "owner": f"{far.base}/users/alice", "publicKeyPem": PUBLIC_PEM}
    )
    far.json(
        "/users/alice/publickey",
        {"id": key_id, "owner": f"{far.base}/users/alice", "publicKeyPem": PUBLIC_PEM},
    )
    assert remote.actor_for_key(key_id).uri == f"{far.base}/users/alice"


def test_a_key_whose_owner_is_another_actor_is_refused(far: Server) -> None:
    # The attacker's key document names the victim as its owner; the victim publishes another key.
    far.actor("victim")
    key_id = f"{far.base}/keys/attacker"
    far.json(
        "/keys/attacker", {"id": key_id, "owner": f"{far.base}/users/victim", "publicKeyPem": PUBLIC_PEM}
    )
    with pytest.raises(remote.RemoteRefused):
        remote.actor_for_key(key_id)


def test_a_key_claiming_an_owner_on_another_server_is_refused(far: Server, other: Server) -> None:
    other.actor("victim")
    key_id = f"{far.base}/keys/attacker"
    far.json(
        "/keys/attacker", {"id": key_id, "owner": f"{other.base}/users/victim", "publicKeyPem": PUBLIC_PEM}
    )
    with pytest.raises(remote.RemoteRefused):
        remote.actor_for_key(key_id)
    assert other.seen == []  # the claimed owner was not even asked


def test_an_actor_whose_key_id_is_not_the_one_asked_for_is_refused(far: Server) -> None:
    far.actor("alice")
    with pytest.raises(remote.RemoteRefused):
        remote.actor_for_key(f"{far.base}/users/alice#another-key")


@pytest.mark.parametrize("form", ["@alice@{host}", "alice@{host}", "acct:alice@{host}"])
def test_webfinger_finds_the_actor_behind_a_handle(far: Server, form: str) -> None:
    far.actor("alice")
    host = far.base.removeprefix("http://")
    far.json(
        "/.well-known/webfinger?resource=acct:alice@" + host,
        {
            "subject": f"acct:alice@{host}",
            "links": [
                {
                    "rel": "http://webfinger.net/rel/profile-page",
                    "type": "text/html",
                    "href": f"{far.base}/@alice",
                },
                {"rel": "self", "type": "application/activity+json", "href": f"{far.base}/users/alice"},
            ],
        },
        content_type="application/jrd+json",
    )
    assert remote.webfinger(form.format(host=host)) == f"{far.base}/users/alice"


def test_webfinger_without_an_activitypub_link_is_refused(far: Server) -> None:
    host = far.base.removeprefix("http://")
    far.json("/.well-known/webfinger?resource=acct:alice@" + host, {"subject": "x", "links": []})
    with pytest.raises(remote.RemoteRefused):
        remote.webfinger(f"@alice@{host}")


@pytest.mark.parametrize("handle", ["alice", "@alice", "alice@", "@a b@host.example", "ftp://host.example/a"])
def test_something_that_is_not_a_handle_is_refused_without_a_request(handle: str) -> None:
    with pytest.raises((remote.RemoteRefused,)):
        remote.webfinger(handle)


def test_webfinger_asks_over_https_unless_loopback_on_a_test_set_up(settings: Any) -> None:
    assert remote._scheme_for("127.0.0.1:8001") == "http"
    assert remote._scheme_for("server.example") == "https"
    settings.DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES = False
    assert remote._scheme_for("127.0.0.1:8001") == "https"


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "https://", "http://user:pw@host.example/a", "http://h:99999/"]
)
def test_an_address_that_is_not_http_has_no_origin(url: str) -> None:
    with pytest.raises(ValueError):
        ids.origin_of(url)
    with pytest.raises(remote.RemoteRefused):
        remote.actor_get(url)
