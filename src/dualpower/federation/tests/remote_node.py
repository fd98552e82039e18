"""A small fediverse server in a thread, for inbox and delivery tests: it serves actor documents
(with real RSA keys) and any JSON object put in it, and its inboxes record what they are POSTed,
answering with the status a test chooses. Real HTTP on loopback: our fetcher and signer talk to it
as to any other server (the tests set DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def rsa_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@dataclass
class Posted:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Actor:
    uri: str
    key_id: str
    private_pem: str
    public_pem: str


class _Handler(BaseHTTPRequestHandler):
    server: RemoteNode

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", kind: str = "application/activity+json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.fetched.append(self.path)
        document = self.server.documents.get(self.path)
        if document is None:
            self._send(404, b'{"error":"not found"}')
        else:
            self._send(200, json.dumps(document).encode())

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        headers = {name.lower(): value for name, value in self.headers.items()}
        with self.server.lock:
            self.server.posted.append(Posted(self.path, headers, body))
        self._send(self.server.inbox_status, b"")


class RemoteNode(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.documents: dict[str, Any] = {}
        self.posted: list[Posted] = []
        self.fetched: list[str] = []  # the paths asked for by GET, in order
        self.inbox_status = 202
        self.lock = threading.Lock()
        self.actors: dict[str, Actor] = {}

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    def actor(self, name: str, *, kind: str = "Person", dualpower: bool = False) -> Actor:
        """Serve a new actor ``name`` with a fresh key; its inbox and the shared inbox record."""
        private, public = rsa_pair()
        uri = f"{self.base}/users/{name}"
        made = Actor(uri=uri, key_id=f"{uri}#main-key", private_pem=private, public_pem=public)
        self.actors[name] = made
        self.serve_actor(made, name=name, kind=kind, dualpower=dualpower)
        return made

    def serve_actor(self, actor: Actor, *, name: str, kind: str = "Person", dualpower: bool = False) -> None:
        document: dict[str, Any] = {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": actor.uri,
            "type": kind,
            "preferredUsername": name,
            "inbox": f"{actor.uri}/inbox",
            "outbox": f"{actor.uri}/outbox",
            "followers": f"{actor.uri}/followers",
            "endpoints": {"sharedInbox": f"{self.base}/inbox"},
            "publicKey": {"id": actor.key_id, "owner": actor.uri, "publicKeyPem": actor.public_pem},
        }
        if dualpower:
            document["dualpower"] = True
        self.documents[f"/users/{name}"] = document

    def rotate_key(self, name: str) -> Actor:
        """The actor's key replaced (same key id), as after a key rotation."""
        private, public = rsa_pair()
        old = self.actors[name]
        new = Actor(uri=old.uri, key_id=old.key_id, private_pem=private, public_pem=public)
        self.actors[name] = new
        self.serve_actor(new, name=name)
        return new

    def put(self, obj: dict[str, Any]) -> None:
        """Serve ``obj`` at the path of its id."""
        self.documents[obj["id"][len(self.base) :]] = obj


@contextmanager
def remote_node(port: int = 0) -> Iterator[RemoteNode]:
    node = RemoteNode(port)
    thread = threading.Thread(target=node.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield node
    finally:
        node.shutdown()
        node.server_close()
        thread.join(timeout=5)
