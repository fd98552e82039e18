"""How a secret ballot is sealed while its vote is open (docs/assemblies.md, "Who can learn what").

A sealed ballot is its position, choices and receipt digest, encrypted with Fernet under
the vote's own key (``dualpower.keys.ballot_key_*``: a file outside the database, deleted when the
vote closes). So that nothing in a copy of the database tells one sealed ballot from another:

- every plaintext of a vote is padded to the same size (``pad_for``: room for every option), so
  every sealed ballot of a vote has the same length. A secret ballot carries no reason: free text
  would need room for its longest form in every ballot (8 KB each, 50,000 ballots 400 MB), and a
  reason published with a ballot can name its author; reasons go to the discussion, signed;
- Fernet's clear timestamp is set to 0, so a sealed ballot does not say when it was cast;
- the column a voter's receipt finds their ballot by (``lookup``) is an HMAC of the receipt digest
  under a key derived from the vote's key: only the server holding the key can compute it, and it
  shares nothing with the digest published when the vote closes.

This module holds no state and writes nothing: ``services/ballot_box.py`` keeps the box.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_MAGIC = b"DPB1"
_LEN = 4  # bytes of the header's length
_ROUND = 256


@dataclass(frozen=True)
class Opened:
    """A ballot as it is counted and published (no voter, no time)."""

    position: str
    choices: Any  # list of option ids, or option id -> number
    receipt_hash: str


def pad_for(option_ids: Iterable[int | str]) -> int:
    """The size every ballot of a vote with these options is padded to: the longest possible
    ballot (a 64-digit digest, a position, every option with a 5-digit number)."""
    ids = [str(i) for i in option_ids]
    widest = max((len(i) for i in ids), default=0)
    header = 160 + len(ids) * (widest + 12)
    size = len(_MAGIC) + _LEN + header
    return -(-size // _ROUND) * _ROUND


def _fernet(key: bytes) -> Fernet:
    return Fernet(key)


def lookup(key: bytes, digest: str) -> str:
    """What a sealed ballot is found by: an HMAC of its receipt digest under a key derived from the
    vote's key (computable only with the key file)."""
    subkey = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"dualpower ballot lookup").derive(
        base64.urlsafe_b64decode(key)
    )
    return hmac.new(subkey, digest.encode(), hashlib.sha256).hexdigest()


def seal(key: bytes, ballot: Opened, *, pad: int) -> bytes:
    """The ballot encrypted under ``key``, padded to ``pad`` bytes, with no time in it."""
    header = json.dumps(
        {"p": ballot.position, "c": ballot.choices, "r": ballot.receipt_hash},
        separators=(",", ":"),
        ensure_ascii=True,
    ).encode()
    plain = b"".join([_MAGIC, len(header).to_bytes(_LEN, "big"), header])
    if len(plain) > pad:  # cannot happen for a ballot clean_ballot accepted
        raise ValueError("a ballot longer than its vote's padding")
    token = _fernet(key).encrypt_at_time(plain + bytes(pad - len(plain)), 0)
    return base64.urlsafe_b64decode(token)


def unseal(key: bytes, sealed: bytes | memoryview) -> Opened:
    """The ballot inside ``sealed`` (raises cryptography's InvalidToken for another vote's key)."""
    return _open(_fernet(key), sealed)


def unseal_all(key: bytes, sealed: Iterable[bytes | memoryview]) -> list[Opened]:
    """Every ballot of ``sealed``, opened with one key (the close of a vote)."""
    fernet = _fernet(key)
    return [_open(fernet, one) for one in sealed]


def _open(fernet: Fernet, sealed: bytes | memoryview) -> Opened:
    plain = fernet.decrypt(base64.urlsafe_b64encode(bytes(sealed)))
    if plain[: len(_MAGIC)] != _MAGIC:
        raise ValueError("not a sealed ballot")
    at = len(_MAGIC)
    size = int.from_bytes(plain[at : at + _LEN], "big")
    header = json.loads(plain[at + _LEN : at + _LEN + size].decode("ascii"))  # sealed with ensure_ascii
    return Opened(position=header["p"], choices=header["c"], receipt_hash=header["r"])
