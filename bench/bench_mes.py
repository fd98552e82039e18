"""Time the Method of Equal Shares against pabutools, and its add1 completion.

Run from the repository root (pabutools' exact MES takes minutes on the large instances):

    .venv/bin/python bench/bench_mes.py             # with pabutools side by side
    .venv/bin/python bench/bench_mes.py --no-peer   # ours only, under a minute

Prints Markdown tables for docs/benchmarks/mes.md:
- one exact MES count (no completion) on Poland_Warszawa_2026, Poland_Wroclaw_2015_150_-_500
  and a generated approval instance of 100,000 voters x 200 projects: ours (best of 3,
  from the PBElection, grouping included) against pabutools' ``method_of_equal_shares``
  (one run, exact fractions, same utilities and tie-breaking; outcomes checked equal);
- peak memory of the 100,000 x 200 count (tracemalloc peak and the process's max RSS);
- MES with add1 on a generated 20,000 x 100 instance and on Poland_Swiecie_2023 counted in
  grosze (costs x 100: a per-voter share of 41,911 currency units, 24,299 add1 steps), with
  pabutools' time for one MES run times the number of steps stepping would need.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "core" / "choice"))

from dualpower.core.choice.formats.pb import read_pb  # noqa: E402
from dualpower.core.choice.pb.election import Ballots, PBElection, Project  # noqa: E402
from dualpower.core.choice.pb.mes import equal_shares  # noqa: E402
from dualpower.core.choice.pb.tiebreak import TieBreak  # noqa: E402

SHARED = ROOT.parent / "shared" / "pabulib"


def generated(n_voters: int, n_projects: int, *, seed: int = 1, share: int = 50) -> PBElection:
    """Approval ballots: project popularity ~ 0.3 * Beta(1, 4), costs 1,000-100,000."""
    rng = np.random.default_rng(seed)
    costs = rng.integers(1_000, 100_000, n_projects)
    popularity = rng.beta(1, 4, n_projects) * 0.3
    approves = rng.random((n_voters, n_projects)) < popularity
    _voter, project = np.nonzero(approves)
    offsets = np.zeros(n_voters + 1, dtype=np.int64)
    np.cumsum(approves.sum(axis=1), out=offsets[1:])
    ballots = Ballots(
        tuple(str(i) for i in range(n_voters)),
        offsets,
        project.astype(np.int32),
        np.ones(len(project), dtype=np.int64),
        np.ones(n_voters, dtype=np.int64),
    )
    projects = tuple(Project(str(i), int(c)) for i, c in enumerate(costs))
    return PBElection(projects, share * n_voters, "approval", ballots)


def in_grosze(election: PBElection) -> PBElection:
    projects = tuple(dataclasses.replace(p, cost=p.cost * 100) for p in election.projects)
    return PBElection(projects, election.budget * 100, election.vote_type, election.ballots, election.meta)


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def pabutools_seconds(election: PBElection, expected: tuple[str, ...]) -> float:
    from mes_pabutools_adapter import pabutools_mes, to_pabutools

    rank = TieBreak().rank(election)
    order = [election.projects[i].id for i in np.argsort(rank)]
    instance, profile = to_pabutools(election)
    started = time.perf_counter()
    outcome = pabutools_mes(instance, profile, election.vote_type, order)
    seconds = time.perf_counter() - started
    if tuple(outcome) != expected:
        raise SystemExit(f"pabutools disagrees: {outcome} != {list(expected)}")
    return seconds


def _peak_rss_mib() -> float:
    # VmHWM belongs to this process image; ru_maxrss would keep the parent's peak across
    # fork + exec on Linux (the parent holds pabutools' objects).
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_figure() -> int:
    election = generated(100_000, 200)
    before = _peak_rss_mib()
    tracemalloc.start()
    equal_shares(election, completion="none")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = _peak_rss_mib()
    print(
        f"Peak memory of the 100,000 x 200 count: {peak / 2**20:.0f} MiB allocated by the count "
        f"(tracemalloc); process max RSS {rss:.0f} MiB ({before:.0f} MiB before the count, "
        "with the generated instance loaded)."
    )
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-peer", action="store_true", help="skip pabutools")
    parser.add_argument("--memory", action="store_true", help="only the 100,000 x 200 memory figure")
    args = parser.parse_args(argv)
    if args.memory:
        return memory_figure()

    print("| instance | voters | projects | ours (exact MES) | pabutools (exact MES) | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    cases = [
        ("Poland_Warszawa_2026", lambda: read_pb(SHARED / "Poland_Warszawa_2026.pb")),
        ("Poland_Wroclaw_2015_150_-_500", lambda: read_pb(SHARED / "Poland_Wroclaw_2015_150_-_500.pb")),
        ("generated 100,000 x 200", lambda: generated(100_000, 200)),
    ]
    for label, load in cases:
        election = load()
        ours, outcome = best_of(3, lambda election=election: equal_shares(election, completion="none"))
        peer_cell, ratio_cell = "–", "–"
        if not args.no_peer:
            peer = pabutools_seconds(election, outcome.selected)
            peer_cell, ratio_cell = f"{peer:.1f} s", f"{peer / ours:,.0f}×"
        print(
            f"| {label} | {election.ballots.num_voters:,} | {len(election.projects)} | {ours:.3f} s "
            f"| {peer_cell} | {ratio_cell} |",
            flush=True,
        )

    # Memory in a fresh process, so pabutools' objects and the earlier counts do not count.
    memory = subprocess.run(
        [sys.executable, __file__, "--memory"], check=True, capture_output=True, text=True
    ).stdout.strip()
    print(f"\n{memory}\n")

    print(
        "| add1 instance | voters | per-voter share | add1 steps | ours (add1, exact) | MES runs | "
        "pabutools: one MES run x steps |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    add1_cases = [
        ("generated 20,000 x 100", generated(20_000, 100)),
        ("Poland_Swiecie_2023 in grosze", in_grosze(read_pb(SHARED / "Poland_Swiecie_2023.pb"))),
    ]
    for label, election in add1_cases:
        from dualpower.core.choice.pb.mes_add1 import add1_jumping
        from dualpower.core.choice.pb.mes_prepare import prepare

        ours, outcome = best_of(3, lambda election=election: equal_shares(election, completion="add1"))
        found = add1_jumping(prepare(election), election.budget, TieBreak().rank(election))
        steps = int(outcome.settings["add1_steps"])
        share = election.budget / election.ballots.num_voters
        peer_cell = "–"
        if not args.no_peer:
            one = pabutools_seconds(election, equal_shares(election, completion="none").selected)
            peer_cell = f"{one:.2f} s x {steps + 2:,} = {one * (steps + 2):,.0f} s"
        print(
            f"| {label} | {election.ballots.num_voters:,} | {share:,.0f} | {steps:,} | {ours:.2f} s "
            f"| {found.runs} | {peer_cell} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
