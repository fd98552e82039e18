"""Write a ``PBElection`` as pabulib ``.pb`` text (the inverse of ``parse_pb``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

import numpy as np

from dualpower.core.choice.pb.election import PBElection

# META keys the writer recomputes from the election itself.
_DERIVED_META = ("num_projects", "num_votes", "budget", "vote_type")


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
        writer.writerow(
            [p.id, _money_text(p.cost, scale), *names, *(p.extra.get(n, "") for n in extra_names)]
        )

    out.write("VOTES\n")
    vote_extra = _union_keys(ballots.extra)
    with_points = election.vote_type == "cumulative"
    with_weight = bool((ballots.weights != 1).any())
    writer.writerow(
        [
            "voter_id",
            "vote",
            *(["points"] if with_points else []),
            *(["weight"] if with_weight else []),
            *vote_extra,
        ]
    )
    ids = [p.id for p in election.projects]
    if not (with_points or with_weight or vote_extra) and _plain(ids) and _plain(ballots.voter_ids):
        out.write(_plain_votes(ids, election))
        return out.getvalue()
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


# Voters per block of the VOTES section built at once (bounds the memory of the pieces).
_VOTERS_PER_BLOCK = 10_000


def _plain(fields: Sequence[str]) -> bool:
    """No field needs the csv writer's quotes (it quotes ';', '"' and line breaks)."""
    joined = "".join(fields)
    return not any(c in joined for c in ';"\r\n')


def _plain_votes(ids: Sequence[str], election: PBElection) -> str:
    """The VOTES rows ``voter_id;id,id,...`` of ballots with no other column, as the csv writer
    writes them when no field needs quotes: joined from the ids held once (no row objects and no
    string per entry), block by block."""
    ballots = election.ballots
    names = np.array(ids, dtype=object)
    offsets = ballots.offsets
    blocks = []
    for first in range(0, ballots.num_voters, _VOTERS_PER_BLOCK):
        last = min(first + _VOTERS_PER_BLOCK, ballots.num_voters)
        low, high = int(offsets[first]), int(offsets[last])
        lengths = np.diff(offsets[first : last + 1])
        # Pieces of a voter: "id;", then its entries with commas between, then "\n" (2k + 1 pieces;
        # 2 for an empty vote).
        sizes = 2 * lengths + 1 + (lengths == 0)
        starts = np.zeros(last - first, dtype=np.int64)
        np.cumsum(sizes[:-1], out=starts[1:])
        pieces = np.full(int(sizes.sum()), ",", dtype=object)
        pieces[starts] = [f"{voter_id};" for voter_id in ballots.voter_ids[first:last]]
        pieces[starts + sizes - 1] = "\n"
        within = np.arange(high - low, dtype=np.int64) - np.repeat(offsets[first:last] - low, lengths)
        pieces[np.repeat(starts, lengths) + 1 + 2 * within] = names[ballots.project_index[low:high]]
        blocks.append("".join(pieces.tolist()))
    return "".join(blocks)


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
