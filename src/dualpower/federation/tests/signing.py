"""Shared pieces of the HTTP signature tests (test_signatures.py, test_signature_refusals.py)."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from http_message_signatures import HTTPMessageSigner, MappingKeyResolver, algorithms

from dualpower.federation import proofs
from dualpower.federation.signature_checks import rsa_private
from dualpower.federation.signatures import SignatureRefused, sign_cavage, verify

NOW = datetime(2026, 12, 6, 12, 0, 0, tzinfo=UTC)
KEY_ID = "https://here.example/ap/c/garden#main-key"
INBOX = "https://remote.example/ap/inbox"
BODY = b'{"type":"Follow"}'


@cache
def signer_key() -> str:
    """One RSA key for the whole run: making one takes a while."""
    return proofs.rsa_private_pem()


def cavage_post(key: str, *, url: str = INBOX, body: bytes = BODY, now: datetime = NOW) -> dict[str, str]:
    return {
        "Host": "remote.example",
        **sign_cavage(method="POST", url=url, body=body, key_id=KEY_ID, private_key_pem=key, now=now),
    }


def refusal(
    public: str,
    headers: dict[str, str],
    *,
    method: str = "POST",
    path: str = "/ap/inbox",
    host: str = "remote.example",
    body: bytes = BODY,
    now: datetime = NOW,
) -> str:
    with pytest.raises(SignatureRefused) as refused:
        verify(
            method=method, path=path, host=host, headers=headers, body=body, public_key_pem=public, now=now
        )
    return refused.value.reason


def resigned(key: str, headers: dict[str, str], covered: str, lines: list[str]) -> dict[str, str]:
    """The same request with a Signature over a chosen header list (what a sloppy peer sends)."""
    signature = rsa_private(key).sign("\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
    encoded = base64.b64encode(signature).decode()
    value = f'keyId="{KEY_ID}",algorithm="rsa-sha256",headers="{covered}",signature="{encoded}"'
    return {**headers, "Signature": value}


@dataclass
class LibraryRequest:
    """A request as http_message_signatures signs it (method, url, headers)."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)


def library_signed(
    key: str, request: LibraryRequest, covered: tuple[str, ...], body: bytes
) -> dict[str, str]:
    """The request's headers once the http_message_signatures library has signed it (RFC 9421)."""
    resolver = MappingKeyResolver(public_keys={}, private_keys={KEY_ID: rsa_private(key)})
    signer = HTTPMessageSigner(signature_algorithm=algorithms.RSA_V1_5_SHA256, key_resolver=resolver)
    signer.sign(request, key_id=KEY_ID, created=NOW, covered_component_ids=covered, body=body)
    return request.headers
