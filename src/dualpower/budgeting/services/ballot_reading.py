"""Reading a cycle's stored ballots for the count, straight into the engine's arrays (issue 21).

A count reads every entry of every ballot of an area: 1.24 million entries for 100,000 ballots of
about 12 approvals. Whatever leaves the database per row or per entry costs a Python object, so
the entries leave as text, a few texts per query: one aggregate (``GROUP_CONCAT`` on SQLite,
``STRING_AGG`` on PostgreSQL) folds each entry into one whole number — its ballot, whether that
ballot is on paper, its proposal and its points — and numpy parses the text. Reading is split in
ranges of ballot ids, so no text grows past a bounded size however large the cycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Aggregate,
    BigIntegerField,
    Case,
    ExpressionWrapper,
    F,
    Max,
    Min,
    TextField,
    Value,
    When,
)

from dualpower.budgeting.models import Ballot, BallotType, Cycle, District, Proposal

# Ballot ids per query: a range of this many ids holds at most as many ballots, so at most about
# 12 × this many entries (as text, some 10 bytes each) are in hand at once.
CHUNK_BALLOTS = 100_000

# An entry's points and proposal are folded into one number: (points - 1) × 2³² + (the proposal's
# id - the area's lowest proposal id). Points fit 31 bits (a positive integer column), and the
# area's proposal ids must lie within 2³² of each other, which read_ballots checks.
_SHIFT = 32
_LOW_BITS = (1 << _SHIFT) - 1


@dataclass(frozen=True, eq=False)
class AreaBallots:
    """The confirmed ballots of one area that name at least one of its proposals, read once and
    held as the engine holds ballots (CSR arrays, no object per ballot or entry): ballot i's
    entries are ``places[offsets[i]:offsets[i + 1]]`` (positions of proposals in the area) with
    ``points``, in the order the file publishes them; ``paper[i]`` says it was cast on paper.
    Ballots are in the order of their ids; nothing else about them is kept."""

    offsets: npt.NDArray[np.int64]
    places: npt.NDArray[np.int32]
    points: npt.NDArray[np.int64]
    paper: npt.NDArray[np.bool_]

    @property
    def num_ballots(self) -> int:
        return len(self.paper)


class _Places:
    """Each proposal id's position among ``pks`` (the area's proposals, in the file's order), or
    -1; ids are given as offsets from the lowest of ``pks``."""

    def __init__(self, pks: list[int]) -> None:
        keys = np.array(pks, dtype=np.int64)
        self.low = int(keys.min()) if pks else 0
        self.high = int(keys.max()) if pks else -1
        self.table = np.full(self.high - self.low + 1, -1, dtype=np.int32)
        self.table[keys - self.low] = np.arange(len(pks), dtype=np.int32)

    def __call__(self, offsets: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
        # The query only returns proposals between the lowest and the highest id of the area.
        return self.table[offsets]


@contextmanager
def _unmapped(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """On SQLite, read without the connection's memory map: a stream over every entry of a cycle
    would otherwise keep the pages it touched (most of the file) resident in this process; and
    give back the page cache it filled once done."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA mmap_size")
        (size,) = cursor.fetchone()
        cursor.execute("PRAGMA mmap_size=0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA mmap_size={int(size)}")
            cursor.execute("PRAGMA shrink_memory")


class _Joined(Aggregate):
    """A group's values as one comma-separated text (SQLite's GROUP_CONCAT, PostgreSQL's
    STRING_AGG): every aggregate of a query sees a group's rows in the same order."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "STRING_AGG(%(expressions)s::text, ',')"
        return super().as_sql(compiler, connection, template=template, **extra)


def _numbers(text: str | None) -> npt.NDArray[np.int64]:
    if not text:
        return np.empty(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def _entries(
    cycle: Cycle, district: District | None, places: _Places
) -> Iterator[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """Per range of ballot ids: for each entry naming a proposal within the area's id span,
    (ballot id × 2 + 1 if on paper, (points - 1) × 2³² + proposal id - the area's lowest)."""
    ballots = Ballot.objects.filter(cycle=cycle, district=district, confirmed=True).order_by()
    span = ballots.aggregate(first=Min("id"), last=Max("id"))
    if span["first"] is None or places.high < places.low:
        return
    wide = BigIntegerField()
    on_paper = Case(When(channel=Ballot.Channel.PAPER, then=Value(1)), default=Value(0))
    ballot_key = ExpressionWrapper(F("id") * 2 + on_paper, output_field=wide)
    entry_key = ExpressionWrapper(
        (F("entries__points") - 1) * Value(1 << _SHIFT, output_field=wide)
        + (F("entries__proposal_id") - places.low),
        output_field=wide,
    )
    for start in range(span["first"], span["last"] + 1, CHUNK_BALLOTS):
        texts = ballots.filter(
            id__gte=start,
            id__lt=start + CHUNK_BALLOTS,
            entries__proposal_id__gte=places.low,
            entries__proposal_id__lte=places.high,
        ).aggregate(ballots=_Joined(ballot_key), entries=_Joined(entry_key))
        keys, values = _numbers(texts.pop("ballots")), _numbers(texts.pop("entries"))
        if len(keys) != len(values):
            raise RuntimeError("The ballot entries could not be read back in full.")
        yield keys, values


def read_ballots(cycle: Cycle, district: District | None, proposals: tuple[Proposal, ...]) -> AreaBallots:
    """The ballots of an area (its district, its proposals in the file's order) as arrays.
    Entries naming a proposal outside the area are left out, and so is a ballot left with none."""
    to_place = _Places([p.pk for p in proposals])
    if to_place.high - to_place.low > _LOW_BITS:
        raise RuntimeError("The area's proposal ids are too far apart to be read together.")
    keys_read, values_read = [], []
    connection = connections[Ballot.objects.db]
    with _unmapped(connection):
        for keys, values in _entries(cycle, district, to_place):
            place = to_place(values & _LOW_BITS)
            inside = place >= 0
            keys_read.append(keys[inside])
            values_read.append(np.stack((place[inside].astype(np.int64), (values[inside] >> _SHIFT) + 1)))
            del keys, values, place, inside
    keys = np.concatenate(keys_read) if keys_read else np.empty(0, dtype=np.int64)
    pairs = np.concatenate(values_read, axis=1) if values_read else np.empty((2, 0), dtype=np.int64)
    del keys_read, values_read
    # Each ballot's entries together, in the file's order within it: a ranked ballot's first choice
    # first, any other in the file's order of projects (the order a voter ticked them in is not
    # published). Ranks are distinct (ballot_check); were two equal, they would keep the order the
    # database gave them in. The rows come grouped by ballot, so the stable sorts meet short runs.
    if len(keys) > 1 and not (keys[1:] >= keys[:-1]).all():
        by_ballot = np.argsort(keys, kind="stable")
        keys, pairs = keys[by_ballot], pairs[:, by_ballot]
        del by_ballot
    first = np.empty(len(keys), dtype=np.bool_)
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    paper = (keys[starts] & 1).astype(np.bool_)
    del keys
    index = np.cumsum(first, dtype=np.int64)  # each entry's ballot, counted from 1
    del first
    within = pairs[1] if cycle.ballot_type == BallotType.RANKED else pairs[0]
    width = int(within.max()) + 1 if len(within) else 1
    index *= width
    index += within
    order = np.argsort(index, kind="stable")
    del index
    offsets = np.empty(len(starts) + 1, dtype=np.int64)
    offsets[:-1] = starts
    offsets[-1] = pairs.shape[1]
    return AreaBallots(
        offsets=offsets,
        places=pairs[0][order].astype(np.int32),
        points=pairs[1][order],
        paper=paper,
    )
