"""The VOTES section of a ``.pb`` file, read column-wise into ``Ballots``.

VOTES holds nearly all of a file (131,778 rows in Wrocław 2015), so the vote column is
split and mapped to project positions in bulk instead of one object per ballot entry, and
the other columns are kept per voter in a compact mapping.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from dualpower.core.choice.formats.errors import FormatError
from dualpower.core.choice.pb.election import Ballots, Project, VoteType

# Columns of VOTES the reader interprets; every other column goes to ``Ballots.extra``.
VOTE_COLUMNS = ("voter_id", "vote", "points", "weight")


def read_votes(
    header: list[str],
    header_line: int,
    rows: list[list[str]],
    lines: Sequence[int],
    projects: Sequence[Project],
    vote_type: VoteType,
    path: str,
) -> Ballots:
    """The VOTES rows as ballots in CSR form; FormatError names the line of any defect."""
    for required in ("voter_id", "vote"):
        if required not in header:
            raise FormatError(f"the VOTES header has no {required!r} column.", path=path, line=header_line)
    if vote_type == "cumulative" and "points" not in header:
        raise FormatError("cumulative votes need a 'points' column.", path=path, line=header_line)
    if len(set(header)) != len(header):
        raise FormatError("the VOTES header repeats a column.", path=path, line=header_line)
    width = len(header)
    if rows and set(map(len, rows)) != {width}:
        bad = next(i for i, row in enumerate(rows) if len(row) != width)
        raise FormatError(
            f"a VOTES line has {len(rows[bad])} field(s), the header has {width}.", path=path, line=lines[bad]
        )
    columns: list[tuple[str, ...]] = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    column = dict(zip(header, columns, strict=True))

    # map() over C methods keeps these per-voter passes out of the interpreter loop.
    voter_ids = _compact(tuple(map(str.strip, column["voter_id"])))
    distinct = set(voter_ids)
    if len(distinct) != len(voter_ids):
        first: dict[str, int] = {}
        for i, vid in enumerate(voter_ids):
            if vid in first:
                raise FormatError(
                    f"voter id {vid!r} appears twice (first on line {lines[first[vid]]}).",
                    path=path,
                    line=lines[i],
                )
            first[vid] = i
    if "" in distinct:
        raise FormatError("a voter has an empty voter_id.", path=path, line=lines[voter_ids.index("")])

    votes = column["vote"]
    commas = np.fromiter(map(str.count, votes, itertools.repeat(",")), dtype=np.int64, count=len(votes))
    empty = np.fromiter(map(operator.not_, votes), dtype=bool, count=len(votes))
    lengths = np.where(empty, 0, commas + 1)
    offsets = np.zeros(len(votes) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    joined = ",".join(filter(None, votes))
    index = _numbered_index(joined, int(offsets[-1]), projects)
    if index is None:
        tokens = joined.split(",") if offsets[-1] else []
        position = {p.id: i for i, p in enumerate(projects)}
        if " " in joined or "\t" in joined:
            tokens = list(map(str.strip, tokens))
        index = np.fromiter(
            map(position.get, tokens, itertools.repeat(-1)), dtype=np.int32, count=len(tokens)
        )
        if (index < 0).any():
            entry = int(np.flatnonzero(index < 0)[0])
            voter = int(np.searchsorted(offsets, entry, side="right")) - 1
            raise FormatError(
                f"the vote names project {tokens[entry]!r}, which PROJECTS does not list.",
                path=path,
                line=lines[voter],
            )
        del tokens
    del joined
    _check_no_repeats(index, offsets, lines, projects, path)

    if vote_type == "cumulative":
        points = _read_points(column["points"], lengths, lines, path)
    elif vote_type == "ordinal":
        # Position within the ballot, 1 = first choice (see Ballots).
        starts = np.repeat(offsets[:-1], lengths)
        points = np.arange(len(index), dtype=np.int64) - starts + 1
    else:
        points = np.ones(len(index), dtype=np.int64)
    if vote_type == "choose-1" and (lengths > 1).any():
        voter = int(np.flatnonzero(lengths > 1)[0])
        raise FormatError("a choose-1 vote names more than one project.", path=path, line=lines[voter])

    weights = _read_weights(column.get("weight"), len(voter_ids), lines, path)
    extra_names = tuple(c for c in header if c not in VOTE_COLUMNS)
    extra: tuple[Mapping[str, str], ...] = ()
    if extra_names:
        layout = _ExtraLayout(extra_names, {name: i for i, name in enumerate(extra_names)})
        extra_columns = [column[c] for c in extra_names]
        extra = tuple(map(_VoterExtra, zip(*extra_columns, itertools.repeat(layout))))
    return Ballots(voter_ids, offsets, index, points, weights, extra)


def _compact(texts: tuple[str, ...]) -> tuple[str, ...]:
    """The same texts made afresh side by side: the reader's own strings sit among its rows, which
    are all garbage once read, and would keep that memory from being given back."""
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        return texts  # an id holds a line break (a quoted field): kept as read
    return tuple(joined.split("\n")) if texts else texts


class _ExtraLayout(NamedTuple):
    names: tuple[str, ...]
    positions: Mapping[str, int]


class _VoterExtra(tuple, Mapping[str, str]):  # type: ignore[type-arg]
    """One voter's other VOTES columns as a read-only mapping.

    A tuple of the values with the shared column layout as its last item: built by
    ``map`` over ``zip`` at C speed, where a dict per voter took most of the parse time.
    """

    __slots__ = ()

    def __getitem__(self, key: Any) -> str:  # type: ignore[override]  # a mapping's, not tuple's
        if isinstance(key, str):
            layout: _ExtraLayout = tuple.__getitem__(self, -1)
            position = layout.positions.get(key)
            if position is not None:
                return tuple.__getitem__(self, position)  # type: ignore[no-any-return]
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(tuple.__getitem__(self, -1).names)

    def __len__(self) -> int:
        return tuple.__len__(self) - 1

    def __contains__(self, key: object) -> bool:
        return key in tuple.__getitem__(self, -1).positions

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _VoterExtra) and tuple.__getitem__(self, -1) == tuple.__getitem__(other, -1):
            # Same columns in the same order: compare the values at C speed.
            return tuple.__eq__(self, other)
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = tuple.__hash__

    def __repr__(self) -> str:
        return repr(dict(self.items()))


_DIGITS_AND_COMMAS = np.zeros(256, dtype=np.bool_)
_DIGITS_AND_COMMAS[list(b"0123456789,")] = True


def _numbered_index(joined: str, count: int, projects: Sequence[Project]) -> npt.NDArray[np.int32] | None:
    """The positions of the ``count`` project ids in ``joined`` (the vote column joined by commas)
    when every project id is a whole number written plainly (``7``, not ``07``) and so is every
    token: parsed by numpy without a string per entry (a million entries in a file of 100,000
    ballots). None when anything else is there; the general reader then reads, or names the defect.
    """
    numbers = []
    for p in projects:
        if not (p.id.isascii() and p.id.isdigit() and len(p.id) <= 18) or (p.id[0] == "0" and p.id != "0"):
            return None
        numbers.append(int(p.id))
    if not count or not joined.isascii():
        return None
    raw = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    if not _DIGITS_AND_COMMAS[raw].all() or raw[0] == 44 or raw[-1] == 44 or ",," in joined:
        return None  # 44 is the comma: no empty token
    del raw
    values = np.fromstring(joined, dtype=np.int64, sep=",")  # only digits between single commas
    if len(values) != count:
        return None
    ids = np.array(numbers, dtype=np.int64)
    if int(ids.max()) < 1 << 22 and int(values.max()) < 1 << 22:  # a table of at most 16 MB
        table = np.full(max(int(ids.max()), int(values.max())) + 1, -1, dtype=np.int32)
        table[ids] = np.arange(len(ids), dtype=np.int32)
        index = table[values]
        if (index < 0).any():
            return None
    else:
        by_value = np.argsort(ids)
        found = np.searchsorted(ids[by_value], values).clip(0, len(ids) - 1)
        if not (ids[by_value][found] == values).all():
            return None
        index = by_value[found].astype(np.int32)
    # A token with leading zeros ("007") is longer than the id it equals in value, and no token is
    # shorter than its id: equal total lengths mean every token is its project's id, as written.
    id_lengths = np.array([len(p.id) for p in projects], dtype=np.int64)
    if int(id_lengths[index].sum()) + count - 1 != len(joined):
        return None
    return index


def _check_no_repeats(
    index: npt.NDArray[np.int32],
    offsets: npt.NDArray[np.int64],
    lines: Sequence[int],
    projects: Sequence[Project],
    path: str,
) -> None:
    if len(index) == 0:
        return
    voter_of_entry = np.repeat(np.arange(len(offsets) - 1, dtype=np.int64), np.diff(offsets))
    key = voter_of_entry * (int(index.max()) + 1) + index
    if (np.diff(np.sort(key)) != 0).all():  # the usual case, told by a plain sort
        return
    order = np.argsort(key, kind="stable")
    repeated = np.flatnonzero(np.diff(key[order]) == 0)
    if len(repeated):
        entry = int(order[repeated[0] + 1])
        voter = int(voter_of_entry[entry])
        name = projects[int(index[entry])].id
        raise FormatError(f"the vote names project {name!r} twice.", path=path, line=lines[voter])


def _read_points(
    column: Sequence[str], lengths: npt.NDArray[np.int64], lines: Sequence[int], path: str
) -> npt.NDArray[np.int64]:
    counts = np.fromiter(
        (0 if not v.strip() else v.count(",") + 1 for v in column), dtype=np.int64, count=len(column)
    )
    if (counts != lengths).any():
        voter = int(np.flatnonzero(counts != lengths)[0])
        raise FormatError(
            f"the vote names {lengths[voter]} project(s) but gives {counts[voter]} point value(s).",
            path=path,
            line=lines[voter],
        )
    tokens = ",".join(v for v in column if v.strip()).split(",") if counts.sum() else []
    try:
        points = np.array([int(t) for t in tokens], dtype=np.int64)
    except ValueError:
        points = None
    if points is None or (points < 0).any():
        for voter, text in enumerate(column):
            for token in text.split(",") if text.strip() else ():
                if not _is_count(token):
                    raise FormatError(
                        f"points {token.strip()!r} is not a whole non-negative number.",
                        path=path,
                        line=lines[voter],
                    )
    assert points is not None
    return points


def _read_weights(
    column: Sequence[str] | None, count: int, lines: Sequence[int], path: str
) -> npt.NDArray[np.int64]:
    if column is None:
        return np.ones(count, dtype=np.int64)
    for voter, text in enumerate(column):
        if not _is_count(text) or int(text) == 0:
            raise FormatError(
                f"weight {text.strip()!r} is not a whole positive number.", path=path, line=lines[voter]
            )
    return np.array([int(t) for t in column], dtype=np.int64)


def _is_count(text: str) -> bool:
    text = text.strip()
    return text.isascii() and text.isdigit()
