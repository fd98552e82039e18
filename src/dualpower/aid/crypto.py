"""Sealing the private details of a request with a key kept outside the database.

A stolen database file or backup must not reveal who needs insulin, who is undocumented, or where
someone hiding from an abuser lives. The details are one JSON object encrypted with Fernet
(AES-128-CBC + HMAC-SHA256, from `cryptography`); the key (``dualpower.keys.AID``) comes from, in order:

1. ``settings.DP_AID_KEY`` or the ``DP_AID_KEY`` environment variable: one or more Fernet keys,
   comma-separated, newest first (MultiFernet: old keys still open old tokens during a rotation);
2. the file ``aid.key`` in the instance directory (DP_HOME), made by `dualpower init` or by the first
   seal while no request holds sealed details, owner-only (0600). Back it up apart from the
   database: without it the details are unreadable.

Reading sealed details with no key at all is refused (``keys.KeyMissing``, a sentence), rather than
making a new key that would silently turn every sealed detail unreadable.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import InvalidToken, MultiFernet

from dualpower import keys

KEY_FILE = keys.AID.file_name
SENSITIVE_FIELDS = ("name", "contact", "address", "health", "immigration", "safety")


def nothing_sealed_yet() -> bool:
    from dualpower.aid.models import AidRequest

    return not AidRequest.objects.exclude(sealed="").exists()


class Opener:
    """``unseal`` for the rows of one list: the keys read once, at the first sealed row."""

    def __init__(self) -> None:
        self._keys: MultiFernet | None = None

    def __call__(self, token: str) -> dict[str, str]:
        if token and self._keys is None:
            self._keys = fernet()
        return unseal(token, keyring=self._keys)


def fernet(*, for_writing: bool = False) -> MultiFernet:
    """The aid keys; a key file is made only for a write while nothing is sealed yet."""
    return keys.fernet(keys.AID, may_create=nothing_sealed_yet if for_writing else None)


def clean_details(details: dict[str, Any] | None) -> dict[str, str]:
    """Only known fields, as stripped text, empty ones dropped."""
    out: dict[str, str] = {}
    for key in SENSITIVE_FIELDS:
        value = (details or {}).get(key)
        if value is not None and str(value).strip():
            out[key] = str(value).strip()
    return out


def seal(details: dict[str, Any] | None) -> str:
    clean = clean_details(details)
    if not clean:
        return ""
    return fernet(for_writing=True).encrypt(json.dumps(clean, ensure_ascii=False).encode()).decode()


def unseal(token: str, *, keyring: MultiFernet | None = None) -> dict[str, str]:
    """The details, or {} if none were given or they were erased. A token the keys do not open (a
    wrong key) reads as {} with a marker, rather than breaking every page that shows the request;
    with no key at all this raises ``keys.KeyMissing`` (a sentence) and makes no new key.
    ``keyring``: fernet()'s, when the caller opens many (reading the keys is a file read)."""
    if not token:
        return {}
    try:
        return json.loads((keyring or fernet()).decrypt(token.encode()))
    except InvalidToken:
        return {"unreadable": "1"}
