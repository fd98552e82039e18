"""Speed and fairness of the sortition engine against sortition-algorithms, on the same pools.

Run from the project's root (needs ``.venv/bin/pip install sortition-algorithms``, bench-only):

    .venv/bin/python bench/bench_sortition.py [--out docs/benchmarks/sortition.md]

Pools of 150, 500 and 2,000 volunteers (panels of 22, 75 and 200) come from
tests/core/sortition/sortition_pools.py with a fixed seed: four features (neighbourhood 8 values,
gender 3, age band 5, housing 4), volunteers biased towards older owners and women, quotas at the
population share ±20% (at least ±1). Our times are the best of ``REPEAT`` runs; the reference runs
once (it takes minutes on the largest pool). Wall clock, one process, HiGHS single-threaded.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "core" / "sortition"))
sys.path.insert(0, str(ROOT / "src"))

from sortition_peer import peer_maximin  # noqa: E402
from sortition_pools import make_pool, make_quotas  # noqa: E402

from dualpower.core.sortition import select_distribution  # noqa: E402

CASES = ((150, 22), (500, 75), (2000, 200))
REPEAT = 3
T = TypeVar("T")


def timed(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks" / "sortition.md")
    parser.add_argument(
        "--leximin-up-to", type=int, default=2000, help="time our leximin on pools up to this size"
    )
    args = parser.parse_args()
    rows = []
    for size, panel in CASES:
        pool = make_pool(size, seed=size)
        quotas = make_quotas(pool, panel)
        ours_t, ours = timed(lambda p=pool, q=quotas, k=panel: select_distribution(p, q, k), REPEAT)
        print(f"{size}/{panel}: ours maximin {ours_t:.2f} s, min {ours.min_probability:.9f}", flush=True)
        lex_t, lex = (None, None)
        if size <= args.leximin_up_to:
            lex_t, lex = timed(
                lambda p=pool, q=quotas, k=panel: select_distribution(p, q, k, objective="leximin"), 1
            )
            print(f"{size}/{panel}: ours leximin {lex_t:.2f} s, min {lex.min_probability:.9f}", flush=True)
        peer_t, peer = timed(lambda p=pool, q=quotas, k=panel: peer_maximin(p, q, k), 1)
        print(
            f"{size}/{panel}: sortition-algorithms {peer_t:.2f} s, min {peer.min_probability:.9f}", flush=True
        )
        rows.append((size, panel, len(ours.profiles), ours_t, ours, lex_t, lex, peer_t, peer))
    write(args.out, rows)


def write(out: Path, rows: list) -> None:
    import highspy
    import sortition_algorithms

    lines = [
        "# Benchmarks: sortition (maximin and leximin panels)",
        "",
        "Command (from the project's root): `.venv/bin/python bench/bench_sortition.py`",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, highspy "
        f"{highspy.Highs().version()}, sortition-algorithms "
        f"{getattr(sortition_algorithms, '__version__', '0.12.15')} (maximin, HiGHS backend). "
        f"Measured {datetime.now(UTC):%Y-%m-%d}. Our maximin: best of {REPEAT} runs; the others: one run.",
        "",
        "| Pool / panel | Profiles | dualpower maximin | sortition-algorithms maximin | Speed-up | "
        "Min probability, dualpower | Min probability, sortition-algorithms | Difference | "
        "dualpower leximin |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for size, panel, profiles, ours_t, ours, lex_t, lex, peer_t, peer in rows:
        lex_cell = (
            "not run (`--leximin-up-to`)"
            if lex_t is None
            else f"{lex_t:.2f} s (min {lex.min_probability:.9f})"
        )
        lines.append(
            f"| {size:,} / {panel} | {profiles} | {ours_t:.2f} s | {peer_t:.2f} s | {peer_t / ours_t:.1f}× | "
            f"{ours.min_probability:.9f} | {peer.min_probability:.9f} | "
            f"{ours.min_probability - peer.min_probability:+.1e} | {lex_cell} |"
        )
    lines += [
        "",
        "Notes:",
        "- Same pools, same quotas, same solver (HiGHS) for both. The difference is the approach:",
        "  sortition-algorithms solves an integer program with one 0/1 variable per volunteer for",
        "  every new panel; dualpower groups volunteers with identical feature values into profiles",
        "  (interchangeable under the quotas), so its integer program has one integer per profile.",
        "- sortition-algorithms stops its column generation when no panel improves the bound by more",
        "  than 5e-4; dualpower stops at 1e-9 and rounds the lottery to 10^12 tickets, so its minimum",
        "  is the LP optimum to about 1e-9. Differences of order 1e-12 are that rounding to whole",
        "  tickets, not a fairness gap (the test suite requires ours >= theirs - 1e-6).",
        "- sortition-algorithms' leximin needs Gurobi (commercial), so only our leximin is timed.",
        "",
    ]
    out.write_text("\n".join(lines))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
