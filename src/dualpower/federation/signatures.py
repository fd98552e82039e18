"""HTTP signatures between servers: draft-cavage (what Mastodon and most of the fediverse speak)
and RFC 9421 (what Fedify and newer Mastodon can speak).

Pure: no Django, no network. The caller finds the public key for ``claimed_key_id`` and hands
its PEM to ``verify``; the reasons of ``SignatureRefused`` are codes for logs and tests, not
sentences for people.

Rules follow Mastodon (app/lib/signed_request.rb), so what Mastodon accepts we accept and what it
refuses we refuse:
- the time window: a signature is created at its ``created`` parameter (hs2019 and RFC 9421) or
  its ``Date`` header, may not be more than an hour in the future, and expires at its
  ``expires`` parameter or five minutes after creation (never later than twelve hours), plus
  one hour of clock skew;
- covered: the request target ((request-target), or @method with @target-uri/@path), the host
  (host, @authority or @target-uri), the date (date, or created) and, for a POST, the digest
  (Digest or RFC 9530 Content-Digest) which must match the body.
We sign the way Mastodon signs its deliveries: rsa-sha256 over
"(request-target) host date digest content-type" (POST) or "(request-target) host date" (GET),
the request target without its query (Fedify's verifier reads the path only; Mastodon's accepts
both). The Host header itself is left to the HTTP client: it is ``host[:port]`` of the URL,
which is what we sign.

This module is the interface (and draft-cavage); signatures_rfc9421.py holds the RFC 9421 side,
signature_checks.py the checks both share.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from dualpower.federation.signature_checks import (
    CLOCK_SKEW,
    DEFAULT_LIFETIME,
    EXPIRY_LIMIT,
    SignatureRefused,
    Signed,
    authority,
    check_digest_present,
    check_digests,
    check_host,
    check_window,
    date_header,
    digest,
    http_date,
    lowered,
    refused_signature,
    rsa_private,
    rsa_public,
    timestamp,
)
from dualpower.federation.signatures_rfc9421 import selected, sign_rfc9421, verify_rfc9421

__all__ = [
    "CLOCK_SKEW",
    "DEFAULT_LIFETIME",
    "EXPIRY_LIMIT",
    "SignatureRefused",
    "Signed",
    "authority",
    "claimed_key_id",
    "content_digest",
    "digest",
    "sign_cavage",
    "sign_rfc9421",
    "verify",
]

ACTIVITY_CONTENT_TYPE = "application/activity+json"
# One cavage parameter: name="quoted" or name=123 (created/expires are bare integers).
_CAVAGE_PARAM = re.compile(r'\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"([^"]*)"|([0-9]+))\s*(?:,|$)')


def content_digest(body: bytes) -> str:
    """The RFC 9530 ``Content-Digest`` header value of ``body``."""
    return "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"


def sign_cavage(
    *,
    method: str,
    url: str,
    body: bytes | None,
    key_id: str,
    private_key_pem: str,
    now: datetime | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The headers to add to a request so Mastodon (and everyone else) accepts it as signed."""
    given = {name.lower(): value for name, value in (headers or {}).items()}
    path = urlsplit(url).path or "/"
    added = {"Date": http_date(now or datetime.now(UTC))}
    covered = [
        ("(request-target)", f"{method.lower()} {path}"),
        ("host", authority(url)),
        ("date", added["Date"]),
    ]
    if body is not None:
        added["Digest"] = digest(body)
        covered.append(("digest", added["Digest"]))
        content_type = given.get("content-type")
        if content_type is None:
            content_type = added["Content-Type"] = ACTIVITY_CONTENT_TYPE
        covered.append(("content-type", content_type))
    signed_string = "\n".join(f"{name}: {value}" for name, value in covered)
    signature = rsa_private(private_key_pem).sign(signed_string.encode(), padding.PKCS1v15(), hashes.SHA256())
    added["Signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(name for name, _ in covered)}",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    return added


def _cavage_params(value: str) -> dict[str, str]:
    params: dict[str, str] = {}
    position = 0
    while position < len(value):
        match = _CAVAGE_PARAM.match(value, position)
        if match is None or match.end() == position:
            raise SignatureRefused("malformed")
        name = match.group(1)
        if name in params:
            raise SignatureRefused("malformed")
        params[name] = match.group(2) if match.group(2) is not None else match.group(3)
        position = match.end()
    if not params.get("keyId") or not params.get("signature"):
        raise SignatureRefused("malformed")
    return params


def claimed_key_id(*, headers: Mapping[str, str]) -> str:
    """The keyId a signed request names (before any key is fetched)."""
    lowered_headers = lowered(headers)
    if "signature-input" in lowered_headers:
        return str(selected(lowered_headers).params["keyid"])
    if "signature" in lowered_headers:
        return _cavage_params(lowered_headers["signature"])["keyId"]
    raise SignatureRefused("unsigned")


def verify(
    *,
    method: str,
    path: str,
    host: str,
    headers: Mapping[str, str],
    body: bytes,
    public_key_pem: str,
    now: datetime | None = None,
    scheme: str | None = None,
) -> Signed:
    """Check the request's signature with the signer's public key; ``path`` is the request's
    path with its query string, ``host`` the ``host[:port]`` we serve. ``scheme`` (for the
    RFC 9421 @target-uri) is tried as https then http when not given: behind a proxy we may not
    know it, and the host and path are what bind a signature to us."""
    lowered_headers = lowered(headers)
    moment = now or datetime.now(UTC)
    if "signature-input" in lowered_headers:
        return verify_rfc9421(
            method=method,
            path=path,
            host=host,
            headers=lowered_headers,
            body=body,
            public_key_pem=public_key_pem,
            now=moment,
            scheme=scheme,
        )
    if "signature" in lowered_headers:
        return _verify_cavage(method, path, host, lowered_headers, body, public_key_pem, moment)
    raise SignatureRefused("unsigned")


def _verify_cavage(
    method: str, path: str, host: str, headers: dict[str, str], body: bytes, pem: str, now: datetime
) -> Signed:
    params = _cavage_params(headers["signature"])
    algorithm = params.get("algorithm", "hs2019")
    if algorithm not in ("rsa-sha256", "hs2019"):
        raise SignatureRefused("unknown_algorithm")
    covered = params.get("headers", "(created)" if algorithm == "hs2019" else "date").lower().split()
    with_created = algorithm == "hs2019" and "(created)" in covered
    if "(request-target)" not in covered or "host" not in covered:
        raise SignatureRefused("headers_not_covered")
    if "date" not in covered and not with_created:
        raise SignatureRefused("headers_not_covered")
    check_digest_present(method, body, headers, set(covered))
    try:
        signature = base64.b64decode(params["signature"], validate=True)
    except (binascii.Error, ValueError) as error:
        raise SignatureRefused("malformed") from error
    created = timestamp(params.get("created")) if with_created else date_header(headers)
    check_window(created, timestamp(params["expires"]) if "expires" in params else None, now)
    check_host(set(covered), headers, host)
    check_digests(set(covered), headers, body)
    public_key = rsa_public(pem)
    # Mastodon signs the request target with its query string these days, without it before.
    targets = dict.fromkeys([path, path.split("?", 1)[0]])
    for target in targets:
        lines = []
        for name in covered:
            if name == "(request-target)":
                lines.append(f"{name}: {method.lower()} {target}")
            elif name in ("(created)", "(expires)"):
                value = params.get(name[1:-1])
                if algorithm != "hs2019" or value is None:
                    raise SignatureRefused("malformed")
                lines.append(f"{name}: {value}")
            elif name in headers:
                lines.append(f"{name}: {headers[name].strip()}")
            else:
                raise SignatureRefused("malformed")
        try:
            public_key.verify(signature, "\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            continue
        return Signed(key_id=params["keyId"], scheme="cavage")
    raise refused_signature(public_key, signature)
