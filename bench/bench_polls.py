"""Speed of the polls engineer's counts: Schulze, the assembly polls, decision rules, `dualpower tally`.

Run from the project's root:  .venv/bin/python bench/bench_polls.py
Figures go to docs/benchmarks/polls.md. Each figure is the best of ``REPEAT`` runs (wall clock).
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

from dualpower.core.choice.decision import DecisionRule, decide
from dualpower.core.choice.formats.blt import read_blt
from dualpower.core.choice.polls import approval, borda, majority_judgment, plurality, score
from dualpower.core.choice.ranked.condorcet import schulze
from dualpower.core.choice.ranked.election import RankedElection

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REPEAT = 3


def best(fn: Callable[[], Any], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def random_ranked(voters: int, candidates: int, seed: int) -> RankedElection:
    rnd = random.Random(seed)
    names = tuple(f"c{k}" for k in range(candidates))
    counts: dict[tuple[int, ...], int] = {}
    for _ in range(voters):
        order = rnd.sample(range(candidates), rnd.randint(1, candidates))
        counts[tuple(order)] = counts.get(tuple(order), 0) + 1
    return RankedElection(names, 1, tuple(counts), tuple(counts.values()))


def main() -> None:
    rows: list[tuple[str, float]] = []
    largest = max((SHARED / "stv" / "blt").glob("*.blt"), key=lambda p: p.stat().st_size)
    glasgow = read_blt(largest)
    rows.append(
        (f"schulze on {largest.name} ({glasgow.num_ballots:,} ballots)", best(lambda: schulze(glasgow)))
    )
    big = random_ranked(1_000_000, 10, seed=1)
    rows.append(
        (f"schulze, 1,000,000 random ballots x 10 candidates ({len(big.rankings):,} distinct)",
         best(lambda: schulze(big)))
    )  # fmt: skip
    many = random_ranked(20_000, 40, seed=2)
    rows.append(("schulze, 20,000 random ballots x 40 candidates", best(lambda: schulze(many))))

    rnd = random.Random(3)
    options = [f"o{k}" for k in range(20)]
    n = 100_000
    approvals = [rnd.sample(options, rnd.randint(0, 6)) for _ in range(n)]
    rankings = [rnd.sample(options, rnd.randint(1, 20)) for _ in range(n)]
    scores = [{o: rnd.randint(0, 10) for o in rnd.sample(options, 8)} for _ in range(n)]
    grades = ("reject", "poor", "fair", "good", "excellent")
    judged = [{o: rnd.choice(grades) for o in options} for _ in range(n)]
    rows.append(("approval, 100,000 ballots x 20 options", best(lambda: approval(options, approvals))))
    rows.append(("plurality, 100,000 ballots", best(lambda: plurality(options, [r[0] for r in rankings]))))
    rows.append(("score (mean), 100,000 ballots", best(lambda: score(options, scores, aggregate="mean"))))
    rows.append(("borda, 100,000 ballots", best(lambda: borda(options, rankings))))
    rows.append(
        (
            "majority judgment, 100,000 ballots x 20 options",
            best(lambda: majority_judgment(options, judged, grades=grades)),
        )
    )
    rule = DecisionRule(
        "modified_consensus", fallback=DecisionRule.supermajority(Fraction(3, 4)), quorum=Fraction(1, 2)
    )
    rows.append(
        (
            "decide (modified consensus), 10,000 calls",
            best(lambda: [decide(rule, {"agree": 90, "block": 2}, 150) for _ in range(10_000)]),
        )
    )

    for argv in (
        [str(largest), "--rule", "schulze", "--json"],
        [str(SHARED / "pabulib" / "Poland_Wroclaw_2015_150_-_500.pb"), "--rule", "greedy-no-skip", "--json"],
    ):
        cmd = [sys.executable, "-m", "dualpower.core.choice.tally", *argv]
        label = "dualpower tally " + " ".join([Path(argv[0]).name, *argv[1:]]) + " (whole process)"
        rows.append(
            (label, best(lambda cmd=cmd: subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)))
        )

    width = max(len(label) for label, _ in rows)
    for label, seconds in rows:
        print(f"{label:<{width}}  {seconds * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
