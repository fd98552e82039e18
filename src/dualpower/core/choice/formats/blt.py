"""Read and write the BLT ballot format (ERS, OpenSTV and droop use it).

The layout, as droop documents it (BltFileFormat.md in jklundell/droop):

    4 2                 candidates and seats
    -3                  optional: withdrawn candidates as negative numbers (or on the first line)
    [tie 3 2 1 4]       optional: the tie-breaking order drawn by lot before the count
    2 1 2 0             ballots: weight, preferences by candidate number (from 1), then 0
    1 3 0
    0                   end of ballots
    "Castor"            one quoted name per candidate, in candidate-number order
    ...
    "Title"             the election's title
    "Source" "Comment"  optional, ignored; anything after them is ignored as well

Equal rankings (`1=2`) and ballot ids (`(a1) 1 2 0`) are not supported: ``RankedElection``
has no room for them, so such files are refused with a clear error rather than misread.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from dualpower.core.choice.formats.errors import FormatError
from dualpower.core.choice.ranked.election import RankedElection

_QUOTED = re.compile(r'"([^"]*)"')


def read_blt(path: str | os.PathLike[str]) -> RankedElection:
    """Read a BLT file (UTF-8, a byte-order mark is allowed)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"the file is not UTF-8 text ({exc.reason})", path=str(path)) from exc
    return parse_blt(text, path=str(path))


def parse_blt(text: str, *, path: str = "") -> RankedElection:
    """Parse BLT text; raise ``FormatError`` naming the line of the first problem."""
    lines = text.lstrip("\ufeff").splitlines()
    numbered = [(i + 1, line.strip()) for i, line in enumerate(lines)]
    body = [(n, line) for n, line in numbered if line]
    if not body:
        raise FormatError("the file is empty; expected 'candidates seats' on the first line", path=path)

    def fail(message: str, line: int) -> FormatError:
        return FormatError(message, path=path, line=line)

    first_no, first = body[0]
    head = first.split()
    if len(head) < 2:
        raise fail("the first line must hold the number of candidates and the number of seats", first_no)
    num_candidates = _int(head[0], "the number of candidates", first_no, path)
    seats = _int(head[1], "the number of seats", first_no, path)
    if num_candidates < 1:
        raise fail("there must be at least one candidate", first_no)
    if seats < 1:
        raise fail("there must be at least one seat", first_no)

    withdrawn: set[int] = set()
    tie_order: tuple[int, ...] = ()

    def add_withdrawn(tokens: list[str], line: int) -> None:
        for token in tokens:
            value = _int(token, "a withdrawn candidate", line, path)
            if value >= 0 or -value > num_candidates:
                raise fail(f"withdrawn candidate {token} must be between -1 and -{num_candidates}", line)
            withdrawn.add(-value - 1)

    add_withdrawn(head[2:], first_no)
    pos = 1
    rankings: list[tuple[int, ...]] = []
    weights: list[int] = []
    ended = False
    while pos < len(body):
        line_no, line = body[pos]
        pos += 1
        if line.startswith("-"):
            if rankings:
                raise fail("withdrawn candidates must come before the first ballot", line_no)
            add_withdrawn(line.split(), line_no)
            continue
        if line.startswith("["):
            tie_order = _option(line, line_no, num_candidates, path) or tie_order
            continue
        tokens = line.split()
        if tokens == ["0"]:
            ended = True
            break
        ranking, weight = _ballot(tokens, line_no, num_candidates, path)
        rankings.append(ranking)
        weights.append(weight)
    if not ended:
        last = body[-1][0]
        raise fail("the ballots never end: expected a line holding only 0 after the last ballot", last)

    rest = body[pos:]
    strings: list[tuple[int, str]] = []
    for line_no, line in rest:
        found = _QUOTED.findall(line)
        if not found:
            if len(strings) <= num_candidates:
                raise fail(f"expected a quoted candidate name or title, found {line[:40]!r}", line_no)
            break  # free text after the title (e.g. M135's notes) is not part of the election
        strings.extend((line_no, value) for value in found)
    if len(strings) < num_candidates:
        where = rest[-1][0] if rest else body[-1][0]
        raise fail(
            f"too few candidate names: found {len(strings)}, the first line says {num_candidates}", where
        )
    names = tuple(value for _, value in strings[:num_candidates])
    seen: dict[str, int] = {}
    for (line_no, name), index in zip(strings, range(num_candidates), strict=False):
        if name in seen:
            raise fail(f"candidates {seen[name] + 1} and {index + 1} have the same name {name!r}", line_no)
        seen[name] = index
    title = strings[num_candidates][1] if len(strings) > num_candidates else ""
    return RankedElection(
        candidates=names,
        seats=seats,
        rankings=tuple(rankings),
        weights=tuple(weights),
        withdrawn=frozenset(withdrawn),
        title=title,
        tie_order=tie_order,
    )


def write_blt(election: RankedElection) -> str:
    """Write ``election`` as BLT text that ``parse_blt`` reads back to an equal election."""
    for name in (*election.candidates, election.title):
        if '"' in name or "\n" in name:
            raise ValueError(f"BLT cannot hold a name or title containing a quote or line break: {name!r}")
    out = [f"{len(election.candidates)} {election.seats}"]
    if election.withdrawn:
        out.append(" ".join(f"-{index + 1}" for index in sorted(election.withdrawn)))
    if election.tie_order:
        out.append("[tie " + " ".join(str(index + 1) for index in election.tie_order) + "]")
    for ranking, weight in zip(election.rankings, election.weights, strict=True):
        out.append(" ".join([str(weight), *(str(index + 1) for index in ranking), "0"]))
    out.append("0")
    out.extend(f'"{name}"' for name in election.candidates)
    out.append(f'"{election.title}"')
    return "\n".join(out) + "\n"


def _int(token: str, what: str, line: int, path: str) -> int:
    try:
        return int(token)
    except ValueError:
        raise FormatError(f"{what} must be a whole number, found {token!r}", path=path, line=line) from None


def _ballot(tokens: list[str], line: int, num_candidates: int, path: str) -> tuple[tuple[int, ...], int]:
    if tokens[0].startswith("("):
        raise FormatError("ballot ids in parentheses are not supported", path=path, line=line)
    weight = _int(tokens[0], "a ballot's weight", line, path)
    if weight < 1:
        raise FormatError(f"a ballot's weight must be at least 1, found {weight}", path=path, line=line)
    if tokens[-1] != "0":
        raise FormatError("the ballot does not end with 0", path=path, line=line)
    ranking: list[int] = []
    for token in tokens[1:-1]:
        if "=" in token:
            raise FormatError(f"equal rankings ({token}) are not supported", path=path, line=line)
        value = _int(token, "a preference", line, path)
        if not 1 <= value <= num_candidates:
            raise FormatError(
                f"preference {value} is not a candidate (candidates are 1 to {num_candidates})",
                path=path,
                line=line,
            )
        if value - 1 in ranking:
            raise FormatError(f"candidate {value} is ranked twice on this ballot", path=path, line=line)
        ranking.append(value - 1)
    return tuple(ranking), weight


def _option(line: str, line_no: int, num_candidates: int, path: str) -> tuple[int, ...]:
    if not line.endswith("]"):
        raise FormatError("an option line must end with ]", path=path, line=line_no)
    tokens = line[1:-1].split()
    if not tokens:
        raise FormatError("an empty option line", path=path, line=line_no)
    if tokens[0] != "tie":
        return ()  # other droop options ([droop ...]) choose a rule; the caller chooses here
    order = tuple(_int(token, "a tie order entry", line_no, path) - 1 for token in tokens[1:])
    if sorted(order) != list(range(num_candidates)):
        raise FormatError(
            f"the tie order must list every candidate 1 to {num_candidates} once", path=path, line=line_no
        )
    return order
