"""The ballot rules a pabulib META section can state, and a checker for one ballot.

Keys and defaults follow the pabulib format description ("The .pb File Format", pabulib.org,
section META): ``min_length``/``max_length`` (projects on a ballot), ``min_sum_cost``/
``max_sum_cost`` (total cost of an approval ballot), ``min_points``/``max_points`` (points
given to one project), ``min_sum_points``/``max_sum_points`` (points on a ballot), and the
non-standard ``min_project_cost``/``max_project_cost`` (which projects may be on a ballot).
Amounts are in the election's smallest currency unit (see ``currency_scale``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation

from dualpower.core.choice.pb.election import PBElection
from dualpower.core.choice.pb.greedy import format_money

_MONEY_KEYS = ("min_sum_cost", "max_sum_cost", "min_project_cost", "max_project_cost")


@dataclass(frozen=True)
class BallotConstraints:
    """What a valid ballot must satisfy; ``None`` means the file sets no limit."""

    min_length: int | None = None
    max_length: int | None = None
    min_sum_cost: int | None = None
    max_sum_cost: int | None = None
    min_points: int | None = None
    max_points: int | None = None
    min_sum_points: int | None = None
    max_sum_points: int | None = None
    min_project_cost: int | None = None
    max_project_cost: int | None = None


def ballot_constraints(election: PBElection) -> BallotConstraints:
    """The constraints stated in the election's META (raise ValueError on a value that is no number)."""
    scale = int(election.meta.get("currency_scale", "1"))
    values: dict[str, int | None] = {}
    for f in fields(BallotConstraints):
        text = election.meta.get(f.name, "").strip()
        if not text:
            values[f.name] = None
            continue
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueError(f"META {f.name} is {text!r}, which is not a number.") from None
        if f.name in _MONEY_KEYS:
            number *= scale
        if number != number.to_integral_value():
            raise ValueError(f"META {f.name} is {text!r}, which is not a whole number of units.")
        values[f.name] = int(number)
    if election.vote_type == "choose-1":
        values["max_length"] = 1 if values["max_length"] is None else min(1, values["max_length"])
    if election.vote_type == "cumulative" and values["max_points"] is None:
        # pabulib: max_points defaults to max_sum_points.
        values["max_points"] = values["max_sum_points"]
    return BallotConstraints(**values)


def check_ballot(
    constraints: BallotConstraints,
    election: PBElection,
    project_ids: Sequence[str],
    points: Sequence[int] | None = None,
) -> list[str]:
    """Every way the ballot breaks the rules, as sentences for the voter; empty if it is valid.

    ``points`` is required for cumulative ballots (one value per project) and ignored otherwise;
    for ordinal ballots ``project_ids`` is the ranking, first choice first.
    """
    c = constraints
    problems: list[str] = []
    position = election.project_position()
    unknown = [pid for pid in project_ids if pid not in position]
    if unknown:
        problems.append(f"This ballot names project(s) that are not on the list: {', '.join(unknown)}.")
    repeated = sorted({pid for pid in project_ids if project_ids.count(pid) > 1})
    if repeated:
        problems.append(f"This ballot names project(s) more than once: {', '.join(repeated)}.")
    n = len(project_ids)
    if c.min_length is not None and n < c.min_length:
        problems.append(f"Choose at least {c.min_length} project(s); this ballot has {n}.")
    if c.max_length is not None and n > c.max_length:
        problems.append(f"Choose at most {c.max_length} project(s); this ballot has {n}.")

    scale = int(election.meta.get("currency_scale", "1"))

    def money(amount: int) -> str:
        return format_money(amount, scale)

    known = [position[pid] for pid in project_ids if pid in position]
    costs = [election.projects[i].cost for i in known]
    total = sum(costs)
    if c.min_sum_cost is not None and total < c.min_sum_cost:
        problems.append(
            f"The chosen projects must cost at least {money(c.min_sum_cost)} together; "
            f"they cost {money(total)}."
        )
    if c.max_sum_cost is not None and total > c.max_sum_cost:
        problems.append(
            f"The chosen projects may cost at most {money(c.max_sum_cost)} together; "
            f"they cost {money(total)}."
        )
    for i in known:
        p = election.projects[i]
        if c.min_project_cost is not None and p.cost < c.min_project_cost:
            problems.append(
                f"Project {p.id} costs {money(p.cost)}, "
                f"below the smallest allowed {money(c.min_project_cost)}."
            )
        if c.max_project_cost is not None and p.cost > c.max_project_cost:
            problems.append(
                f"Project {p.id} costs {money(p.cost)}, "
                f"above the largest allowed {money(c.max_project_cost)}."
            )

    if election.vote_type == "cumulative":
        problems.extend(_check_points(c, project_ids, points))
    return problems


def _check_points(
    c: BallotConstraints, project_ids: Sequence[str], points: Sequence[int] | None
) -> list[str]:
    if points is None or len(points) != len(project_ids):
        return ["Give a number of points to each chosen project."]
    problems: list[str] = []
    for pid, value in zip(project_ids, points, strict=True):
        if value < 0:
            problems.append(f"Project {pid} gets {value} points; points cannot be negative.")
        if c.min_points is not None and value < c.min_points:
            problems.append(
                f"Project {pid} gets {value} point(s); give each project at least {c.min_points}."
            )
        if c.max_points is not None and value > c.max_points:
            problems.append(f"Project {pid} gets {value} point(s); give each project at most {c.max_points}.")
    total = sum(points)
    if c.min_sum_points is not None and total < c.min_sum_points:
        problems.append(f"Give at least {c.min_sum_points} point(s) in all; this ballot gives {total}.")
    if c.max_sum_points is not None and total > c.max_sum_points:
        problems.append(f"Give at most {c.max_sum_points} point(s) in all; this ballot gives {total}.")
    return problems
