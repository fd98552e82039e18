"""Sealing what an incident says (what was seen, the photo) and the phone numbers of the people on
call, with the aid key (``dualpower.keys.AID``, kept outside the database; aid/crypto.py explains
where it comes from). A stolen database file shows tokens, never the words or the picture."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import InvalidToken, MultiFernet

from dualpower import keys
from dualpower.aid import crypto as aid_crypto
from dualpower.defence.models.response import Incident, OnCallProfile, ReporterBan


def _nothing_sealed_yet() -> bool:
    # A new key file may be made only while nothing anywhere is sealed with the aid key.
    return (
        aid_crypto.nothing_sealed_yet()
        and not Incident.objects.exclude(seen_sealed="", photo_sealed="").exists()
        and not OnCallProfile.objects.exclude(phone_sealed="").exists()
        and not ReporterBan.objects.exclude(caller_hash="").exists()
        and not Incident.objects.exclude(caller_hash="").exists()
    )


def _fernet(*, for_writing: bool = False) -> MultiFernet:
    return keys.fernet(keys.AID, may_create=_nothing_sealed_yet if for_writing else None)


def seal_text(text: str) -> str:
    return _fernet(for_writing=True).encrypt(text.encode()).decode() if text else ""


def open_text(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def seal_bytes(data: bytes) -> str:
    return seal_text(base64.b64encode(data).decode()) if data else ""


def open_bytes(token: str) -> bytes:
    text = open_text(token)
    return base64.b64decode(text) if text else b""


# --- a hotline caller's number, as a keyed hash only ------------------------------------------
# HMAC-SHA256 of the number's digits, with a key derived from each aid key (so a rotation still
# matches numbers banned under the older key). Without the key, the hash says nothing; with it,
# someone can test whether a given number is banned (phone numbers are few enough to try them all),
# which is why the key is kept outside the database (docs/community-defence.md).
_CALLER_CONTEXT = b"dualpower.defence.caller-number"


def caller_digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


def _caller_keys() -> list[bytes]:
    _fernet(for_writing=True)  # makes the key file if there is none and nothing is sealed yet
    return [
        hmac.new(part.strip().encode(), _CALLER_CONTEXT, hashlib.sha256).digest()
        for part in keys.configured_keys(keys.AID).split(",")
        if part.strip()
    ]


def caller_hashes(number: str) -> list[str]:
    """The keyed hashes of a caller's number, newest key first (the first is the one to store)."""
    digits = caller_digits(number).encode()
    return [hmac.new(key, digits, hashlib.sha256).hexdigest() for key in _caller_keys()] if digits else []
