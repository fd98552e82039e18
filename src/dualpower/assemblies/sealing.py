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

The plaintext, padded with zero bytes to the vote's size, is one of two layouts, told apart by its
first four bytes (so a box sealed by an older version still opens):

- ``DPB2`` (sealed now): the receipt digest as 32 raw bytes, then what the ballot says — its
  position and choices as compact JSON ``[position, choices]`` — after its length (2 bytes). The
  digest sits at a fixed place and what a ballot says is kept apart from it, so that opening a box
  reads each digest by slicing and decodes each distinct thing said once (``open_box``: at a
  close, 50,000 ballots say a handful of different things);
- ``DPB1`` (sealed before, e.g. by migration 0005 at the upgrade): one JSON object
  ``{"p": position, "c": choices, "r": receipt digest}`` after its length (4 bytes).

This module holds no state and writes nothing: ``services/ballot_box.py`` keeps the box.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_MAGIC = b"DPB2"
_MAGIC_V1 = b"DPB1"
_LEN_V1 = 4  # bytes of a version 1 header's length
_DIGEST = 32  # bytes of a receipt digest (SHA-256)
_SAID_LEN = 2  # bytes of the length of what a version 2 ballot says
_SAID_AT = len(_MAGIC) + _DIGEST  # where the padded rest of a version 2 ballot begins
_ROUND = 256
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
# Fernet tokens are URL-safe base64; the database keeps their raw bytes (a quarter smaller).
_URLSAFE = bytes.maketrans(b"+/", b"-_")


@dataclass(frozen=True)
class Opened:
    """A ballot as it is counted and published (no voter, no time)."""

    position: str
    choices: Any  # list of option ids, or option id -> number
    receipt_hash: str


@dataclass
class Box:
    """The ballots of a box once opened, in the order they were read: ballot ``i`` says
    ``said[which[i]]`` (a position and choices) and carries the receipt digest ``digests[i]``.
    Ballots that say the same share one value of ``choices``: read it, do not change it in place."""

    said: list[tuple[str, Any]] = field(default_factory=list)
    which: list[int] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)

    def ballots(self) -> list[Opened]:
        return [
            Opened(position=self.said[w][0], choices=self.said[w][1], receipt_hash=d)
            for w, d in zip(self.which, self.digests, strict=True)
        ]


def pad_for(option_ids: Iterable[int | str]) -> int:
    """The size every ballot of a vote with these options is padded to: the longest possible
    ballot (a 64-digit digest, a position, every option with a 5-digit number). Sized for the
    version 1 layout, which is longer than version 2 for every ballot: boxes made before keep
    their size, and a ballot sealed now fits in them."""
    ids = [str(i) for i in option_ids]
    widest = max((len(i) for i in ids), default=0)
    header = 160 + len(ids) * (widest + 12)
    size = len(_MAGIC_V1) + _LEN_V1 + header
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


def _said(position: str, choices: Any) -> bytes:
    return json.dumps([position, choices], separators=(",", ":"), ensure_ascii=True).encode()


def seal(key: bytes, ballot: Opened, *, pad: int) -> bytes:
    """The ballot encrypted under ``key``, padded to ``pad`` bytes, with no time in it."""
    if _HEX_DIGEST.fullmatch(ballot.receipt_hash):
        said = _said(ballot.position, ballot.choices)
        plain = b"".join(
            [_MAGIC, bytes.fromhex(ballot.receipt_hash), len(said).to_bytes(_SAID_LEN, "big"), said]
        )
    else:  # not a SHA-256 hex digest (never from receipt_hash): the layout that keeps any text
        header = json.dumps(
            {"p": ballot.position, "c": ballot.choices, "r": ballot.receipt_hash},
            separators=(",", ":"),
            ensure_ascii=True,
        ).encode()
        plain = b"".join([_MAGIC_V1, len(header).to_bytes(_LEN_V1, "big"), header])
    if len(plain) > pad:  # cannot happen for a ballot clean_ballot accepted
        raise ValueError("a ballot longer than its vote's padding")
    token = _fernet(key).encrypt_at_time(plain + bytes(pad - len(plain)), 0)
    return base64.urlsafe_b64decode(token)


def unseal(key: bytes, sealed: bytes | memoryview) -> Opened:
    """The ballot inside ``sealed`` (raises cryptography's InvalidToken for another vote's key)."""
    return open_box(key, [sealed]).ballots()[0]


def unseal_all(key: bytes, sealed: Iterable[bytes | memoryview]) -> list[Opened]:
    """Every ballot of ``sealed``, opened with one key."""
    return open_box(key, sealed).ballots()


def open_box(key: bytes, sealed: Iterable[bytes | memoryview]) -> Box:
    """Every ballot of ``sealed`` opened with one key (the close of a vote), in one pass.

    Fernet checks each token's HMAC and decrypts it (raising InvalidToken for another vote's key
    or an altered token); a version 2 ballot is then two slices and a dictionary look-up, and
    each distinct thing said is decoded once, the first time it is met.
    """
    decrypt = _fernet(key).decrypt
    to_base64 = binascii.b2a_base64
    box = Box()
    seen: dict[bytes, int] = {}  # the padded rest of a version 2 ballot -> its index in box.said
    said: dict[bytes, int] = {}  # what a ballot says, as compact JSON -> its index in box.said
    which, digests = box.which, box.digests
    for token in sealed:
        plain = decrypt(to_base64(token, newline=False).translate(_URLSAFE))
        if plain[: len(_MAGIC)] == _MAGIC:
            rest = plain[_SAID_AT:]  # every ballot that says the same has the same padded rest
            i = seen.get(rest)
            if i is None:
                size = int.from_bytes(rest[:_SAID_LEN], "big")
                position, choices = json.loads(rest[_SAID_LEN : _SAID_LEN + size])
                i = seen[rest] = _add(box, said, _said(position, choices), position, choices)
            which.append(i)
            digests.append(plain[len(_MAGIC) : _SAID_AT].hex())
        elif plain[: len(_MAGIC_V1)] == _MAGIC_V1:
            at = len(_MAGIC_V1)
            size = int.from_bytes(plain[at : at + _LEN_V1], "big")
            header = json.loads(plain[at + _LEN_V1 : at + _LEN_V1 + size])  # sealed as ASCII JSON
            which.append(_add(box, said, _said(header["p"], header["c"]), header["p"], header["c"]))
            digests.append(header["r"])
        else:
            raise ValueError("not a sealed ballot")
    return box


def _add(box: Box, said: dict[bytes, int], text: bytes, position: str, choices: Any) -> int:
    """The index in ``box.said`` of what a ballot says (``text``, its compact JSON), added the first
    time: the same thing said in either layout, or with other padding, gets one index."""
    i = said.get(text)
    if i is None:
        i = said[text] = len(box.said)
        box.said.append((position, choices))
    return i
