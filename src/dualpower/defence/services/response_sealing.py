"""Sealing what an incident says (what was seen, the photo) and the phone numbers of the people on
call, with the aid key (``dualpower.keys.AID``, kept outside the database; aid/crypto.py explains
where it comes from). A stolen database file shows tokens, never the words or the picture."""

from __future__ import annotations

import base64

from cryptography.fernet import InvalidToken, MultiFernet

from dualpower import keys
from dualpower.aid import crypto as aid_crypto
from dualpower.defence.models.response import Incident, OnCallProfile


def _nothing_sealed_yet() -> bool:
    # A new key file may be made only while nothing anywhere is sealed with the aid key.
    return (
        aid_crypto.nothing_sealed_yet()
        and not Incident.objects.exclude(seen_sealed="", photo_sealed="").exists()
        and not OnCallProfile.objects.exclude(phone_sealed="").exists()
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
