"""Counting a cycle: the stored ballots become a pabulib file, the file is counted by the engine.

The official count reads the very file that is published (parse_pb(write_pb(...))), so anyone
who downloads it and runs the printed `dualpower tally` command gets the same result; its sha256
is stored and shown. Ballots leave the database under fresh ids in a freshly drawn order: no name, no
membership id, no stored ref (``published_ballots``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
from django.db import transaction
from django.utils.text import slugify

from dualpower.budgeting.models import (
    BallotType,
    Cycle,
    District,
    Proposal,
    Result,
    Rule,
)
from dualpower.budgeting.services.ballot_reading import AreaBallots, read_ballots
from dualpower.community.services import audit_record
from dualpower.core.choice.formats.pb import parse_pb, write_pb
from dualpower.core.choice.pb.election import Ballots, PBElection, Project, VoteType
from dualpower.core.choice.pb.greedy import greedy
from dualpower.core.choice.pb.mes import equal_shares
from dualpower.core.choice.pb.outcome import PBOutcome
from dualpower.core.choice.pb.phragmen import phragmen
from dualpower.core.choice.pb.tiebreak import TieBreak
from dualpower.members.models import Membership

VOTE_TYPE: dict[str, VoteType] = {
    BallotType.APPROVAL: "approval",
    BallotType.KNAPSACK: "approval",
    BallotType.CUMULATIVE: "cumulative",
    BallotType.RANKED: "ordinal",
}


@dataclass(frozen=True)
class Area:
    district: District | None
    budget: int
    proposals: tuple[Proposal, ...]


def areas(cycle: Cycle) -> list[Area]:
    """The city-wide pot (if it has proposals or there are no districts) and each district."""
    feasible = list(
        cycle.proposals.filter(feasibility=Proposal.Feasibility.FEASIBLE, cost__isnull=False).order_by(
            "code", "id"
        )
    )
    out = []
    citywide = tuple(p for p in feasible if p.district_id is None)
    districts = list(cycle.districts.all())
    if citywide or not districts:
        out.append(Area(None, cycle.budget, citywide))
    for d in districts:
        mine = tuple(p for p in feasible if p.district_id == d.pk)
        if mine:
            out.append(Area(d, d.budget, mine))
    return out


def count_unit(amounts: list[int]) -> int:
    """Count in whole currency units when every amount allows it (add1 then steps one unit, as on
    equalshares.net), else in tenths or in cents; the file says which (META currency_unit_cents)."""
    for unit in (100, 10, 1):
        if all(a % unit == 0 for a in amounts):
            return unit
    return 1


def file_name(cycle: Cycle, district: District | None) -> str:
    area = slugify(district.name) if district else "citywide"
    return f"{cycle.community.slug}-{cycle.slug}-{area or 'district'}.pb"


def published_ballots(read: AreaBallots) -> Ballots:
    """The ballots as the file publishes them, under fresh ids that nothing stored can match.

    The order is drawn by the operating system's CSPRNG at each count, and the ids are the
    positions in that order (v1, v2, ... vN): neither follows a ballot's ref, its row, its voter
    or the order people voted, and the drawing is kept nowhere.
    The file is stored as published (with its sha256), so every download is the same file and
    anyone's count of it gives the stored result; counting the cycle again draws again (the same
    outcome in a new file)."""
    n = read.num_ballots
    # A uniformly drawn order: the ballots sorted by 64-bit keys from the CSPRNG (a tie, about one
    # chance in 40 million at a million ballots, keeps the stored order of those two ballots).
    keys = np.frombuffer(secrets.token_bytes(8 * n), dtype=np.uint64)
    order = np.argsort(keys, kind="stable")
    del keys
    lengths = np.diff(read.offsets)[order]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    # Entry k of published ballot j is entry k of stored ballot order[j].
    take = np.repeat(read.offsets[:-1][order] - offsets[:-1], lengths) + np.arange(
        offsets[-1], dtype=np.int64
    )
    return Ballots(
        voter_ids=tuple(f"v{i}" for i in range(1, n + 1)),
        offsets=offsets,
        project_index=read.places[take],
        points=read.points[take],
        weights=np.ones(n, dtype=np.int64),
    )


def election_text(cycle: Cycle, area: Area, read: AreaBallots | None = None) -> tuple[str, int]:
    """The anonymised ballot file of one area, and the count unit (cents per unit in the file)."""
    unit = count_unit([area.budget, *(int(p.cost or 0) for p in area.proposals)])
    if read is None:
        read = read_ballots(cycle, area.district, area.proposals)
    ballots = published_ballots(read)
    vote_type = VOTE_TYPE[BallotType(cycle.ballot_type)]
    meta = {
        "description": cycle.title,
        "unit": area.district.name if area.district else cycle.community.name,
        "country": "",
        "instance": cycle.slug,
        "currency": cycle.currency,
        "currency_unit_cents": str(unit),
        "rule": "equalshares/add1" if cycle.rule == Rule.MES else cycle.rule,
    }
    meta.update(_limits(cycle, area, unit))
    projects = tuple(
        Project(
            id=p.code,
            cost=int(p.cost or 0) // unit,
            name=p.title,
            extra=MappingProxyType({"category": p.category.name if p.category is not None else ""}),
        )
        for p in area.proposals
    )
    election = PBElection(
        projects=projects,
        budget=area.budget // unit,
        vote_type=vote_type,
        ballots=ballots,
        meta=MappingProxyType(meta),
    )
    return write_pb(election), unit


def _limits(cycle: Cycle, area: Area, unit: int) -> dict[str, str]:
    out: dict[str, str] = {"min_length": str(cycle.min_choices)}
    if cycle.max_choices is not None:
        out["max_length"] = str(cycle.max_choices)
    if cycle.ballot_type == BallotType.KNAPSACK:
        out["max_sum_cost"] = str(area.budget // unit)
    elif cycle.ballot_type == BallotType.APPROVAL and cycle.max_total_cost is not None:
        out["max_sum_cost"] = str(cycle.max_total_cost // unit)
    if cycle.ballot_type == BallotType.CUMULATIVE:
        out["max_sum_points"] = str(cycle.points)
    return out


def tie_break(cycle: Cycle) -> TieBreak:
    return TieBreak("equalshares", seed=cycle.tie_break_seed)


def tally_command(cycle: Cycle, district: District | None) -> str:
    name = file_name(cycle, district)
    seed = f"--tie-break equalshares --seed {cycle.tie_break_seed}"
    if cycle.rule == Rule.MES:
        return f"dualpower tally {name} --rule mes --completion add1 {seed} --json"
    return f"dualpower tally {name} --rule {cycle.rule} {seed} --json"


def run_rule(cycle: Cycle, election: PBElection) -> PBOutcome:
    if cycle.rule == Rule.MES:
        return equal_shares(election, completion="add1", tie_break=tie_break(cycle))
    if cycle.rule == Rule.PHRAGMEN:
        return phragmen(election, tie_break=tie_break(cycle))
    return greedy(election, tie_break=tie_break(cycle))


def _apply_category_limits(cycle: Cycle, area: Area, selected: list[str]) -> tuple[list[str], list[str]]:
    """Walk the rule's choices in order; pass over a project that would take its category past
    its limit (a share of this area's budget). The published file and command reproduce the rule's
    own outcome; the results page names every project passed over and why."""
    by_code = {p.code: p for p in area.proposals}
    limits = {
        c.pk: area.budget * c.max_share_percent // 100
        for c in cycle.categories.all()
        if c.max_share_percent is not None
    }
    spent: dict[int, int] = defaultdict(int)
    funded, passed = [], []
    for code in selected:
        p = by_code[code]
        if p.category_id in limits and spent[p.category_id] + int(p.cost or 0) > limits[p.category_id]:
            passed.append(code)
            continue
        if p.category_id is not None:
            spent[p.category_id] += int(p.cost or 0)
        funded.append(code)
    return funded, passed


def _votes(area: Area, read: AreaBallots) -> dict[str, dict[str, int]]:
    """Ballots naming each project, online (and booth) and on paper apart, and points given."""
    n = len(area.proposals)
    on_paper = np.repeat(read.paper, np.diff(read.offsets))
    paper = np.bincount(read.places[on_paper], minlength=n).tolist()
    online = np.bincount(read.places[~on_paper], minlength=n).tolist()
    points = np.zeros(n, dtype=np.int64)
    np.add.at(points, read.places, read.points)  # whole numbers, exactly
    return {
        p.code: {"online": online[i], "paper": paper[i], "points": int(points[i])}
        for i, p in enumerate(area.proposals)
    }


def count_area(cycle: Cycle, area: Area) -> Result:
    read = read_ballots(cycle, area.district, area.proposals)
    votes = _votes(area, read)
    text, unit = election_text(cycle, area, read)
    del read  # only the published file is counted; the ballots as read are not needed again
    election = parse_pb(text)  # count the published file itself
    settings: dict[str, Any] = {"unit_cents": unit}
    if election.ballots.num_voters == 0:
        selected: list[str] = []
        outcome_json: dict[str, Any] = {"settings": {}, "explanation": []}
        greedy_selected: list[str] = []
    else:
        outcome = run_rule(cycle, election)
        outcome_json = outcome.to_json()
        selected = list(outcome.selected)
        del outcome
        greedy_selected = list(greedy(election, tie_break=tie_break(cycle)).selected)
    num_ballots = election.ballots.num_voters
    del election
    funded, passed = _apply_category_limits(cycle, area, selected)
    costs = {p.code: int(p.cost or 0) for p in area.proposals}
    settings.update(outcome_json["settings"])
    return Result.objects.create(
        cycle=cycle,
        district=area.district,
        rule=cycle.rule,
        budget=area.budget,
        selected=funded,
        rule_selected=selected,
        passed_over=passed,
        greedy_selected=greedy_selected,
        votes=votes,
        total_cost=sum(costs[c] for c in funded),
        settings=settings,
        explanation=outcome_json["explanation"],
        command=tally_command(cycle, area.district),
        ballot_file=text,
        ballot_file_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        num_ballots=num_ballots,
    )


@transaction.atomic
def cycle_count(*, cycle: Cycle, by: Membership | None) -> list[Result]:
    """Count every area of a cycle whose vote has closed; a recount replaces the stored result."""
    locked = Cycle.objects.select_for_update(of=("self",)).select_related("community").get(pk=cycle.pk)
    Result.objects.filter(cycle=locked).delete()
    results = [count_area(locked, area) for area in areas(locked)]
    audit_record(
        community=locked.community,
        actor=by,
        action="budget.count",
        target=locked,
        summary=locked.title,
        data={
            "results": [
                {"district": r.district_id, "sha256": r.ballot_file_sha256, "selected": r.selected}
                for r in results
            ]
        },
    )
    return results
