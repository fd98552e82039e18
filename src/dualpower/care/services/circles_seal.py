"""Sealing a care circle's private words (notes, the details of a need) with the aid key.

The same key as mutual aid's private details (``dualpower.keys.AID``, kept outside the database:
see aid/crypto.py). A key file is made only for a write while nothing at all is sealed with it yet
(no aid request's details, no circle note or need detail); reading with no key is refused with a
sentence (``keys.KeyMissing``) rather than making a new key that would turn every sealed word
unreadable.
"""

from __future__ import annotations

from cryptography.fernet import InvalidToken, MultiFernet

from dualpower import keys
from dualpower.aid.crypto import nothing_sealed_yet as nothing_aid_sealed_yet
from dualpower.care.models.circles import Need, Note

UNREADABLE = "\u2026"  # shown for a token the keys do not open (a wrong key)


def _nothing_sealed_yet() -> bool:
    return (
        nothing_aid_sealed_yet()
        and not Note.objects.exists()
        and not Need.objects.exclude(sealed_details="").exists()
    )


def _fernet(*, for_writing: bool = False) -> MultiFernet:
    return keys.fernet(keys.AID, may_create=_nothing_sealed_yet if for_writing else None)


def seal(text: str) -> str:
    """``text`` sealed, or "" for no text."""
    if not text:
        return ""
    return _fernet(for_writing=True).encrypt(text.encode()).decode()


def unseal(token: str) -> str:
    """The words, or "" if none; a token the keys do not open reads as an ellipsis."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return UNREADABLE
