"""RFC 9421 HTTP Message Signatures, through the http_message_signatures library (PyPI), with
Mastodon's rules on top (signature_checks). Used by signatures.py; pure: no Django."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import rsa
from http_message_signatures import (
    HTTPMessageSignaturesException,
    HTTPMessageSigner,
    HTTPMessageVerifier,
    HTTPSignatureKeyResolver,
    MappingKeyResolver,
    algorithms,
)
from http_message_signatures import InvalidSignature as MessageSignatureInvalid

from dualpower.federation.signature_checks import (
    SignatureRefused,
    Signed,
    authority,
    check_digest_present,
    check_digests,
    check_host,
    check_window,
    date_header,
    http_date,
    refused_signature,
    rsa_private,
    rsa_public,
    sf_dictionary,
    timestamp,
)

# Both work with an actor's RSA key; rsa-v1_5-sha256 is what Mastodon and Fedify use.
ALGORITHMS: dict[str, type[algorithms.HTTPSignatureAlgorithm]] = {
    "rsa-v1_5-sha256": algorithms.RSA_V1_5_SHA256,
    "rsa-pss-sha512": algorithms.RSA_PSS_SHA512,
}


@dataclass
class _Message:
    """The request shape http_message_signatures reads."""

    method: str
    url: str
    headers: dict[str, str]


@dataclass(frozen=True)
class _Selected:
    label: str
    covered: list[str]
    params: dict[str, Any]
    signature: bytes
    several: bool


def sign_rfc9421(
    *,
    method: str,
    url: str,
    body: bytes | None,
    key_id: str,
    private_key_pem: str,
    now: datetime | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """RFC 9421 headers (rsa-v1_5-sha256, label sig1, Fedify's covered components:
    @method @target-uri @authority host date, and content-digest with a body)."""
    moment = now or datetime.now(UTC)
    message = _Message(
        method.upper(), url, {**(headers or {}), "Host": authority(url), "Date": http_date(moment)}
    )
    resolver = MappingKeyResolver(public_keys={}, private_keys={key_id: rsa_private(private_key_pem)})
    signer = HTTPMessageSigner(signature_algorithm=algorithms.RSA_V1_5_SHA256, key_resolver=resolver)
    signer.sign(
        message,
        key_id=key_id,
        created=moment,
        label="sig1",
        covered_component_ids=("@method", "@target-uri", "@authority", "host", "date"),
        body=body,
    )
    wanted = ("Date", "Content-Digest", "Signature-Input", "Signature")
    return {name: message.headers[name] for name in wanted if name in message.headers}


def selected(headers: dict[str, str]) -> _Selected:
    """The first signature of the message (the one whose keyid we fetch)."""
    try:
        inputs = sf_dictionary(headers["signature-input"])
        values = sf_dictionary(headers.get("signature", ""))
    except ValueError as error:
        raise SignatureRefused("malformed") from error
    for label, (members, params) in inputs.items():
        if label not in values or not isinstance(members, list):
            continue
        signature = values[label][0]
        if not isinstance(params.get("keyid"), str) or not isinstance(signature, bytes):
            raise SignatureRefused("malformed")
        names = [member[0] for member in members if isinstance(member, tuple)]
        if not all(isinstance(name, str) for name in names):
            raise SignatureRefused("malformed")
        return _Selected(label, names, dict(params), signature, len(inputs) > 1)
    raise SignatureRefused("malformed")


class _OneKey(HTTPSignatureKeyResolver):
    def __init__(self, key: rsa.RSAPublicKey) -> None:
        self.key = key

    def resolve_public_key(self, key_id: str) -> rsa.RSAPublicKey:
        return self.key


class _Verifier(HTTPMessageVerifier):
    # Our own window (Mastodon's, with an injectable clock) is checked before the library runs.
    allow_label_only_selection = True

    def validate_created_and_expires(self, sig_input: Any, max_age: Any = None) -> None:
        return None


def verify_rfc9421(
    *,
    method: str,
    path: str,
    host: str,
    headers: dict[str, str],
    body: bytes,
    public_key_pem: str,
    now: datetime,
    scheme: str | None,
) -> Signed:
    """See signatures.verify; ``headers`` has lower-case names."""
    chosen = selected(headers)
    params, names = chosen.params, set(chosen.covered)
    algorithm = ALGORITHMS.get(params.get("alg", "rsa-v1_5-sha256"))
    if algorithm is None:
        raise SignatureRefused("unknown_algorithm")
    has_target = names & {"@target-uri", "@path", "@request-target"}
    if "@method" not in names or not has_target or not names & {"host", "@authority", "@target-uri"}:
        raise SignatureRefused("headers_not_covered")
    if "created" not in params and "date" not in names:
        raise SignatureRefused("headers_not_covered")
    check_digest_present(method, body, headers, names)
    created = timestamp(params["created"]) if "created" in params else date_header(headers)
    check_window(created, timestamp(params["expires"]) if "expires" in params else None, now)
    check_host(names, headers, host)
    check_digests(names, headers, body)
    public_key = rsa_public(public_key_pem)
    verifier = _Verifier(signature_algorithm=algorithm, key_resolver=_OneKey(public_key))
    for candidate in [scheme] if scheme else ["https", "http"]:
        message = _Message(method.upper(), f"{candidate}://{host}{path}", headers)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # label-only selection: we pick the first label
                verifier.verify(message, max_age=None, expect_label=chosen.label if chosen.several else None)
        except MessageSignatureInvalid as error:
            if isinstance(error.__cause__, InvalidSignature):
                continue  # the other scheme, or a bad signature
            raise SignatureRefused("malformed") from error
        except HTTPMessageSignaturesException as error:
            raise SignatureRefused("malformed") from error
        return Signed(key_id=str(params["keyid"]), scheme="rfc9421")
    if algorithm is algorithms.RSA_V1_5_SHA256:
        raise refused_signature(public_key, chosen.signature)
    raise SignatureRefused("bad_signature")
