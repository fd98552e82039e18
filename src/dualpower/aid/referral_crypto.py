"""Sealing a referred request's details for the one community that accepted it.

The details travel once, after acceptance, in a direct activity to the accepting community's Group
actor. They are encrypted for that actor alone: a fresh 256-bit AES-GCM key per referral encrypts
the JSON of the details, and that key is wrapped with RSA-OAEP (SHA-256) under the Group's public
key (the ``publicKeyPem`` fetched from its own origin, the key its HTTP signatures are checked
with). Only the node holding the Group's private key (``federation/keys.py``, a file outside the
database) can open it; the shared inbox, a relay, a proxy or a backup of either node's outbox
sees ciphertext. The referral's id is the AES-GCM associated data, so a box cannot be replayed as
the details of another referral.

Pure functions of bytes and PEM keys; which keys to use is the caller's (services/referrals.py).
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ALGORITHM = "RSA-OAEP-256+A256GCM"
MAX_BOX = 32 * 1024  # characters of ciphertext accepted: the details are a few short fields


class BoxRefused(Exception):
    """The box cannot be opened: not one of ours, tampered with, or not a box at all."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str) or len(text) > MAX_BOX:
        raise BoxRefused("not base64url text")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raise BoxRefused("not base64url text") from None


def _oaep() -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def box_seal(payload: dict[str, Any], *, public_key_pem: str, key_id: str, context: str) -> dict[str, str]:
    """``payload`` encrypted for the holder of ``public_key_pem`` (an RSA key), bound to
    ``context`` (the referral's id)."""
    public = serialization.load_pem_public_key(public_key_pem.encode())
    if not isinstance(public, rsa.RSAPublicKey):
        raise ValueError("the recipient's key is not an RSA key")
    key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(12)
    plain = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return {
        "algorithm": ALGORITHM,
        "recipientKey": key_id,
        "wrappedKey": _b64(public.encrypt(key, _oaep())),
        "nonce": _b64(nonce),
        "ciphertext": _b64(AESGCM(key).encrypt(nonce, plain, context.encode())),
    }


def box_open(box: Any, *, private_key_pem: str, context: str) -> dict[str, Any]:
    """The payload of a box sealed for us with ``context``; BoxRefused otherwise."""
    if not isinstance(box, dict) or box.get("algorithm") != ALGORITHM:
        raise BoxRefused("not a sealed box of a known algorithm")
    private = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    if not isinstance(private, rsa.RSAPrivateKey):
        raise BoxRefused("our key is not an RSA key")
    try:
        key = private.decrypt(_unb64(box.get("wrappedKey")), _oaep())
        plain = AESGCM(key).decrypt(_unb64(box.get("nonce")), _unb64(box.get("ciphertext")), context.encode())
    except (ValueError, InvalidTag):
        raise BoxRefused("the box does not open with our key for this referral") from None
    data = json.loads(plain)
    if not isinstance(data, dict):
        raise BoxRefused("the box holds no object")
    return data
