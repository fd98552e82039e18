"""Speed of the ranked counts: Scottish STV on the largest Glasgow ward, IRV on a million ballots.

Run from the project's root:

    .venv/bin/python bench/bench_stv.py             # with pyrankvote as the peer, if installed
    .venv/bin/python bench/bench_stv.py --no-peer   # ours only

The peer is pyrankvote (PyPI, pure Python, float arithmetic, one object per ballot; its STV is
not the Scottish rule, so only the time is compared, on the same ballots). droop itself is not on
PyPI and is Python 2 only. Install the peer into .venv only for the bench:
``.venv/bin/pip install pyrankvote``. Each figure is the best of ``--repeat`` runs (wall clock).
Figures go to docs/benchmarks/stv.md.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from dualpower.core.choice.formats.blt import read_blt
from dualpower.core.choice.ranked.election import RankedElection
from dualpower.core.choice.ranked.irv import irv
from dualpower.core.choice.ranked.stv import meek_stv, scottish_stv, wigm

ROOT = Path(__file__).resolve().parent.parent
BLT = ROOT.parent / "shared" / "stv" / "blt"


def best_of(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def largest_glasgow_ward() -> Path:
    wards = sorted(BLT.glob("*-2007.blt"))
    return max(wards, key=lambda p: read_blt(p).num_ballots)


def pyrankvote_stv(election: RankedElection) -> tuple[float, list[str]]:
    import pyrankvote  # type: ignore[import-untyped]
    from pyrankvote import Ballot, Candidate  # type: ignore[import-untyped]

    people = [Candidate(name) for name in election.candidates]
    ballots = [
        Ballot(ranked_candidates=[people[c] for c in ranking])
        for ranking, weight in zip(election.rankings, election.weights, strict=True)
        for _ in range(weight)
    ]
    start = time.perf_counter()
    result = pyrankvote.single_transferable_vote(people, ballots, number_of_seats=election.seats)
    seconds = time.perf_counter() - start
    return seconds, [c.name for c in result.get_winners()]


def generated_irv_ballots(voters: int, candidates: int, seed: int) -> tuple[np.ndarray, int]:
    """Plackett-Luce rankings (Gumbel trick) truncated to 1-6 preferences; one row per voter."""
    rng = np.random.default_rng(seed)
    strength = np.log(rng.uniform(0.2, 1.0, size=candidates))
    noise = rng.gumbel(size=(voters, candidates))
    order = np.argsort(-(strength + noise), axis=1)[:, :6].astype(np.int64)
    lengths = rng.integers(1, 7, size=voters)
    order[np.arange(6)[None, :] >= lengths[:, None]] = -1
    return order, candidates


def aggregate(rows: np.ndarray, candidates: int) -> RankedElection:
    """Identical ballots become one ranking with a weight: encode each row as one integer."""
    base = candidates + 1
    keys = ((rows + 1) * base ** np.arange(rows.shape[1])[::-1]).sum(axis=1)
    unique, counts = np.unique(keys, return_counts=True)
    digits = (unique[:, None] // base ** np.arange(rows.shape[1])[::-1]) % base - 1
    lengths = (digits >= 0).sum(axis=1)
    rankings = tuple(tuple(row[:k]) for row, k in zip(digits.tolist(), lengths.tolist(), strict=True))
    names = tuple(f"Candidate {i + 1}" for i in range(candidates))
    return RankedElection(names, 1, rankings, tuple(int(c) for c in counts.tolist()), title="generated")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--voters", type=int, default=1_000_000)
    args = parser.parse_args()

    ward_path = largest_glasgow_ward()
    parse_s, ward = best_of(args.repeat, lambda: read_blt(ward_path))
    print(f"## Largest Glasgow ward: {ward_path.name}")
    print(f"{ward.num_ballots} ballots, {len(ward.rankings)} distinct, {len(ward.candidates)} candidates")
    print("| count | ours (s) | peer (s) | ratio |\n|---|---|---|---|")
    print(f"| parse BLT | {parse_s:.4f} | | |")
    scot_s, outcome = best_of(args.repeat, lambda: scottish_stv(ward))
    peer = ""
    if not args.no_peer:
        try:
            peer_s, peer_elected = min(pyrankvote_stv(ward) for _ in range(max(1, args.repeat // 2)))
            same = "same elected set" if set(peer_elected) == set(outcome.elected) else "different set"
            peer = f"{peer_s:.4f} | {peer_s / scot_s:.0f}x ({same}; pyrankvote STV)"
        except ImportError:
            peer = "pyrankvote not installed | "
    print(f"| Scottish STV ({len(outcome.rounds)} rounds) | {scot_s:.4f} | {peer or ' | '} |")
    for name, count in (("WIGM (rational)", wigm), ("Meek (rational)", meek_stv)):
        seconds, _ = best_of(max(1, args.repeat // 2), lambda count=count: count(ward))
        print(f"| {name} | {seconds:.4f} | | |")

    print(f"\n## IRV, {args.voters:,} generated ballots, 12 candidates")
    gen_s, (rows, candidates) = best_of(1, lambda: generated_irv_ballots(args.voters, 12, seed=2026))
    agg_s, election = best_of(args.repeat, lambda: aggregate(rows, candidates))
    irv_s, result = best_of(args.repeat, lambda: irv(election))
    print(f"generation {gen_s:.3f} s; {len(election.rankings):,} distinct rankings")
    print("| step | seconds |\n|---|---|")
    print(f"| aggregate identical ballots (numpy) | {agg_s:.3f} |")
    print(f"| IRV count ({len(result.rounds)} rounds) | {irv_s:.3f} |")
    print(f"| total | {agg_s + irv_s:.3f} |")


if __name__ == "__main__":
    main()
