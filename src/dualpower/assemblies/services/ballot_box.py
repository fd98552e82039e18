"""The ballot box of a secret vote: sealed while the vote is open, opened once when it closes.

While the vote is open each ballot is a ``SealedBallot`` (``assemblies.sealing``) under the vote's
own key, a file outside the database. Closing (``ballot_box_open``, called by ``proposal_close``
before the count) opens every sealed ballot, writes them as clear ``Ballot`` rows in a random order
under fresh keys, erases the sealed rows and the box, and deletes the key file once the close is
committed. Withdrawing the vote erases them without opening them (``ballot_box_discard``).
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import JSONField

from dualpower import keys
from dualpower.assemblies import sealing
from dualpower.assemblies.models import Ballot, BallotBox, Proposal, SealedBallot

# Sealed ballots read per round trip when a box is opened.
BATCH = 2000


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
    key = keys.ballot_key_read(box.key_id)
    if key is None:
        raise keys.BallotKeyMissing()
    rows = SealedBallot.objects.filter(proposal=proposal).values_list("sealed", flat=True)
    return sealing.unseal_all(key, rows.iterator(chunk_size=BATCH))


def ballot_box_open(*, proposal: Proposal) -> int:
    """Open the sealed ballots of ``proposal`` as it closes (inside ``proposal_close``'s transaction):
    clear ballots in a random order under fresh keys, sealed rows and box erased, key file deleted
    after the commit. Returns how many ballots were opened."""
    box = BallotBox.objects.filter(proposal=proposal).first()
    if box is None:
        return 0
    opened = ballots_sealed(proposal=proposal)
    _insert_clear(proposal, opened)
    _erase(proposal, box)
    return len(opened)


def _insert_clear(proposal: Proposal, opened: list[sealing.Opened]) -> None:
    """The opened ballots as clear rows, each under a fresh random key, inserted in the order of
    those keys: a random order (the sealed rows came in the order people voted, and a table keeps
    its insertion order), drawn from one read of the system's randomness. One INSERT run for every
    row at once (executemany), with no model instance built per ballot."""
    meta = Ballot._meta
    names = ("id", "proposal_id", "position", "choices", "reason", "receipt_hash")
    # The connection itself, not the thread-local proxy: looked up once, not twice per ballot.
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    sql = (  # our own table and column names
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(n) for n in names)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    key, choices = meta.pk, meta.get_field("choices")
    assert key is not None and isinstance(choices, JSONField)
    randomness = os.urandom(16 * len(opened))
    # Sorted by the random bytes themselves (compared in C, not as UUID objects).
    draws = sorted((randomness[16 * i : 16 * i + 16], i) for i in range(len(opened)))
    fresh = [(uuid.UUID(bytes=raw, version=4), opened[i]) for raw, i in draws]
    # Many ballots say the same thing (every "agree"): each distinct choice is made ready once.
    ready: dict[str, Any] = {}
    rows = []
    for new_key, ballot in fresh:
        said = repr(ballot.choices)
        if said not in ready:
            ready[said] = choices.get_db_prep_value(ballot.choices, db)
        rows.append(
            (
                key.get_db_prep_value(new_key, db),
                proposal.pk,
                ballot.position,
                ready[said],
                "",  # a secret ballot carries no reason
                ballot.receipt_hash,
            )
        )
    if rows:
        with db.cursor() as cursor:
            cursor.executemany(sql, rows)


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
