"""The sealed ballot's layout (assemblies/sealing.py): what a ballot sealed now holds, that ballots
sealed by the version before (and by migration 0005 at the upgrade) still open, and that opening a
box refuses what its key did not seal."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken

from dualpower.assemblies import sealing


def _digest(n: int) -> str:
    return hashlib.sha256(f"receipt {n}".encode()).hexdigest()


def _seal_as_before(key: bytes, ballot: sealing.Opened, *, pad: int) -> bytes:
    """A ballot sealed as the version before sealed every ballot (layout DPB1: one JSON object
    after its 4-byte length), written out here byte for byte rather than taken from the module."""
    header = json.dumps(
        {"p": ballot.position, "c": ballot.choices, "r": ballot.receipt_hash},
        separators=(",", ":"),
        ensure_ascii=True,
    ).encode()
    plain = b"DPB1" + len(header).to_bytes(4, "big") + header
    token = Fernet(key).encrypt_at_time(plain + bytes(pad - len(plain)), 0)
    return base64.urlsafe_b64decode(token)


def _plaintext(key: bytes, sealed: bytes) -> bytes:
    return Fernet(key).decrypt(base64.urlsafe_b64encode(sealed))


def test_a_ballot_sealed_now_is_a_fernet_token_with_no_time_and_its_digest_at_a_fixed_place() -> None:
    key = Fernet.generate_key()
    pad = sealing.pad_for([11, 12, 13])
    ballot = sealing.Opened(position="", choices={"11": 3, "13": 1}, receipt_hash=_digest(1))
    sealed = sealing.seal(key, ballot, pad=pad)
    token = base64.urlsafe_b64encode(sealed)
    assert Fernet(key).extract_timestamp(token) == 0  # no time of casting in it
    plain = _plaintext(key, sealed)
    assert len(plain) == pad and plain[:4] == b"DPB2"
    assert plain[4:36] == bytes.fromhex(ballot.receipt_hash)
    size = int.from_bytes(plain[36:38], "big")
    assert json.loads(plain[38 : 38 + size]) == ["", {"11": 3, "13": 1}]
    assert set(plain[38 + size :]) == {0}  # padded with zero bytes
    assert sealing.unseal(key, sealed) == ballot


def test_ballots_sealed_by_the_version_before_open_alone_and_in_a_box_with_new_ones() -> None:
    key = Fernet.generate_key()
    pad = sealing.pad_for(range(100, 140))
    old = [
        sealing.Opened(position="agree", choices=[], receipt_hash=_digest(1)),
        sealing.Opened(position="", choices=["101", "100"], receipt_hash=_digest(2)),
        sealing.Opened(
            position="", choices={str(i): 99999 for i in range(100, 140)}, receipt_hash=_digest(3)
        ),
    ]
    new = [
        sealing.Opened(position="agree", choices=[], receipt_hash=_digest(4)),
        sealing.Opened(position="block", choices=[], receipt_hash=_digest(5)),
    ]
    sealed = [_seal_as_before(key, b, pad=pad) for b in old] + [sealing.seal(key, b, pad=pad) for b in new]
    assert len({len(s) for s in sealed}) == 1  # both layouts fill the box's size
    assert [sealing.unseal(key, s) for s in sealed] == old + new
    box = sealing.open_box(key, sealed)
    assert box.ballots() == old + new
    # "agree" sealed in either layout is one thing said, decoded once.
    assert box.said == [("agree", []), ("", ["101", "100"]), ("", old[2].choices), ("block", [])]
    assert box.which == [0, 1, 2, 0, 3]
    assert box.digests == [b.receipt_hash for b in old + new]


def test_opening_a_box_decodes_each_thing_said_once_and_keeps_the_order_read() -> None:
    key = Fernet.generate_key()
    pad = sealing.pad_for([1, 2, 3])
    says: list[tuple[str, Any]] = [("", ["1"]), ("", ["2", "1"]), ("", ["1"]), ("", []), ("", ["2", "1"])]
    ballots = [
        sealing.Opened(position=p, choices=c, receipt_hash=_digest(i)) for i, (p, c) in enumerate(says)
    ]
    box = sealing.open_box(key, [sealing.seal(key, b, pad=pad) for b in ballots])
    assert box.said == [("", ["1"]), ("", ["2", "1"]), ("", [])]
    assert box.which == [0, 1, 0, 2, 1]
    assert box.ballots() == ballots


def test_a_ballot_another_key_sealed_or_altered_is_refused() -> None:
    key = Fernet.generate_key()
    pad = sealing.pad_for([])
    sealed = sealing.seal(key, sealing.Opened(position="agree", choices=[], receipt_hash=_digest(1)), pad=pad)
    with pytest.raises(InvalidToken):
        sealing.open_box(Fernet.generate_key(), [sealed])
    for at in (0, 9, 40, len(sealed) - 1):  # version, iv, ciphertext, signature
        altered = bytearray(sealed)
        altered[at] ^= 1
        with pytest.raises(InvalidToken):
            sealing.open_box(key, [sealed, bytes(altered)])
    foreign = base64.urlsafe_b64decode(Fernet(key).encrypt_at_time(bytes(pad), 0))  # right key, not a ballot
    with pytest.raises(ValueError, match="not a sealed ballot"):
        sealing.unseal(key, foreign)


def test_a_receipt_that_is_not_a_hex_digest_is_kept_as_written() -> None:
    key = Fernet.generate_key()
    pad = sealing.pad_for([7])
    odd = [
        sealing.Opened(position="agree", choices=[], receipt_hash="ABCDEF" * 10 + "ABCD"),  # upper case
        sealing.Opened(position="agree", choices=[], receipt_hash="receipt"),
        sealing.Opened(position="agree", choices=[], receipt_hash=_digest(1)),
    ]
    sealed = [sealing.seal(key, b, pad=pad) for b in odd]
    assert len({len(s) for s in sealed}) == 1
    assert sealing.unseal_all(key, sealed) == odd


@pytest.mark.parametrize("options", [0, 1, 5, 40, 100])
def test_the_longest_ballot_of_a_vote_fits_its_padding(options: int) -> None:
    key = Fernet.generate_key()
    ids = [str(1_000_000 + i) for i in range(options)]
    pad = sealing.pad_for(ids)
    longest = [
        sealing.Opened(position="", choices={i: 99999 for i in ids}, receipt_hash=_digest(1)),
        sealing.Opened(position="", choices=list(reversed(ids)), receipt_hash=_digest(2)),
        sealing.Opened(position="stand_aside", choices=[], receipt_hash=_digest(3)),
    ]
    sealed = [sealing.seal(key, b, pad=pad) for b in longest]
    assert len({len(s) for s in sealed}) == 1
    assert sealing.unseal_all(key, sealed) == longest
