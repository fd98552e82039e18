"""Time .pb parsing, greedy and sequential Phragmén against pabutools on the largest shared files.

Run from the repository root (pabutools needs several minutes on Wrocław 2015):

    .venv/bin/python bench/bench_pb_formats.py            # the three largest files
    .venv/bin/python bench/bench_pb_formats.py --no-peer  # ours only, a few seconds

Prints a Markdown table: our parse and greedy times (best of several runs), pabutools'
parse_pabulib + greedy_utilitarian_welfare time (one run, same tie-breaking) and the ratio,
and our Phragmén time on approval files. Figures go to docs/benchmarks/pb-formats.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "core" / "choice"))

from dualpower.core.choice.formats.pb import read_pb  # noqa: E402
from dualpower.core.choice.pb.greedy import greedy  # noqa: E402
from dualpower.core.choice.pb.phragmen import phragmen  # noqa: E402

SHARED = ROOT.parent / "shared" / "pabulib"
LARGEST = ("Poland_Wroclaw_2015_150_-_500.pb", "Poland_Krakow_2024.pb", "Poland_Warszawa_2026.pb")


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-peer", action="store_true", help="skip pabutools")
    parser.add_argument("files", nargs="*", default=list(LARGEST))
    args = parser.parse_args(argv)

    print("| file | voters | our parse | our greedy | pabutools parse + greedy | ratio | our Phragmén |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in args.files:
        path = SHARED / name
        parse_s, election = best_of(3, lambda path=path: read_pb(path))
        greedy_s, outcome = best_of(5, lambda election=election: greedy(election))
        phragmen_cell = "–"
        if election.vote_type in ("approval", "choose-1"):
            phragmen_s, _ = best_of(3, lambda election=election: phragmen(election))
            phragmen_cell = f"{phragmen_s:.3f} s"
        peer_cell, ratio_cell = "–", "–"
        if not args.no_peer:
            from pabutools_pb_bridge import pabutools_greedy

            started = time.perf_counter()
            peer = pabutools_greedy(election, path=str(path))
            peer_s = time.perf_counter() - started
            assert peer == list(outcome.selected), f"{name}: outcomes differ"
            peer_cell = f"{peer_s:.1f} s"
            ratio_cell = f"{peer_s / (parse_s + greedy_s):,.0f}×"
        print(
            f"| {path.stem} | {election.ballots.num_voters:,} | {parse_s:.3f} s | {greedy_s * 1000:.1f} ms "
            f"| {peer_cell} | {ratio_cell} | {phragmen_cell} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
