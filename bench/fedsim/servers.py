"""The simulated fediverse of bench/bench_federation.py, run as a process of its own
(``python -c "import fedsim.servers as s; s.main('CONFIG.json')"`` from bench/, with src/ on the path
for the signature check):

- the remote actors that post to the node's inbox: ``/users/<i>`` on one port, each an actor
  document with its own key id (one RSA key behind all of them: making keys is not what is
  measured), and an inbox that answers 202;
- the node's followers' inboxes: ``/users/<i>/inbox`` on many ports (one "host" each, as the node
  counts hosts by host:port), each port ``up`` (checks the HTTP signature against the community's
  public key, fetched once from the node, and answers 202), ``503`` (answers 503 Service
  Unavailable) or ``closed`` (nothing listening: connection refused);
- ``GET /_stats`` (on the actors' port): what each inbox received and when, and how many requests
  the down ports turned away; ``POST /_recover``: the 503 ports answer 202 from then on and the
  closed ports start listening (the down third comes back).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from dualpower.federation import signatures

AS_CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"]


class State:
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.lock = threading.Lock()
        self.modes: dict[int, str] = {int(port): mode for port, mode in config["inbox_ports"].items()}
        self.received: dict[str, list[float]] = {}  # inbox path (with port) -> times received
        self.bad_signatures = 0
        self.turned_away = 0  # 503s answered
        self.node_key: str | None = None
        self.servers: list[ThreadingHTTPServer] = []

    def community_key(self) -> str:
        """The community's public key, from its actor document on the node (fetched once)."""
        if self.node_key is None:
            request = urllib.request.Request(  # noqa: S310 - the node on loopback
                self.config["community_actor"], headers={"Accept": "application/activity+json"}
            )
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                self.node_key = json.load(response)["publicKey"]["publicKeyPem"]
        return self.node_key


def actor_document(base: str, i: int, public_pem: str) -> dict[str, Any]:
    actor = f"{base}/users/{i}"
    return {
        "@context": AS_CONTEXT,
        "id": actor,
        "type": "Person",
        "preferredUsername": f"poster{i}",
        "name": f"Poster {i}",
        "inbox": f"{actor}/inbox",
        "outbox": f"{actor}/outbox",
        "followers": f"{actor}/followers",
        "publicKey": {"id": f"{actor}#main-key", "owner": actor, "publicKeyPem": public_pem},
    }


def handler_for(state: State, port: int) -> type[BaseHTTPRequestHandler]:
    actors_port = int(state.config["actors_port"])
    base = f"http://127.0.0.1:{actors_port}"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _answer(self, status: int, body: Any = None) -> None:
            data = json.dumps(body if body is not None else {}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/activity+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if port == actors_port and self.path == "/_stats":
                with state.lock:
                    self._answer(
                        200,
                        {
                            "received": state.received,
                            "bad_signatures": state.bad_signatures,
                            "turned_away": state.turned_away,
                        },
                    )
                return
            parts = self.path.split("#")[0].strip("/").split("/")
            if port == actors_port and len(parts) == 2 and parts[0] == "users" and parts[1].isdigit():
                self._answer(200, actor_document(base, int(parts[1]), state.config["public_pem"]))
                return
            self._answer(404)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if port == actors_port:
                if self.path == "/_recover":
                    recover(state)
                self._answer(202)  # the posters' own inboxes: the node's Accepts land here
                return
            if state.modes.get(port) == "503":
                with state.lock:
                    state.turned_away += 1
                self._answer(503)
                return
            headers = {name.lower(): value for name, value in self.headers.items()}
            try:
                signatures.verify(
                    method="POST",
                    path=self.path,
                    host=f"127.0.0.1:{port}",
                    headers=headers,
                    body=body,
                    public_key_pem=state.community_key(),
                )
                good = True
            except signatures.SignatureRefused:
                good = False
            with state.lock:
                if not good:
                    state.bad_signatures += 1
                state.received.setdefault(f"{port}{self.path}", []).append(time.time())
            self._answer(202 if good else 401)

    return Handler


def listen(state: State, port: int) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(state, port))
    server.daemon_threads = True
    state.servers.append(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def recover(state: State) -> None:
    with state.lock:
        closed = [port for port, mode in state.modes.items() if mode == "closed"]
        for port in state.modes:
            state.modes[port] = "up"
    for port in closed:
        listen(state, port)


def main(config_path: str) -> None:
    with open(config_path) as f:
        config = json.load(f)
    state = State(config)
    listen(state, int(config["actors_port"]))
    for port, mode in state.modes.items():
        if mode != "closed":
            listen(state, port)
    print("ready", flush=True)
    while True:
        time.sleep(3600)
