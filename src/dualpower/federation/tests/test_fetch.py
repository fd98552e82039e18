"""The guarded fetcher against a real local HTTP(S) server: what it lets through and what it refuses
before any connection is made. Names are made to resolve where a case needs them by replacing
``socket.getaddrinfo`` (the system's resolver, not our code); "public" addresses are routed to the
local server by ``socket.create_connection``, which also records every connection attempted."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.utils import timezone

from dualpower.federation import fetch
from dualpower.federation.fetch import FetchFailed, FetchRefused
from dualpower.federation.models import RemoteHost

pytestmark = pytest.mark.django_db

PUBLIC_IP = "93.184.216.34"  # a global address; connections to it are routed to the local server
BIG = 2_000_000


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, chunks: int, pause: float = 0.0) -> None:
        try:
            for _ in range(chunks):
                self.wfile.write(b"x" * 1000)
                self.wfile.flush()
                time.sleep(pause)
        except OSError:
            pass  # the client hung up, as it should

    def handle_one(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.append(Seen(self.command, self.path, dict(self.headers.items()), body))
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/json":
            self._send(200, b'{"id": "x", "type": "Group"}', {"Content-Type": "application/activity+json"})
        elif url.path == "/inbox":
            self._send(202, body, {"Content-Type": "text/plain", "X-Twice": "a"})
        elif url.path.startswith("/hop/"):
            left = int(url.path.rsplit("/", 1)[1])
            self._send(302, headers={"Location": f"../hop/{left - 1}" if left else "/json"})
        elif url.path == "/to":
            self._send(int(query.get("status", "302")), headers={"Location": query["u"]})
        elif url.path == "/html":
            self._send(200, b"<p>hi</p>", {"Content-Type": "text/html"})
        elif url.path == "/list":
            self._send(200, b"[1, 2]", {"Content-Type": "application/json"})
        elif url.path == "/missing":
            self._send(404, b"{}", {"Content-Type": "application/json"})
        elif url.path == "/declared-big":
            self.send_response(200)
            self.send_header("Content-Length", str(BIG))
            self.end_headers()
            self._stream(10)
        elif url.path == "/endless":  # no Content-Length: the body runs until the connection closes
            self.send_response(200)
            self.end_headers()
            self._stream(BIG // 1000)
        elif url.path == "/claims-small":  # says 10 bytes, then sends megabytes
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.end_headers()
            self._stream(BIG // 1000)
        elif url.path == "/claims-large":  # says 1000 bytes, sends 5 and hangs up
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"short")
        elif url.path == "/drip":  # a complete answer, but far slower than the cap allows
            self.send_response(200)
            self.send_header("Content-Length", "200000")
            self.end_headers()
            self._stream(200, pause=0.05)
        else:
            self._send(404)

    do_GET = do_POST = handle_one


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Server(ThreadingHTTPServer):
    daemon_threads = True
    seen: list[Seen]


@contextlib.contextmanager
def _start(tls: ssl.SSLContext | None = None) -> Iterator[Server]:
    server = Server(("127.0.0.1", 0), Handler)
    server.seen = []
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    with _start() as running:
        yield running


@pytest.fixture
def allow_private(settings: Any) -> None:
    settings.DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES = True


@pytest.fixture(autouse=True)
def refuse_private(settings: Any) -> None:
    settings.DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES = False


@dataclass
class Net:
    # name -> one answer per lookup, in turn (the last one repeats); "a,b" answers two addresses
    names: dict[str, list[str]] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    connections: list[tuple[str, int]] = field(default_factory=list)


@pytest.fixture
def net(monkeypatch: pytest.MonkeyPatch) -> Net:
    state = Net()
    real_lookup, real_connect = socket.getaddrinfo, socket.create_connection

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        state.lookups.append(str(host))
        answers = state.names.get(str(host))
        if answers is None:
            return real_lookup(host, port, *args, **kwargs)
        # A rebinding resolver: each lookup may give the next answer.
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in answer.split(",")]

    def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        state.connections.append(address)
        host = "127.0.0.1" if address[0] == PUBLIC_IP else address[0]
        return real_connect((host, address[1]), *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return state


def port(server: Server) -> int:
    return int(server.server_address[1])


# -- allowed: the setting on, a real server on loopback ------------------------------------------


def test_a_get_returns_status_lower_case_headers_body_and_final_url(
    server: Server, allow_private: None
) -> None:
    url = f"http://127.0.0.1:{port(server)}/json"
    response = fetch.request("GET", url, headers={"Accept": fetch.ACTIVITY_ACCEPT})
    assert (response.status, response.url, json.loads(response.body)) == (
        200,
        url,
        {"id": "x", "type": "Group"},
    )
    assert response.headers["content-type"] == "application/activity+json"
    seen = server.seen[0]
    assert (seen.headers["Host"], seen.headers["Accept"]) == (
        f"127.0.0.1:{port(server)}",
        fetch.ACTIVITY_ACCEPT,
    )
    assert seen.headers["User-Agent"].startswith("dualpower")


def test_a_post_carries_its_body_and_the_signers_headers(server: Server, allow_private: None) -> None:
    calls: list[tuple[str, str, bytes | None]] = []

    def sign(method: str, url: str, body: bytes | None) -> dict[str, str]:
        calls.append((method, url, body))
        return {"Signature": f"signed {method} {url}"}

    url = f"http://127.0.0.1:{port(server)}/inbox"
    response = fetch.request("POST", url, body=b'{"type": "Follow"}', sign=sign)
    assert (response.status, response.body) == (202, b'{"type": "Follow"}')
    assert server.seen[0].body == b'{"type": "Follow"}'
    assert server.seen[0].headers["Signature"] == f"signed POST {url}"
    assert calls == [("POST", url, b'{"type": "Follow"}')]


def test_redirects_are_followed_and_every_hop_is_signed_for_its_own_url(
    server: Server, allow_private: None
) -> None:
    urls: list[str] = []

    def sign(method: str, url: str, body: bytes | None) -> dict[str, str]:
        urls.append(url)
        return {}

    base = f"http://127.0.0.1:{port(server)}"
    response = fetch.request("GET", f"{base}/hop/1", sign=sign)
    assert (response.status, response.url) == (200, f"{base}/json")
    assert urls == [f"{base}/hop/1", f"{base}/hop/0", f"{base}/json"]  # "../hop/0" resolved
    assert [s.path for s in server.seen] == ["/hop/1", "/hop/0", "/json"]


def test_a_303_after_a_post_continues_as_a_get_without_the_body(server: Server, allow_private: None) -> None:
    base = f"http://127.0.0.1:{port(server)}"
    response = fetch.request("POST", f"{base}/to?status=303&u=/json", body=b"{}")
    assert response.status == 200
    assert [(s.method, s.body) for s in server.seen] == [("POST", b"{}"), ("GET", b"")]


def test_more_redirects_than_allowed_are_refused(server: Server, allow_private: None) -> None:
    with pytest.raises(FetchRefused, match="too many"):
        fetch.request("GET", f"http://127.0.0.1:{port(server)}/hop/5", max_redirects=2)
    assert len(server.seen) == 3  # the first request and two redirects, then it stopped


@pytest.mark.parametrize("path", ["/declared-big", "/endless"])
def test_a_body_over_the_cap_is_refused(server: Server, allow_private: None, path: str) -> None:
    with pytest.raises(FetchRefused, match="larger than allowed"):
        fetch.request("GET", f"http://127.0.0.1:{port(server)}{path}", max_bytes=100_000)


def test_a_content_length_smaller_than_the_body_never_yields_more(
    server: Server, allow_private: None
) -> None:
    response = fetch.request("GET", f"http://127.0.0.1:{port(server)}/claims-small", max_bytes=100_000)
    assert response.body == b"x" * 10


def test_a_body_cut_short_of_its_content_length_fails(server: Server, allow_private: None) -> None:
    with pytest.raises(FetchFailed):
        fetch.request("GET", f"http://127.0.0.1:{port(server)}/claims-large")


def test_a_server_slower_than_the_total_time_cap_fails(server: Server, allow_private: None) -> None:
    # The server would finish after ~10 s, each byte arriving well within a per-read timeout.
    with pytest.raises(FetchFailed, match="too long"):
        fetch.request("GET", f"http://127.0.0.1:{port(server)}/drip", timeout=0.5)


def test_get_json_wants_a_json_object_from_a_2xx(server: Server, allow_private: None) -> None:
    base = f"http://127.0.0.1:{port(server)}"
    assert fetch.get_json(f"{base}/json") == {"id": "x", "type": "Group"}
    for path in ("/html", "/list"):
        with pytest.raises(FetchRefused):
            fetch.get_json(base + path)
    with pytest.raises(FetchFailed) as failed:
        fetch.get_json(f"{base}/missing")
    assert failed.value.upstream_status == 404


# -- refused: the setting off, nothing connected --------------------------------------------------

SSRF_HOSTS = [
    "127.0.0.1", "127.5.5.5", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "[::1]",  # noqa: S104 "[::ffff:127.0.0.1]", "[fc00::1]", "[fe80::1]", "[::ffff:10.0.0.1]",
    "[64:ff9b::7f00:1]", "[2002:7f00:1::1]", "224.0.0.1", "2130706433", "localhost",
]  # fmt: skip


@pytest.mark.parametrize("host", SSRF_HOSTS)
def test_a_non_global_address_is_refused_before_connecting(server: Server, net: Net, host: str) -> None:
    with pytest.raises(FetchRefused, match="private or reserved"):
        fetch.request("GET", f"http://{host}:{port(server)}/json")
    assert net.connections == [] and server.seen == []


@pytest.mark.parametrize("answer", ["10.0.0.7", f"{PUBLIC_IP},127.0.0.1"], ids=["private", "one-of-two"])
def test_a_name_resolving_to_a_private_address_is_refused(server: Server, net: Net, answer: str) -> None:
    net.names["intranet.example"] = [answer]  # one private answer among public ones is enough
    with pytest.raises(FetchRefused):
        fetch.request("GET", f"http://intranet.example:{port(server)}/json")
    assert net.connections == [] and server.seen == []


def test_it_connects_to_the_address_it_checked_with_the_name_as_host(server: Server, net: Net) -> None:
    # A rebinding resolver answers a public address first and loopback afterwards.
    net.names["public.example"] = [PUBLIC_IP, "127.0.0.1"]
    response = fetch.request("GET", f"http://public.example:{port(server)}/json")
    assert response.status == 200
    assert net.lookups.count("public.example") == 1
    assert net.connections == [(PUBLIC_IP, port(server))]
    assert server.seen[0].headers["Host"] == f"public.example:{port(server)}"


REDIRECT_TARGETS = [
    "http://127.0.0.1:{port}/json", "http://intranet.example:{port}/json",
    "http://[::ffff:169.254.169.254]/latest", "file:///etc/passwd",
]  # fmt: skip


@pytest.mark.parametrize("target", REDIRECT_TARGETS)
def test_a_redirect_to_a_refused_address_is_not_followed(server: Server, net: Net, target: str) -> None:
    net.names.update({"public.example": [PUBLIC_IP], "intranet.example": ["10.0.0.7"]})
    location = target.format(port=port(server))
    with pytest.raises(FetchRefused):
        fetch.request("GET", f"http://public.example:{port(server)}/to?u={location}")
    assert [s.path.split("?")[0] for s in server.seen] == ["/to"]
    assert net.connections == [(PUBLIC_IP, port(server))]


NOT_FETCHABLE = [
    "file:///etc/passwd", "ftp://public.example/x", "gopher://public.example/",
    "http://user:pw@public.example/", "http:///nohost", "http://public.example:99999/",
]  # fmt: skip


@pytest.mark.parametrize("url", NOT_FETCHABLE)
def test_only_plain_http_and_https_addresses_are_fetched(net: Net, url: str) -> None:
    with pytest.raises(FetchRefused):
        fetch.request("GET", url)
    assert net.connections == []


@pytest.mark.parametrize(
    "url", ["http://blocked.example/x", "https://social.blocked.example/", "http://blocked.example.:8080/"]
)
def test_a_blocked_host_is_refused_before_its_name_is_even_looked_up(net: Net, url: str) -> None:
    RemoteHost.objects.create(host="blocked.example", blocked_at=timezone.now())
    RemoteHost.objects.create(host="unblocked.example", blocked_at=None)
    with pytest.raises(FetchRefused, match="blocked"):
        fetch.request("GET", url)
    assert net.lookups == [] and net.connections == []


def test_a_blocked_host_is_refused_even_where_private_addresses_are_allowed(
    server: Server, allow_private: None
) -> None:
    RemoteHost.objects.create(host=f"127.0.0.1:{port(server)}", blocked_at=timezone.now())
    with pytest.raises(FetchRefused, match="blocked"):
        fetch.request("GET", f"http://127.0.0.1:{port(server)}/json")
    assert server.seen == []


# -- TLS: the checked address, the name's certificate ---------------------------------------------


def _tls_server(tmp_path: Path, name: str) -> tuple[ssl.SSLContext, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, cert_file


@pytest.mark.parametrize("certificate_for", ["public.example", "someone-else.example"])
def test_tls_checks_the_certificate_for_the_name_not_the_address(
    net: Net, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, certificate_for: str
) -> None:
    context, cert_file = _tls_server(tmp_path, certificate_for)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))  # trust only this self-signed certificate
    net.names["public.example"] = [PUBLIC_IP]
    with _start(context) as tls_server:
        url = f"https://public.example:{port(tls_server)}/json"
        if certificate_for == "public.example":
            assert fetch.request("GET", url).status == 200
            assert tls_server.seen[0].headers["Host"] == f"public.example:{port(tls_server)}"
            with pytest.raises(FetchRefused, match="plain http"):
                fetch.request("GET", f"https://public.example:{port(tls_server)}/to?u=http://public.example/")
        else:
            with pytest.raises(FetchFailed, match="secure connection"):
                fetch.request("GET", url)
            assert tls_server.seen == []


# -- the pieces ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "host"),
    [("https://Social.Example/users/a", "social.example"), ("https://social.example:443/", "social.example"),
     ("http://social.example:8080/x", "social.example:8080"), ("http://[::1]:8000/", "[::1]:8000"),
     ("https://bücher.example./", "xn--bcher-kva.example")],
)  # fmt: skip
def test_host_of_gives_the_lower_cased_host_and_a_port_only_when_unusual(url: str, host: str) -> None:
    assert fetch.host_of(url) == host


@pytest.mark.parametrize(
    "text", ["2002:a00:1::1", "64:ff9b::a9fe:a9fe", "::ffff:100.64.0.1", "ff02::1", "198.18.0.1"]
)
def test_private_addresses_hidden_in_other_forms_are_not_public(text: str) -> None:
    assert not fetch.address_is_public(ipaddress.ip_address(text))


@pytest.mark.parametrize(
    "text", [PUBLIC_IP, "2606:4700:4700::1111", "::ffff:93.184.216.34", "2002:5db8:d822::1"]
)
def test_global_addresses_are_public(text: str) -> None:
    assert fetch.address_is_public(ipaddress.ip_address(text))


# -- the operator is told -----------------------------------------------------------------------


def test_serve_warns_loudly_when_private_addresses_are_allowed(tmp_path: Path) -> None:
    # Warned first thing, even when `serve` then refuses to start (here: an instance not set up).
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DP_DATABASE_URL", "DP_DEBUG"}}
    env.update(DP_HOME=str(tmp_path), PORT="", DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES="1")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = str(probe.getsockname()[1])
    done = subprocess.run(
        [sys.executable, "-m", "dualpower.cli", "serve", "--port", free],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES=1" in done.stderr
    assert "Never set this on a server reachable from the internet" in done.stderr
    assert done.returncode == 2 and "dualpower init" in done.stderr
