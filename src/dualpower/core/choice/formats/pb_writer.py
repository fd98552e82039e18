"""Write a ``PBElection`` as pabulib ``.pb`` text (the inverse of ``parse_pb``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

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
