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

import contextlib
import csv
import gc
import io
import os
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from dualpower.core.choice.formats.errors import FormatError
from dualpower.core.choice.formats.pb_constraints import BallotConstraints, ballot_constraints, check_ballot
from dualpower.core.choice.formats.pb_votes import read_votes
from dualpower.core.choice.formats.pb_writer import write_pb
from dualpower.core.choice.pb.election import VOTE_TYPES, PBElection, Project, VoteType

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


def read_pb(path: str | os.PathLike[str]) -> PBElection:
    """Read a ``.pb`` file (UTF-8, with or without a byte-order mark)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    return parse_pb(text, path=os.fspath(path))


def parse_pb(text: str, *, path: str = "") -> PBElection:
    """Parse the text of a ``.pb`` file; raise FormatError naming the line of any defect."""
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        # Old Mac files end lines with CR alone; the csv reader would take them for one line.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    nul = text.find("\x00")
    if nul >= 0:
        # No database can store it, and no one types it: a damaged or a hostile file.
        line = text.count("\n", 0, nul) + 1
        raise FormatError("the file holds the NUL character (U+0000).", path=path, line=line)
    with _gc_paused():
        return _parse(text, path)


def _csv_defect(error: csv.Error, path: str, line: int) -> FormatError:
    """The csv reader's complaint as a sentence naming the line (never a traceback)."""
    if "field larger than field limit" in str(error):
        limit = csv.field_size_limit()
        return FormatError(f"a field is longer than {limit:,} characters.", path=path, line=line)
    return FormatError(f"the line cannot be read as ';'-separated values ({error}).", path=path, line=line)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    # Reading builds a few hundred thousand short lists and strings that are all garbage
    # or all kept; the cyclic collector would scan them again and again (half the parse
    # time on Wrocław 2015). None of them form cycles, so it is paused for the read.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse(text: str, path: str) -> PBElection:
    sections = _split_sections(text, path)
    meta_rows, projects_rows, votes_rows = (sections[name] for name in _SECTIONS)

    meta = _read_meta(meta_rows, path)
    vote_type = _vote_type(meta, sections, path)
    budget_text = meta.get("budget", "").strip()
    if not budget_text:
        raise FormatError("META has no budget.", path=path, line=sections["meta"].title_line)

    cost_texts, unpriced = _read_projects(projects_rows, path)
    budget_line = meta_rows.line_of_key.get("budget", meta_rows.title_line)
    amounts = [(budget_text, budget_line), *cost_texts]
    scale, values = _scale_money(amounts, path)
    budget, costs = values[0], values[1:]
    projects = tuple(
        Project(id=p.id, cost=cost, name=p.name, extra=p.extra)
        for p, cost in zip(unpriced, costs, strict=True)
    )
    meta.pop("currency_scale", None)
    if scale > 1:
        meta["currency_scale"] = str(scale)

    ballots = read_votes(
        votes_rows.header,
        votes_rows.header_line,
        votes_rows.rows,
        votes_rows.lines,
        projects,
        vote_type,
        path,
    )
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
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            raise _csv_defect(error, path, reader.line_num) from None
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
            raise FormatError(
                "text before the first section (META, PROJECTS or VOTES).", path=path, line=line_num
            )
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
        try:
            for row in reader:
                rows.append(row)
                lines.append(first_line - 1 + reader.line_num)
        except csv.Error as error:
            raise _csv_defect(error, path, first_line - 1 + reader.line_num) from None
    else:
        # One row per physical line, so a row's line number is its position.
        fast = csv.reader(rest.split("\n"), delimiter=";")
        try:
            rows = list(fast)
        except csv.Error as error:
            raise _csv_defect(error, path, first_line - 1 + fast.line_num) from None
        lines = list(range(first_line, first_line + len(rows)))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    keep = [i for i, row in enumerate(rows) if len(row) < 2] if rows and min(map(len, rows)) < 2 else []
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
            raise FormatError(
                f"the PROJECTS header has no {column!r} column.", path=path, line=section.header_line
            )
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
                f"a PROJECTS line has {len(row)} field(s), the header has {len(header)}.",
                path=path,
                line=line,
            )
        pid = row[id_col].strip()
        if not pid:
            raise FormatError("a project has an empty project_id.", path=path, line=line)
        if pid in seen:
            raise FormatError(f"project {pid!r} appears twice.", path=path, line=line)
        seen.add(pid)
        cost_texts.append((row[cost_col].strip(), line))
        extra = MappingProxyType({name: row[i].strip() for i, name in extra_cols})
        projects.append(
            Project(id=pid, cost=0, name=row[name_col].strip() if name_col >= 0 else "", extra=extra)
        )
    if not projects:
        raise FormatError("the PROJECTS section lists no project.", path=path, line=section.header_line)
    return cost_texts, projects


_MAX_DIGITS = 15  # a thousand trillion: more than any budget, and exact in a float
_MAX_DECIMALS = 6


def _shown(text: str) -> str:
    """A number quoted in a sentence, shortened when it is thousands of characters long."""
    return repr(text) if len(text) <= 40 else f"{text[:20]!r}… ({len(text):,} characters)"


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
        # Bounded before any arithmetic: 1e999999 or 4,000 decimals would make integers too
        # long to compute with (or print) instead of an amount of money.
        if value and value.adjusted() >= _MAX_DIGITS:
            raise FormatError(
                f"{_shown(text)} is too large: at most {_MAX_DIGITS} digits before the decimal point.",
                path=path,
                line=line,
            )
        if value and -value.normalize().as_tuple().exponent > _MAX_DECIMALS:  # type: ignore[operator]
            raise FormatError(
                f"{_shown(text)} has more than {_MAX_DECIMALS} decimal places.", path=path, line=line
            )
        decimals.append(value)
    digits = max(max(0, -int(d.normalize().as_tuple().exponent)) for d in decimals)
    scale = 10**digits
    return scale, [int(d * scale) for d in decimals]
