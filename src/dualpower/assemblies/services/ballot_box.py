"""The ballot box of a secret vote: sealed while the vote is open, opened once when it closes.

While the vote is open each ballot is a ``SealedBallot`` (``assemblies.sealing``) under the vote's
own key, a file outside the database. Closing (``ballot_box_open``, called by ``proposal_close``
before the count) opens every sealed ballot, writes them as clear ``Ballot`` rows in a random order
under fresh keys, erases the sealed rows and the box, and deletes the key file once the close is
committed. Withdrawing the vote erases them without opening them (``ballot_box_discard``).
"""

from __future__ import annotations

import json
import os
import uuid
from itertools import repeat
from operator import itemgetter
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import JSONField

from dualpower import keys
from dualpower.assemblies import sealing
from dualpower.assemblies.models import Ballot, BallotBox, Proposal, SealedBallot


def ballot_box_key(*, proposal: Proposal) -> tuple[BallotBox, bytes]:
    """The box of ``proposal`` (locked by the caller) and its key, made with the first ballot.

    A box whose key file is missing is refused (``BallotKeyMissing``) while it holds sealed ballots:
    a new key would make them unreadable. An empty box gets a new key.
    """
    box = BallotBox.objects.filter(proposal=proposal).first()
    if box is not None:
        key = keys.ballot_key_read(box.key_id)
        if key is not None:
            return box, key
        if SealedBallot.objects.filter(proposal=proposal).exists():
            raise keys.BallotKeyMissing()
        box.delete()
    key_id, key = keys.ballot_key_create()
    box = BallotBox.objects.create(
        proposal=proposal,
        key_id=key_id,
        pad=sealing.pad_for(proposal.options.values_list("pk", flat=True)),
    )
    return box, key


def ballots_sealed(*, proposal: Proposal) -> list[sealing.Opened]:
    """The sealed ballots of an open vote, opened (in no particular order). Refused without the key."""
    box = BallotBox.objects.filter(proposal=proposal).first()
    if box is None:
        return []
    return _opened(proposal, box).ballots()


def _opened(proposal: Proposal, box: BallotBox) -> sealing.Box:
    """Every sealed ballot of the box, read in one query (the raw bytes, no model or row object
    each) and opened in one pass. Refused without the key."""
    key = keys.ballot_key_read(box.key_id)
    if key is None:
        raise keys.BallotKeyMissing()
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    sql = (  # our own table and column names
        f"SELECT {quote('sealed')} FROM {quote(SealedBallot._meta.db_table)} "  # noqa: S608
        f"WHERE {quote('proposal_id')} = %s"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, [proposal.pk])
        return sealing.open_box(key, (row[0] for row in cursor.fetchall()))


def ballot_box_open(*, proposal: Proposal) -> int:
    """Open the sealed ballots of ``proposal`` as it closes (inside ``proposal_close``'s transaction):
    clear ballots in a random order under fresh keys, sealed rows and box erased, key file deleted
    after the commit. Returns how many ballots were opened."""
    box = BallotBox.objects.filter(proposal=proposal).first()
    if box is None:
        return 0
    opened = _opened(proposal, box)
    _insert_clear(proposal, opened)
    _erase(proposal, box)
    return len(opened.digests)


# The version 4 and RFC 4122 variant bits of a UUID, set on each random byte where they go.
_VERSION_4 = bytes(b & 0x0F | 0x40 for b in range(256))
_VARIANT = bytes(b & 0x3F | 0x80 for b in range(256))


def _fresh_ids(n: int) -> list[str]:
    """``n`` random version 4 UUIDs as 32 hex digits, from one read of the system's randomness."""
    raw = bytearray(os.urandom(16 * n))
    raw[6::16] = raw[6::16].translate(_VERSION_4)
    raw[8::16] = raw[8::16].translate(_VARIANT)
    hexed = raw.hex()
    return [hexed[i : i + 32] for i in range(0, 32 * n, 32)]


def _shuffled(opened: sealing.Box) -> tuple[list[str], list[int], list[str]]:
    """A fresh random key for each opened ballot, and the ballots in the order of their keys: the
    keys sorted, what each ballot says (its index in ``opened.said``) and its digest, in that order.
    Sorted in C (strings compared, lists picked by index); no object made per ballot."""
    ids = _fresh_ids(len(opened.digests))
    order = sorted(range(len(ids)), key=ids.__getitem__)
    if len(order) == 1:  # itemgetter of one index gives the item, not a tuple
        return ids, opened.which, opened.digests
    pick = itemgetter(*order)
    return list(pick(ids)), list(pick(opened.which)), list(pick(opened.digests))


def _insert_clear(proposal: Proposal, opened: sealing.Box) -> None:
    """The opened ballots as clear rows, each under a fresh random key, inserted in the order of
    those keys: a random order (the sealed rows came in the order people voted, and a table keeps
    its insertion order). Each distinct thing said (position and choices) is made ready for the
    database once; the rows go in one statement: PostgreSQL's COPY, or one executemany of tuples."""
    if not opened.digests:
        return
    ids, said, digests = _shuffled(opened)
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    table = quote(Ballot._meta.db_table)
    names = ("id", "proposal_id", "position", "choices", "reason", "receipt_hash")
    columns = ", ".join(quote(n) for n in names)
    choices = Ballot._meta.get_field("choices")
    assert isinstance(choices, JSONField)
    if db.vendor == "postgresql":
        # COPY's text format: a line a row, its columns apart by tabs; what is said, escaped once.
        middle = [
            f"\t{proposal.pk}\t{_copy_text(p)}\t{_copy_text(json.dumps(c, cls=choices.encoder))}\t\t"
            for p, c in opened.said
        ]
        text = "".join([f"{i}{middle[w]}{d}\n" for i, w, d in zip(ids, said, digests, strict=True)])
        with db.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            copy.write(text)
        return
    keys_as_stored: list[Any] = ids  # as Django keeps a UUIDField without a uuid type: 32 hex digits
    if db.features.has_native_uuid_field:
        keys_as_stored = [uuid.UUID(i) for i in ids]
    positions = [p for p, _c in opened.said]
    stored = [choices.get_db_prep_value(c, db) for _p, c in opened.said]
    pick = itemgetter(*said) if len(said) > 1 else lambda seq: [seq[said[0]]]
    rows = list(  # built in C (repeat never ends: not strict); a secret ballot carries no reason
        zip(
            keys_as_stored,
            repeat(proposal.pk),
            pick(positions),
            pick(stored),
            repeat(""),
            digests,
            strict=False,
        )
    )
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608 - our names
    with db.cursor() as cursor:
        cursor.executemany(sql, rows)


def _copy_text(value: str) -> str:
    """``value`` as a column of COPY's text format (backslash, tab and line ends escaped)."""
    return value.translate({92: "\\\\", 9: "\\t", 10: "\\n", 13: "\\r"})


def ballot_box_discard(*, proposal: Proposal) -> None:
    """Erase the sealed ballots of a vote that will never be counted (withdrawn), and its key."""
    box = BallotBox.objects.filter(proposal=proposal).first()
    if box is not None:
        _erase(proposal, box)


def _erase(proposal: Proposal, box: BallotBox) -> None:
    SealedBallot.objects.filter(proposal=proposal).delete()
    key_id = box.key_id
    box.delete()
    # Only once the erasure is committed: a close that rolls back must still find its key.
    transaction.on_commit(lambda: keys.ballot_key_delete(key_id))
