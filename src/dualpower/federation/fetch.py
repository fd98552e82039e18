"""The one door for outbound HTTP: every request dualpower makes to another server goes through here.

A remote actor chooses the URLs we fetch (its inbox, its key, the object it announces), so each
hop is checked the way Mastodon's ``Request::Socket`` + ``PrivateAddressCheck`` do: http(s) only,
the host not blocked by the operator, the name resolved once and *every* address refused unless it
is global (loopback, private, link-local, CGNAT, multicast, reserved, and those same addresses
hidden inside IPv4-mapped, 6to4 or NAT64 IPv6 forms). Then we connect to the very address we
checked, so a second DNS answer (rebinding) cannot swap in 127.0.0.1; the Host header, TLS SNI and
certificate check still use the name. Redirects are followed by hand, each hop checked again; the
body and the total time are capped (Lemmy caps bodies and fetch counts the same way).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.errors import DomainError
from dualpower.federation.models import RemoteHost

ACTIVITY_ACCEPT = (
    'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
)
USER_AGENT = "dualpower (federation; +https://dualpower.org/)"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
DEFAULT_PORTS = {"http": 80, "https": 443}
_CHUNK = 64 * 1024

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Signer = Callable[[str, str, bytes | None], Mapping[str, str]]

# Ranges Python's ipaddress still calls global (3.11) but that no one should fetch from.
_NOT_GLOBAL = tuple(
    ipaddress.ip_network(net)
    for net in ("100.64.0.0/10", "192.88.99.0/24", "198.18.0.0/15", "::/96", "100::/64", "2001:db8::/32")
)
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


class FetchRefused(DomainError):
    code = "fetch_refused"
    status = 400
    default_detail = gettext_lazy("This address cannot be fetched.")


class FetchFailed(DomainError):
    code = "fetch_failed"
    status = 502
    default_detail = gettext_lazy("The other server could not be reached.")

    def __init__(self, detail: str | None = None, *, upstream_status: int | None = None) -> None:
        super().__init__(detail)
        self.upstream_status = upstream_status  # the remote's HTTP status, when it answered


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    url: str  # the final URL, after redirects


def allow_private_addresses() -> bool:
    """True only on test setups and closed networks (`dualpower serve` warns loudly about it)."""
    return bool(getattr(settings, "DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES", False))


def host_is_blocked(host: str) -> bool:
    """A selector: is ``host`` ("name" or "name:port"), or a domain above it, blocked by the operator?"""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    labels = name.split(".")
    candidates = {host, name} | {".".join(labels[i:]) for i in range(1, len(labels) - 1)}
    return RemoteHost.objects.filter(host__in=candidates, blocked_at__isnull=False).exists()


def _hostname(url: str) -> tuple[str, str, int]:
    """(scheme, ASCII lower-case host without brackets or final dot, port) or FetchRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchRefused(_("“%(url)s” is not a valid address.") % {"url": url}) from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise FetchRefused(_("Only http and https addresses can be fetched, not “%(url)s”.") % {"url": url})
    if parts.username is not None or parts.password is not None or not parts.hostname:
        raise FetchRefused(_("“%(url)s” is not a valid address.") % {"url": url})
    try:
        host = parts.hostname.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise FetchRefused(_("“%(url)s” is not a valid address.") % {"url": url}) from None
    return scheme, host, port or DEFAULT_PORTS[scheme]


def host_of(url: str) -> str:
    """Lower-cased "host" or "host:port" (the port kept unless it is the scheme's default)."""
    scheme, host, port = _hostname(url)
    shown = f"[{host}]" if ":" in host else host
    return shown if port == DEFAULT_PORTS[scheme] else f"{shown}:{port}"


def address_is_public(address: IPAddress) -> bool:
    """Whether connecting to ``address`` reaches the public internet and nothing of ours."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv4 address wrapped in IPv6 is judged as the IPv4 address it reaches.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and any(address in net for net in _NAT64):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return address_is_public(embedded)
        if address.is_site_local or address.teredo is not None:
            return False
    return (
        address.is_global
        and not address.is_private
        and not address.is_loopback
        and not address.is_link_local
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
        and not any(address in net for net in _NOT_GLOBAL if net.version == address.version)
    )


def _resolve(host: str, port: int) -> list[str]:
    """Resolve once; refuse unless every address is public (a name with one private answer is a
    trap). The list returned is what we connect to: no second lookup."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise FetchFailed(_("The name %(host)s could not be resolved.") % {"host": host}) from None
    addresses = list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))
    if not allow_private_addresses():
        for text in addresses:
            if not address_is_public(ipaddress.ip_address(text)):
                raise FetchRefused(
                    _("%(host)s points to a private or reserved address; it is not fetched.") % {"host": host}
                )
    if not addresses:
        raise FetchFailed(_("The name %(host)s could not be resolved.") % {"host": host})
    return addresses


def _connect(conn: _PinnedHTTP | _PinnedHTTPS) -> socket.socket:
    """A socket to the first checked address that answers, within what is left of the time."""
    error: OSError = OSError("no address")
    for address in conn.addresses:
        remaining = conn.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        try:
            conn.live = socket.create_connection((address, conn.port), timeout=remaining)
            return conn.live
        except OSError as exc:
            error = exc
    raise error


class _PinnedHTTP(http.client.HTTPConnection):
    """HTTP to an address checked beforehand; http.client still sends ``Host: <name>``."""

    def __init__(self, host: str, port: int, addresses: list[str], deadline: float) -> None:
        super().__init__(host, port, timeout=deadline - time.monotonic())
        self.addresses, self.deadline = addresses, deadline
        self.live: socket.socket | None = None  # kept for the watchdog: http.client drops self.sock

    def connect(self) -> None:
        self.sock = _connect(self)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """TLS to a checked address, with SNI and the certificate verified for the name."""

    def __init__(self, host: str, port: int, addresses: list[str], deadline: float) -> None:
        context = ssl.create_default_context()  # CERT_REQUIRED, check_hostname
        super().__init__(host, port, timeout=deadline - time.monotonic(), context=context)
        self.addresses, self.deadline = addresses, deadline
        self.live: socket.socket | None = None

    def connect(self) -> None:
        raw = _connect(self)
        try:
            tls = self._context.wrap_socket(  # type: ignore[attr-defined]
                raw, server_hostname=self.host, do_handshake_on_connect=False
            )
            self.sock = self.live = tls  # the watchdog can now cut a handshake that drags on
            tls.do_handshake()
        except BaseException:
            raw.close()
            self.close()
            raise


def _read_body(response: http.client.HTTPResponse, max_bytes: int, url: str) -> bytes:
    too_big = FetchRefused(_("The answer from %(url)s is larger than allowed.") % {"url": url})
    declared = response.getheader("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > max_bytes:
        raise too_big
    body = bytearray()
    # read1 returns what one recv gives, so a body that keeps coming stops at the cap, whatever
    # Content-Length claimed (http.client never reads past a declared length either).
    while chunk := response.read1(min(_CHUNK, max_bytes + 1 - len(body))):
        body += chunk
        if len(body) > max_bytes:
            raise too_big
    if response.length:  # the connection closed before the declared Content-Length arrived
        raise http.client.IncompleteRead(bytes(body), response.length)
    return bytes(body)


def _hop(
    method: str, url: str, headers: dict[str, str], body: bytes | None, max_bytes: int, deadline: float
) -> tuple[http.client.HTTPResponse, bytes]:
    scheme, host, port = _hostname(url)
    if host_is_blocked(host_of(url)):
        raise FetchRefused(_("%(host)s is blocked on this server.") % {"host": host})
    addresses = _resolve(host, port)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchFailed(_("%(url)s took too long to answer.") % {"url": url})
    conn = (_PinnedHTTPS if scheme == "https" else _PinnedHTTP)(host, port, addresses, deadline)
    # The socket timeout bounds each wait; this timer bounds the whole hop (a server dripping one
    # byte at a time never trips a per-read timeout).
    watchdog = threading.Timer(remaining, _abort, args=(conn,))
    watchdog.daemon = True
    watchdog.start()
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request(method, target, body=body, headers=headers)
        response = conn.getresponse()
        skip = response.status in REDIRECTS or method == "HEAD"
        data = b"" if skip else _read_body(response, max_bytes, url)
        if time.monotonic() >= deadline:  # the watchdog cut the body short
            raise TimeoutError
        return response, data
    except (OSError, http.client.HTTPException, ValueError) as error:
        if time.monotonic() >= deadline:
            raise FetchFailed(_("%(url)s took too long to answer.") % {"url": url}) from None
        if isinstance(error, ssl.SSLError | ssl.CertificateError):
            raise FetchFailed(_("The secure connection to %(host)s failed.") % {"host": host}) from None
        raise FetchFailed(_("%(url)s could not be reached.") % {"url": url}) from None
    finally:
        watchdog.cancel()
        conn.close()


def _abort(conn: _PinnedHTTP | _PinnedHTTPS) -> None:
    if conn.live is not None:
        with contextlib.suppress(OSError):
            # The plain socket call: it also ends a TLS handshake underway, without touching TLS state.
            socket.socket.shutdown(conn.live, socket.SHUT_RDWR)


def request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    sign: Signer | None = None,
    max_bytes: int = 1_000_000,
    timeout: float = 10.0,
    max_redirects: int = 2,
) -> Response:
    """Make one guarded request, following at most ``max_redirects`` redirects (each checked
    again and signed again). Any status comes back as a Response; refusals and failures raise."""
    deadline = time.monotonic() + timeout
    method = method.upper()
    base = {"User-Agent": USER_AGENT, **(headers or {})}
    for hop in range(max_redirects + 1):
        sent = dict(base)
        if sign is not None:
            sent.update(sign(method, url, body))
        response, data = _hop(method, url, sent, body, max_bytes, deadline)
        location = response.getheader("location")
        if response.status not in REDIRECTS or not location:
            names = {
                name.lower(): ", ".join(response.headers.get_all(name) or []) for name in response.headers
            }
            return Response(status=response.status, headers=names, body=data, url=url)
        if hop == max_redirects:
            break
        target = urljoin(url, location.strip())
        if url.lower().startswith("https:") and not target.lower().startswith("https:"):
            raise FetchRefused(_("%(url)s redirects from https to plain http.") % {"url": url})
        if response.status == 303 or (response.status in {301, 302} and method == "POST"):
            # As browsers do: the body is not sent on to the new address.
            method, body = "GET", None
            base = {k: v for k, v in base.items() if k.lower() not in {"content-type", "content-length"}}
        url = target
    raise FetchRefused(_("%(url)s redirects too many times.") % {"url": url})


def get_json(url: str, *, sign: Signer | None = None, accept: str = ACTIVITY_ACCEPT) -> dict:
    """GET a JSON object (at most 1 MB); a non-2xx answer is FetchFailed, non-JSON FetchRefused."""
    response = request("GET", url, headers={"Accept": accept}, sign=sign)
    if not 200 <= response.status < 300:
        raise FetchFailed(
            _("%(url)s answered with status %(status)s.") % {"url": url, "status": response.status},
            upstream_status=response.status,
        )
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if not (kind.endswith("/json") or kind.endswith("+json")):
        raise FetchRefused(_("%(url)s did not answer with JSON.") % {"url": url})
    try:
        data = json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        raise FetchRefused(_("%(url)s did not answer with JSON.") % {"url": url}) from None
    if not isinstance(data, dict):
        raise FetchRefused(_("%(url)s did not answer with a JSON object.") % {"url": url})
    return data
