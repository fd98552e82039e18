"""Compute pabutools' Method of Equal Shares outcomes on every shared .pb file, as JSON fixtures.

The MES tests compare ``equal_shares`` with these fixtures instead of running pabutools (which
needs minutes on the large files). Regenerate with:

    .venv/bin/python bench/make_pabutools_fixtures_mes.py [--max-sweep-seconds 600] [FILE.pb ...]
    .venv/bin/python bench/make_pabutools_fixtures_mes.py --endpoints   # after the above

For each file the fixture records:
- ``tie_break_order``: the project ids in the order of ``TieBreak().rank`` (the equalshares.net
  default, seed 0). pabutools is given a ``TieBreakingRule`` whose key is the position in this
  order, so both engines break every tie the same way; the tests replay it with
  ``TieBreak(kind="order", order=...)``.
- ``sat_class``: the pabutools satisfaction class (Cost_Sat for approval/choose-1,
  Additive_Cardinal_Sat for cumulative, Additive_Borda_Sat for ordinal).
- ``mes``: pabutools' ``method_of_equal_shares`` outcome (project ids in selection order).
- ``sweep``: pabutools' MES outcome at per-voter shares budget/voters + k for k = 0, 1, 2, ...
  (its ``method_of_equal_shares_scheme`` at that share), computed until the outcome no longer
  fits the budget or funds every supported project, or until the time limit; stored as
  ``[first k, last k, outcome]`` for each run of consecutive steps with the same outcome.
- ``add1``: the add1 completion read from that sweep (the outcome of the last step before the
  first one that does not fit), or null when the sweep hit the time limit.
- ``endpoint`` (``--endpoints``, only where ``add1`` is null): dualpower's add1 step s, and
  pabutools' outcomes at shares base + s and base + s + 1, so the tests can check with
  pabutools that the add1 outcome is right at s and that the next step does not fit. pabutools' own
  ``voter_budget_increment`` stops at the first exhaustive outcome, which issue 3 rules out, so
  the completion is rebuilt here from pabutools' per-share outcomes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import gmpy2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "core" / "choice"))
sys.path.insert(0, str(ROOT / "src"))

from mes_pabutools_adapter import pabutools_mes, read_election, to_pabutools  # noqa: E402

from dualpower.core.choice.pb.tiebreak import TieBreak  # noqa: E402

SHARED = ROOT.parent / "shared" / "pabulib"
OUT = ROOT / "tests" / "core" / "choice" / "fixtures" / "pabutools" / "mes"


def fixture_for(path: Path, max_sweep_seconds: float) -> dict[str, object]:
    election = read_election(path)
    rank = TieBreak().rank(election)
    order = [election.projects[i].id for i in sorted(range(len(rank)), key=lambda i: int(rank[i]))]
    instance, profile = to_pabutools(election)
    cost = {p.id: p.cost for p in election.projects}
    start = time.perf_counter()
    mes = pabutools_mes(instance, profile, election.vote_type, order)
    mes_seconds = time.perf_counter() - start
    supported = _supported(election)
    base = gmpy2.mpq(election.budget, int(election.ballots.weights.sum()))
    sweep: list[list[object]] = [[0, mes]]
    add1: list[str] | None = None
    start = time.perf_counter()
    k = 0
    outcome = mes
    while True:
        if sum(cost[p] for p in outcome) > election.budget:
            add1 = sweep[-2][1] if len(sweep) > 1 else []  # type: ignore[assignment]
            break
        if set(outcome) >= supported:
            add1 = outcome
            break
        if time.perf_counter() - start > max_sweep_seconds:
            break
        k += 1
        outcome = pabutools_mes(instance, profile, election.vote_type, order, share=base + k)
        sweep.append([k, outcome])
    return {
        "file": path.name,
        "sweep": _runs(sweep),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "vote_type": election.vote_type,
        "sat_class": {"cumulative": "Additive_Cardinal_Sat", "ordinal": "Additive_Borda_Sat"}.get(
            election.vote_type, "Cost_Sat"
        ),
        "tie_break_order": order,
        "mes": mes,
        "mes_seconds": round(mes_seconds, 3),
        "add1": add1,
        "add1_final_step": (
            sweep[-2][0] if add1 is not None and len(sweep) > 1 and add1 == sweep[-2][1] else k
        ),
    }


def _runs(sweep: list[list[object]]) -> list[list[object]]:
    out: list[list[object]] = []
    for k, outcome in sweep:
        if out and out[-1][2] == outcome and out[-1][1] == int(k) - 1:  # type: ignore[operator]
            out[-1][1] = k
        else:
            out.append([k, k, outcome])
    return out


def _supported(election: object) -> set[str]:
    import numpy as np

    ballots = election.ballots  # type: ignore[attr-defined]
    util = ballots.points.copy()
    if election.vote_type == "ordinal":  # type: ignore[attr-defined]
        lengths = np.repeat(np.diff(ballots.offsets), np.diff(ballots.offsets))
        util = lengths - ballots.points
    elif election.vote_type != "cumulative":  # type: ignore[attr-defined]
        util = np.ones_like(util)
    hit = np.unique(ballots.project_index[util > 0])
    return {election.projects[int(i)].id for i in hit}  # type: ignore[attr-defined]


def add_endpoint(path: Path) -> None:
    from dualpower.core.choice.pb.mes import equal_shares

    out = OUT / (path.stem + ".json")
    data = json.loads(out.read_text(encoding="utf-8"))
    if data["add1"] is not None:
        return
    election = read_election(path)
    order = data["tie_break_order"]
    ours = equal_shares(election, completion="add1", tie_break=TieBreak(kind="order", order=tuple(order)))
    step = int(ours.settings["add1_steps"])
    instance, profile = to_pabutools(election)
    base = gmpy2.mpq(election.budget, int(election.ballots.weights.sum()))
    at = pabutools_mes(instance, profile, election.vote_type, order, share=base + step)
    after = pabutools_mes(instance, profile, election.vote_type, order, share=base + step + 1)
    data["endpoint"] = {"step": step, "at_step": at, "next_step": after}
    out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"{path.name}: endpoint at step {step}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--max-sweep-seconds", type=float, default=600.0)
    parser.add_argument("--endpoints", action="store_true", help="add pabutools' add1 endpoint checks")
    args = parser.parse_args(argv)
    files = args.files or sorted(SHARED.glob("*.pb"), key=lambda p: p.stat().st_size)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.endpoints:
        for path in files:
            if (OUT / (path.stem + ".json")).exists():
                add_endpoint(path)
        return 0
    for path in files:
        start = time.perf_counter()
        data = fixture_for(path, args.max_sweep_seconds)
        (OUT / (path.stem + ".json")).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"{path.name}: {time.perf_counter() - start:.1f}s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
