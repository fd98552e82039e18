"""The checks both HTTP signature schemes share (signatures.py and signatures_rfc9421.py): the
refusal, the time window, digests, the host, keys. Pure: no Django."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import urlsplit

import http_sf
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

# Mastodon's SignedRequest: EXPIRATION_WINDOW_LIMIT, CLOCK_SKEW_MARGIN, and the five minutes a
# signature without an ``expires`` parameter lives.
CLOCK_SKEW = timedelta(hours=1)
EXPIRY_LIMIT = timedelta(hours=12)
DEFAULT_LIFETIME = timedelta(minutes=5)


class SignatureRefused(Exception):
    """Why a request's signature is not accepted (``reason`` is a code: unsigned, malformed,
    unknown_algorithm, headers_not_covered, missing_digest, bad_digest, stale_date, future_date,
    wrong_target, bad_signature)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Signed:
    key_id: str
    scheme: Literal["cavage", "rfc9421"]


def digest(body: bytes) -> str:
    """The draft-cavage ``Digest`` header value of ``body``."""
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def authority(url: str) -> str:
    """``host`` or ``host:port`` of a URL, lower-cased, the port dropped when it is the default."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets in a Host header
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


def lowered(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def sf_dictionary(value: str) -> dict[str, Any]:
    """An RFC 8941 Dictionary as http_sf parses it (member → (value, params)); ValueError if not."""
    try:
        parsed: Any = http_sf.parse(value.encode(), tltype="dictionary")
    except TypeError as error:
        raise ValueError(str(error)) from error
    if not isinstance(parsed, dict):
        raise ValueError("not a dictionary")
    return parsed


# Kept per process: OpenSSL 3 checks an RSA private key each time it is loaded (about 34 ms of CPU,
# against 0.3 ms for the signature itself), and a node signs with a handful of keys
# (bench/bench_federation.py: 33 → 6 ms of CPU per delivery).
@functools.lru_cache(maxsize=64)
def rsa_private(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("HTTP signatures are made with an RSA key")
    return key


def rsa_public(public_key_pem: str) -> rsa.RSAPublicKey:
    try:
        key = serialization.load_pem_public_key(public_key_pem.encode())
    except (ValueError, TypeError) as error:
        raise SignatureRefused("bad_signature") from error
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureRefused("unknown_algorithm")
    return key


def timestamp(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError) as error:
        raise SignatureRefused("malformed") from error


def date_header(headers: dict[str, str]) -> datetime:
    try:
        moment = parsedate_to_datetime(headers["date"])
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise SignatureRefused("malformed") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_window(created: datetime, expires: datetime | None, now: datetime) -> None:
    """Mastodon's SignedRequest#matches_time_window?."""
    if created > now + CLOCK_SKEW:
        raise SignatureRefused("future_date")
    limit = min(expires or created + DEFAULT_LIFETIME, created + EXPIRY_LIMIT)
    if now > limit + CLOCK_SKEW:
        raise SignatureRefused("stale_date")


def check_digest_present(method: str, body: bytes, headers: dict[str, str], covered: set[str]) -> None:
    """A POST (or any request with a body) carries a digest, and the signature covers it."""
    if method.upper() != "POST" and not body:
        return
    if "digest" not in headers and "content-digest" not in headers:
        raise SignatureRefused("missing_digest")
    if not covered & {"digest", "content-digest"}:
        raise SignatureRefused("headers_not_covered")


def check_digests(covered: set[str], headers: dict[str, str], body: bytes) -> None:
    """Every covered digest header must match the body (SHA-256, as Mastodon)."""
    expected = hashlib.sha256(body).digest()
    if "digest" in covered:
        offered = {
            name.strip().lower(): value.strip()
            for name, _, value in (part.partition("=") for part in headers.get("digest", "").split(","))
        }
        try:
            given = base64.b64decode(offered.get("sha-256", ""), validate=True)
        except (binascii.Error, ValueError) as error:
            raise SignatureRefused("bad_digest") from error
        if not hmac.compare_digest(given, expected):
            raise SignatureRefused("bad_digest")
    if "content-digest" in covered:
        try:
            member = sf_dictionary(headers.get("content-digest", "")).get("sha-256")
        except ValueError as error:
            raise SignatureRefused("bad_digest") from error
        given = member[0] if member else b""
        if not isinstance(given, bytes) or not hmac.compare_digest(given, expected):
            raise SignatureRefused("bad_digest")


def check_host(covered: set[str], headers: dict[str, str], host: str) -> None:
    """A covered Host header naming another server: the request was signed for someone else."""
    if "host" not in covered:
        return
    try:
        same = authority(f"http://{headers.get('host', '')}") == authority(f"http://{host}")
    except ValueError as error:  # a port that is not a number, a broken IPv6 literal
        raise SignatureRefused("malformed") from error
    if not same:
        raise SignatureRefused("wrong_target")


def refused_signature(public_key: rsa.RSAPublicKey, signature: bytes) -> SignatureRefused:
    """A PKCS#1 v1.5 signature that this key did make, over another signing string, is a
    genuine signature replayed onto another request (another path or host, or covered headers
    changed since): wrong_target. Anything else was not made with this key (forged, or the key
    rotated, which is worth refetching): bad_signature."""
    try:
        public_key.recover_data_from_signature(signature, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return SignatureRefused("bad_signature")
    return SignatureRefused("wrong_target")
