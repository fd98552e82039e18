"""Read and write pabulib ``.pb`` files (sections META, PROJECTS, VOTES).

The format is described at pabulib.org ("The .pb File Format") and in Faliszewski et al.,
"Participatory Budgeting: Data, Tools, and Analysis", IJCAI 2023: three sections, each a
``;``-separated table with CSV quoting, a title line and a header line.

Money is held as integers in the smallest unit: when a cost or the budget is written with
decimals (``100000.50``), every amount is scaled by ``10**d`` (``d`` the most decimals any
amount uses) and ``meta["currency_scale"]`` records ``10**d``; the writer divides back.

The VOTES section is by far the largest (131,778 rows in Wrocław 2015), so it is read
column-wise: one pass of the C csv reader, then the vote column is split and mapped to
project positions in bulk instead of building one object per ballot entry.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from dualpower.core.choice.formats.errors import FormatError
from dualpower.core.choice.formats.pb_constraints import BallotConstraints, ballot_constraints, check_ballot
from dualpower.core.choice.pb.election import VOTE_TYPES, Ballots, PBElection, Project, VoteType

__all__ = [
    "BallotConstraints",
    "FormatError",
    "ballot_constraints",
    "check_ballot",
    "parse_pb",
    "read_pb",
    "write_pb",
]

_SECTIONS = ("meta", "projects", "votes")
# Columns of VOTES the reader interprets; every other column goes to ``Ballots.extra``.
_VOTE_COLUMNS = ("voter_id", "vote", "points", "weight")
# META keys the writer recomputes from the election itself.
_DERIVED_META = ("num_projects", "num_votes", "budget", "vote_type")


def read_pb(path: str | os.PathLike[str]) -> PBElection:
    """Read a ``.pb`` file (UTF-8, with or without a byte-order mark)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    return parse_pb(text, path=os.fspath(path))


def parse_pb(text: str, *, path: str = "") -> PBElection:
    """Parse the text of a ``.pb`` file; raise FormatError naming the line of any defect."""
    text = text.removeprefix("\ufeff")
    sections = _split_sections(text, path)
    meta_rows, projects_rows, votes_rows = (sections[name] for name in _SECTIONS)

    meta = _read_meta(meta_rows, path)
    vote_type = _vote_type(meta, sections, path)
    budget_text = meta.get("budget", "").strip()
    if not budget_text:
        raise FormatError("META has no budget.", path=path, line=sections["meta"].title_line)

    cost_texts, projects = _read_projects(projects_rows, path)
    budget_line = meta_rows.line_of_key.get("budget", meta_rows.title_line)
    amounts = [(budget_text, budget_line), *cost_texts]
    scale, values = _scale_money(amounts, path)
    budget, costs = values[0], values[1:]
    projects = tuple(
        Project(id=p.id, cost=cost, name=p.name, extra=p.extra) for p, cost in zip(projects, costs, strict=True)
    )
    meta.pop("currency_scale", None)
    if scale > 1:
        meta["currency_scale"] = str(scale)

    ballots = _read_votes(votes_rows, projects, vote_type, path)
    return PBElection(
        projects=projects,
        budget=budget,
        vote_type=vote_type,
        ballots=ballots,
        meta=MappingProxyType(meta),
    )


class _Section:
    """The rows of one section with the physical line number of each row."""

    def __init__(self, title_line: int) -> None:
        self.title_line = title_line
        self.header: list[str] = []
        self.header_line = title_line
        self.rows: list[list[str]] = []
        self.lines: list[int] = []
        self.line_of_key: dict[str, int] = {}


def _split_sections(text: str, path: str) -> dict[str, _Section]:
    buffer = io.StringIO(text, newline="")
    reader = csv.reader(buffer, delimiter=";")
    sections: dict[str, _Section] = {}
    current: _Section | None = None
    expect_header = False
    line_num = 0
    for row in reader:
        line_num = reader.line_num
        if len(row) < 2:
            cell = row[0].strip() if row else ""
            if not cell:
                continue
            name = cell.lower()
            if name in _SECTIONS:
                if name in sections:
                    raise FormatError(f"section {cell} appears twice.", path=path, line=line_num)
                if name == "votes" and "projects" not in sections:
                    raise FormatError("section VOTES comes before PROJECTS.", path=path, line=line_num)
                current = _Section(line_num)
                sections[name] = current
                expect_header = True
                if name == "votes":
                    _read_votes_rows(text[buffer.tell() :], current, path)
                    break
                continue
        if current is None:
            raise FormatError("text before the first section (META, PROJECTS or VOTES).", path=path, line=line_num)
        if expect_header:
            current.header = [c.strip() for c in row]
            current.header_line = line_num
            expect_header = False
            continue
        current.rows.append(row)
        current.lines.append(line_num)
    for name in _SECTIONS:
        if name not in sections:
            raise FormatError(f"the file has no {name.upper()} section.", path=path, line=line_num)
        if not sections[name].header:
            raise FormatError(
                f"section {name.upper()} has no header line.", path=path, line=sections[name].title_line
            )
    return sections


def _read_votes_rows(rest: str, section: _Section, path: str) -> None:
    """Rows of VOTES, the last section, read in bulk (it holds nearly all of a file)."""
    first_line = section.title_line + 1
    if '"' in rest:
        # Quoted fields may span lines: let the reader count physical lines.
        reader = csv.reader(io.StringIO(rest, newline=""), delimiter=";")
        rows: list[list[str]] = []
        lines: list[int] = []
        for row in reader:
            rows.append(row)
            lines.append(first_line - 1 + reader.line_num)
    else:
        # One row per physical line, so a row's line number is its position.
        rows = list(csv.reader(rest.split("\n"), delimiter=";"))
        lines = list(range(first_line, first_line + len(rows)))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    keep = [i for i, row in enumerate(rows) if len(row) < 2]
    if keep:
        # Rare rows (blank lines, one-column lines, a stray section title): the slow, careful path.
        short = set(keep)
        kept_rows: list[list[str]] = []
        kept_lines: list[int] = []
        for i, row in enumerate(rows):
            if i in short:
                cell = row[0].strip() if row else ""
                if not cell:
                    continue
                if cell.lower() in _SECTIONS:
                    raise FormatError(f"section {cell} comes after VOTES.", path=path, line=lines[i])
            kept_rows.append(row)
            kept_lines.append(lines[i])
        rows, lines = kept_rows, kept_lines
    if not rows:
        return
    section.header = [c.strip() for c in rows[0]]
    section.header_line = lines[0]
    section.rows = rows[1:]
    section.lines = lines[1:]


def _read_meta(section: _Section, path: str) -> dict[str, str]:
    if [c.lower() for c in section.header[:2]] != ["key", "value"]:
        raise FormatError("the META header must be 'key;value'.", path=path, line=section.header_line)
    meta: dict[str, str] = {}
    for row, line in zip(section.rows, section.lines, strict=True):
        if len(row) != 2:
            raise FormatError(
                f"a META line needs a key and a value, found {len(row)} field(s).", path=path, line=line
            )
        key, value = row[0].strip(), row[1].strip()
        if key in meta:
            raise FormatError(f"META key {key!r} appears twice.", path=path, line=line)
        meta[key] = value
        section.line_of_key[key] = line
    return meta


def _vote_type(meta: Mapping[str, str], sections: Mapping[str, _Section], path: str) -> VoteType:
    raw = meta.get("vote_type")
    line = sections["meta"].line_of_key.get("vote_type", sections["meta"].title_line)
    if raw is None:
        raise FormatError("META has no vote_type.", path=path, line=line)
    for vote_type in VOTE_TYPES:
        if raw == vote_type:
            return vote_type
    raise FormatError(
        f"vote type {raw!r} is unknown (expected one of {', '.join(VOTE_TYPES)}).", path=path, line=line
    )


def _read_projects(section: _Section, path: str) -> tuple[list[tuple[str, int]], list[Project]]:
    header = section.header
    for column in ("project_id", "cost"):
        if column not in header:
            raise FormatError(f"the PROJECTS header has no {column!r} column.", path=path, line=section.header_line)
    if len(set(header)) != len(header):
        raise FormatError("the PROJECTS header repeats a column.", path=path, line=section.header_line)
    id_col, cost_col = header.index("project_id"), header.index("cost")
    name_col = header.index("name") if "name" in header else -1
    extra_cols = [(i, c) for i, c in enumerate(header) if i not in (id_col, cost_col, name_col)]
    seen: set[str] = set()
    cost_texts: list[tuple[str, int]] = []
    projects: list[Project] = []
    for row, line in zip(section.rows, section.lines, strict=True):
        if len(row) != len(header):
            raise FormatError(
                f"a PROJECTS line has {len(row)} field(s), the header has {len(header)}.", path=path, line=line
            )
        pid = row[id_col].strip()
        if not pid:
            raise FormatError("a project has an empty project_id.", path=path, line=line)
        if pid in seen:
            raise FormatError(f"project {pid!r} appears twice.", path=path, line=line)
        seen.add(pid)
        cost_texts.append((row[cost_col].strip(), line))
        extra = MappingProxyType({name: row[i].strip() for i, name in extra_cols})
        projects.append(Project(id=pid, cost=0, name=row[name_col].strip() if name_col >= 0 else "", extra=extra))
    if not projects:
        raise FormatError("the PROJECTS section lists no project.", path=path, line=section.header_line)
    return cost_texts, projects


def _scale_money(amounts: Sequence[tuple[str, int]], path: str) -> tuple[int, list[int]]:
    """Amounts as integers in the smallest unit used by any of them, and that unit's scale."""
    decimals: list[Decimal] = []
    for text, line in amounts:
        try:
            value = Decimal(text.replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise FormatError(f"{text!r} is not a number.", path=path, line=line) from None
        if not value.is_finite() or value < 0:
            raise FormatError(f"{text!r} is not a non-negative amount.", path=path, line=line)
        decimals.append(value)
    digits = max(max(0, -int(d.normalize().as_tuple().exponent)) for d in decimals)
    scale = 10**digits
    return scale, [int(d * scale) for d in decimals]


def _read_votes(section: _Section, projects: Sequence[Project], vote_type: VoteType, path: str) -> Ballots:
    header = section.header
    for column in ("voter_id", "vote"):
        if column not in header:
            raise FormatError(f"the VOTES header has no {column!r} column.", path=path, line=section.header_line)
    if vote_type == "cumulative" and "points" not in header:
        raise FormatError("cumulative votes need a 'points' column.", path=path, line=section.header_line)
    if len(set(header)) != len(header):
        raise FormatError("the VOTES header repeats a column.", path=path, line=section.header_line)
    rows, lines = section.rows, section.lines
    width = len(header)
    if any(len(row) != width for row in rows):
        bad = next(i for i, row in enumerate(rows) if len(row) != width)
        raise FormatError(
            f"a VOTES line has {len(rows[bad])} field(s), the header has {width}.", path=path, line=lines[bad]
        )
    columns: list[tuple[str, ...]] = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    column = dict(zip(header, columns, strict=True))

    voter_ids = tuple(v.strip() for v in column["voter_id"])
    if len(set(voter_ids)) != len(voter_ids):
        first: dict[str, int] = {}
        for i, vid in enumerate(voter_ids):
            if vid in first:
                raise FormatError(
                    f"voter id {vid!r} appears twice (first on line {lines[first[vid]]}).", path=path, line=lines[i]
                )
            first[vid] = i
    if any(not v for v in voter_ids):
        raise FormatError("a voter has an empty voter_id.", path=path, line=lines[voter_ids.index("")])

    votes = column["vote"]
    lengths = np.fromiter((0 if not v else v.count(",") + 1 for v in votes), dtype=np.int64, count=len(votes))
    offsets = np.zeros(len(votes) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    tokens = ",".join(v for v in votes if v).split(",") if offsets[-1] else []
    position = {p.id: i for i, p in enumerate(projects)}
    if any(t != t.strip() for t in tokens[:1000]) or any(" " in v for v in votes):
        tokens = [t.strip() for t in tokens]
    index = np.fromiter((position.get(t, -1) for t in tokens), dtype=np.int32, count=len(tokens))
    if (index < 0).any():
        entry = int(np.flatnonzero(index < 0)[0])
        voter = int(np.searchsorted(offsets, entry, side="right")) - 1
        raise FormatError(f"the vote names project {tokens[entry]!r}, which PROJECTS does not list.",
                          path=path, line=lines[voter])
    _check_no_repeats(index, offsets, lines, tokens, path)

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
    extra_names = tuple(c for c in header if c not in _VOTE_COLUMNS)
    extra: tuple[Mapping[str, str], ...] = ()
    if extra_names:
        layout = _ExtraLayout(extra_names, {name: i for i, name in enumerate(extra_names)})
        extra_columns = [column[c] for c in extra_names]
        extra = tuple(map(_VoterExtra, zip(*extra_columns, itertools.repeat(layout))))
    return Ballots(voter_ids, offsets, index, points, weights, extra)


class _ExtraLayout(NamedTuple):
    names: tuple[str, ...]
    index: Mapping[str, int]


class _VoterExtra(tuple, Mapping[str, str]):  # type: ignore[type-arg]
    """One voter's other VOTES columns as a read-only mapping.

    A tuple of the values with the shared column layout as its last item: built by
    ``map`` over ``zip`` at C speed, where a dict per voter took most of the parse time.
    """

    __slots__ = ()

    def __getitem__(self, key: Any) -> str:
        if isinstance(key, str):
            layout: _ExtraLayout = tuple.__getitem__(self, -1)
            position = layout.index.get(key)
            if position is not None:
                return tuple.__getitem__(self, position)  # type: ignore[no-any-return]
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(tuple.__getitem__(self, -1).names)

    def __len__(self) -> int:
        return tuple.__len__(self) - 1

    def __contains__(self, key: object) -> bool:
        return key in tuple.__getitem__(self, -1).index

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = tuple.__hash__

    def __repr__(self) -> str:
        return repr(dict(self.items()))


def _check_no_repeats(
    index: npt.NDArray[np.int32], offsets: npt.NDArray[np.int64], lines: Sequence[int], tokens: Sequence[str], path: str
) -> None:
    if len(index) == 0:
        return
    voter_of_entry = np.repeat(np.arange(len(offsets) - 1, dtype=np.int64), np.diff(offsets))
    key = voter_of_entry * (int(index.max()) + 1) + index
    order = np.argsort(key, kind="stable")
    repeated = np.flatnonzero(np.diff(key[order]) == 0)
    if len(repeated):
        entry = int(order[repeated[0] + 1])
        voter = int(voter_of_entry[entry])
        raise FormatError(f"the vote names project {tokens[entry]!r} twice.", path=path, line=lines[voter])


def _read_points(
    column: Sequence[str], lengths: npt.NDArray[np.int64], lines: Sequence[int], path: str
) -> npt.NDArray[np.int64]:
    counts = np.fromiter((0 if not v.strip() else v.count(",") + 1 for v in column), dtype=np.int64, count=len(column))
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
                        f"points {token.strip()!r} is not a whole non-negative number.", path=path, line=lines[voter]
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
            raise FormatError(f"weight {text.strip()!r} is not a whole positive number.", path=path, line=lines[voter])
    return np.array([int(t) for t in column], dtype=np.int64)


def _is_count(text: str) -> bool:
    text = text.strip()
    return text.isascii() and text.isdigit()


# ----------------------------------------------------------------------------------------------- writing


def write_pb(election: PBElection) -> str:
    """The election as ``.pb`` text; ``parse_pb(write_pb(e))`` gives back an equal election."""
    scale = int(election.meta.get("currency_scale", "1"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    ballots = election.ballots

    meta = {k: v for k, v in election.meta.items() if k != "currency_scale"}
    derived = {
        "num_projects": str(len(election.projects)),
        "num_votes": str(ballots.num_voters),
        "budget": _money_text(election.budget, scale),
        "vote_type": election.vote_type,
    }
    for key in _DERIVED_META:
        # Keep the file's own spelling ("8000000.0") when it means the same value.
        if key not in meta or not _same_meta_value(key, meta[key], derived[key], scale):
            meta[key] = derived[key]
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, value])

    out.write("PROJECTS\n")
    extra_names = _union_keys(p.extra for p in election.projects)
    with_name = any(p.name for p in election.projects) or "name" in extra_names
    extra_names = [n for n in extra_names if n != "name"]
    writer.writerow(["project_id", "cost", *(["name"] if with_name else []), *extra_names])
    for p in election.projects:
        names = [p.name] if with_name else []
        writer.writerow([p.id, _money_text(p.cost, scale), *names, *(p.extra.get(n, "") for n in extra_names)])

    out.write("VOTES\n")
    vote_extra = _union_keys(ballots.extra)
    with_points = election.vote_type == "cumulative"
    with_weight = bool((ballots.weights != 1).any())
    writer.writerow(
        ["voter_id", "vote", *(["points"] if with_points else []), *(["weight"] if with_weight else []), *vote_extra]
    )
    ids = [p.id for p in election.projects]
    offsets = ballots.offsets.tolist()
    index = ballots.project_index.tolist()
    points = ballots.points.tolist()
    weights = ballots.weights.tolist()
    empty: Mapping[str, str] = {}
    for v, voter_id in enumerate(ballots.voter_ids):
        start, end = offsets[v], offsets[v + 1]
        row = [voter_id, ",".join([ids[i] for i in index[start:end]])]
        if with_points:
            row.append(",".join([str(s) for s in points[start:end]]))
        if with_weight:
            row.append(str(weights[v]))
        if vote_extra:
            extra = ballots.extra[v] if v < len(ballots.extra) else empty
            row.extend(extra.get(n, "") for n in vote_extra)
        writer.writerow(row)
    return out.getvalue()


def _money_text(amount: int, scale: int) -> str:
    if scale == 1:
        return str(amount)
    digits = len(str(scale)) - 1
    whole, part = divmod(amount, scale)
    return f"{whole}.{part:0{digits}d}"


def _same_meta_value(key: str, text: str, derived: str, scale: int) -> bool:
    if key == "vote_type":
        return text == derived
    try:
        return Decimal(text.replace(",", ".").replace(" ", "")) == Decimal(derived)
    except InvalidOperation:
        return False


def _union_keys(mappings: Iterable[Mapping[str, str]]) -> list[str]:
    names: dict[str, None] = {}
    for mapping in mappings:
        for key in mapping:
            names.setdefault(key, None)
    return list(names)
