"""The opinion-map engine against Polis' own groups on seven real conversations, and its speed on
50,000 participants × 1,000 statements at 10 % density (issue 20 target: under 5 s).

Run from the project's root (needs the shared folder, ../shared/polis):

    .venv/bin/python bench/bench_opinions.py [--out docs/benchmarks/opinions.md]

Agreement is the adjusted Rand index between our groups and Polis' ``group-id`` on the participants
Polis clustered (a participant we leave out counts as a group of its own). Three starting points:
cold (the votes only), with Polis' mapped participants and number of groups (Polis' ``in-conv`` and
k-smoother state), and one update from Polis' groups (``groups_before``: what Polis' next update
starts from). Times are wall clock in one process, best of ``REPEAT``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "core" / "opinions"))
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402
import scipy  # noqa: E402
from opinion_worlds import large  # noqa: E402

from dualpower.core.opinions import (  # noqa: E402
    KSmoother,
    OpinionMap,
    Votes,
    adjusted_rand_index,
    opinion_map,
    polis_groups,
    polis_map,
    read_folder,
)

POLIS = ROOT.parent / "shared" / "polis"
REPEAT = 3
ATTRIBUTION = (
    "Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed "
    "under CC BY 4.0 with Attribution to The Computational Democracy Project."
)
T = TypeVar("T")
# Statements we believe Polis had marked meta (``is_meta``, not in its export), found from the data:
# in brexit-consensus Polis mapped every participant with 2 votes or more and none with 1 (apart from
# one early voter), which the 2017 Polis does exactly when 5 statements are left out (it counted left-out
# statements as answered, 5 + 2 = 7 votes), and these five are the statements about the voter (how
# they voted, their class, their languages). Diagnostic only: the headline figure uses the export alone.
META = {"brexit-consensus": ("0", "1", "10", "11", "15")}


def timed(fn: Callable[[], T], repeat: int = REPEAT) -> tuple[float, T]:
    best, _, result = timed_cpu(fn, repeat)
    return best, result


def timed_cpu(fn: Callable[[], T], repeat: int = REPEAT) -> tuple[float, float, T]:
    """Best wall-clock and best CPU time (this process, all its threads) of ``repeat`` runs."""
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    assert result is not None
    return best, best_cpu, result


def ari(ours: OpinionMap, theirs: dict[str, int]) -> float:
    mine = ours.group_of
    return adjusted_rand_index([theirs[p] for p in theirs], [mine.get(p, -1) for p in theirs])


def conversations() -> list[str]:
    rows = []
    for folder in sorted(p for p in POLIS.iterdir() if p.is_dir()):
        votes = read_folder(folder)
        theirs = polis_groups(folder)
        k = len(set(theirs.values()))
        seconds, cold = timed(lambda v=votes: opinion_map(v))  # type: ignore[misc]
        replay_s, replayed = timed(lambda v=votes: polis_map(v), repeat=1)  # type: ignore[misc]
        state = opinion_map(votes, already=theirs)
        smoothed = with_k(votes, theirs, k)
        update = opinion_map(votes, groups_before=theirs)
        sizes = "/".join(str(len(g)) for g in update.groups)
        polis_sizes = "/".join(
            str(sum(1 for g in theirs.values() if g == x)) for x in sorted(set(theirs.values()))
        )
        rows.append(
            f"| {folder.name} | {len(votes.participant_ids):,} | {len(theirs):,} "
            f"| {len(votes.statement_ids):,} | {len(votes.vote):,} | {polis_sizes} "
            f"| **{ari(replayed, theirs):.3f}** | {len(replayed.groups)} | {replay_s:.1f} s "
            f"| {len(cold.groups)} "
            f"| {ari(cold, theirs):.3f} | {ari(state, theirs):.3f} | {ari(smoothed, theirs):.3f} "
            f"| {sizes} | {ari(update, theirs):.3f} | {seconds:.2f} s |"
        )
    return rows


def with_meta() -> list[str]:
    rows = []
    for name, meta in META.items():
        folder = POLIS / name
        theirs = polis_groups(folder)
        plain = polis_map(read_folder(folder))
        replayed = polis_map(read_folder(folder, meta=meta))
        mapped = {p for g in replayed.groups for p in g}
        rows.append(
            f"| {name} | {', '.join(meta)} | {ari(plain, theirs):.3f} | **{ari(replayed, theirs):.3f}** "
            f"| {len(set(theirs) - mapped)} | {len(mapped - set(theirs))} |"
        )
    return rows


def with_k(votes: Votes, theirs: dict[str, int], k: int) -> OpinionMap:
    """Cold groups, but with Polis' mapped set and its number of groups as the smoothed k: the
    previous map given carries only that state (no clusters to start from)."""
    first = opinion_map(votes, already=theirs)
    state = replace(
        first,
        k_smoother=KSmoother(last_k=k, last_k_count=1, smoothed_k=k),
        labels_by_k={},
        base_members=np.full(len(first.participant_ids), -1),
    )
    return opinion_map(votes, already=theirs, previous=state)


def speed() -> list[str]:
    rows = []
    for people, statements, density in ((10_000, 500, 0.1), (50_000, 1_000, 0.1)):
        votes = large(people=people, statements=statements, density=density)
        cold_s, cold_cpu, cold = timed_cpu(lambda v=votes: opinion_map(v))  # type: ignore[misc]
        # 1 % more votes arrive (new voters' first votes and changed votes): update from the last map
        extra = len(votes.vote) // 100
        rng = np.random.default_rng(2)
        more = replace(
            votes,
            participant=np.concatenate([votes.participant, rng.integers(0, people, extra)]),
            statement=np.concatenate([votes.statement, rng.integers(0, statements, extra)]),
            vote=np.concatenate([votes.vote, rng.choice([-1, 0, 1], extra)]),
        )
        warm_s, warm_cpu, _ = timed_cpu(lambda m=more, c=cold: opinion_map(m, previous=c))  # type: ignore[misc]
        rows.append(
            f"| {people:,} × {statements:,} at {density:.0%} | {len(votes.vote):,} | {cold_s:.2f} s "
            f"| {cold_cpu:.2f} s | {warm_s:.2f} s | {warm_cpu:.2f} s | {len(cold.groups)} "
            f"| {int(cold.in_conversation.sum()):,} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks" / "opinions.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    agreement = conversations()
    meta_rows = with_meta()
    timing = speed()
    load_after = os.getloadavg()[0]
    today = datetime.now(UTC).date().isoformat()
    lines = [
        "# Benchmarks: opinion maps (Polis' method, core/opinions)",
        "",
        "Command (from the project's root): `.venv/bin/python bench/bench_opinions.py`",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}. Measured {today}; load average "
        f"{load_before:.1f} at the start, {load_after:.1f} at the end (other work shared the cores).",
        "",
        "## Agreement with Polis' own groups (adjusted Rand index, on the participants Polis clustered)",
        "",
        "| Conversation | Participants | Clustered by Polis | Statements | Votes | Polis' groups "
        "| **ARI from the votes, Polis' updates replayed** | Our k, replayed | Time (replay) "
        "| Our k, cold | ARI cold | ARI, Polis' mapped set | ARI, Polis' mapped set and k "
        "| Our groups, one update from Polis' state | ARI, one update from Polis' state | Time (cold) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        *agreement,
        "",
        "Columns: *replayed* is `polis_map` (core/opinions/replay.py), from the votes alone "
        "(votes.csv with its timestamps, comments.csv; never `group-id`): Polis' update loop "
        "replayed, the votes in timestamp order cut into ten-minute batches, each update starting "
        "from the last (power iteration from the last components, base k-means from the last base "
        "clusters via `clean-start-clusters`, each k's groups from the last groups, `in-conv` only "
        "growing, k smoothed over four updates), the very first k-means from the first distinct "
        "points in arrival order (`init-clusters`), the Polis version of the last vote's date "
        "(`polis_era`), and a last update as Polis' export makes it (the stored state reloaded: "
        "groups restart from `init-clusters` over the base clusters). "
        "*cold* is `opinion_map`, one computation from the votes alone. *Polis' mapped set* adds "
        "the participants Polis had mapped (its `in-conv` set only grows from update to update, "
        "so it can hold people today's rule would leave out). *and k* also starts the smoothing "
        "of k at Polis' number of groups. *One update from Polis' state* starts from Polis' "
        "groups, as each Polis update starts from the last one (`groups_before`): this is what "
        "the engine's next update would make of Polis' map (the tests check it is at least 0.9, "
        "and 0.7 on affordable-housing).",
        "",
        "**The issue's target (0.9 on every conversation, from the votes) is not met: three of the "
        "seven fall short.** Polis' groups are the end of thousands of updates, each k-means a local "
        "optimum reached from the last; the real batches (what had arrived each time Polis' worker "
        "polled, every second or so), its random first power-iteration start, when moderation "
        "happened, when the worker restarted or recomputed a conversation, and which statements were "
        "marked meta are not in the export, and the path is sensitive to them (one global batch "
        "length, tried at 1 min, 10 min, 1 h, 6 h and 1 day, moves single conversations by up to "
        "0.7; ten minutes is the best of the five against Polis' groups, so these figures are tuned "
        "on this data through that one setting, and 5 or 20 minutes give 0.70 and 0.55 on "
        "vtaiwan.uberx; with 2-second batches, nearest to Polis' polling, 15-per-hour, bg2050, "
        "brexit, taxes and affordable-housing give 0.70, 1.00, 0.85, 0.89 and about 0). What each "
        "of the three lacks, from Polis' code of the time (compdemocracy/polis, math/) and the "
        "openData history (the exports were made on 2019-02-25 for 15-per-hour, brexit and "
        "vtaiwan.uberx, 2020-12-11 for the two scoop-hivemind ones, 2022-08-08 and 2024-10-09 for "
        "austria and bg2050):",
        "",
        "- brexit-consensus (0.77), last vote 2017-08-06: Polis mapped every participant with 2 "
        "votes or more and none with 1, apart from one voter of the first minutes (greedy top-15). "
        "No rule on the exported votes does that, but the Polis of that time does it exactly when "
        "five statements are left out: its `mod-out` set holds the moderated-out statements *and "
        "those marked meta* (conversation.clj `mod-update`: `(or is_meta (= mod -1))`), their "
        "columns are zeroed for the PCA, and until 2017-10-31 the zeroed columns counted as "
        "answered when deciding who is mapped (5 + 2 = 7 votes). The export does not say which "
        "statements were meta (comments.csv has only `moderated`). The five statements about the "
        "voter (0 'I voted to Leave', 1 'I voted to Remain', 10 and 11 'I consider myself working / "
        "middle class', 15 'I can speak a European language') fit; with them marked meta the replay "
        "maps all but one of Polis' participants and agrees with Polis' groups as the table below "
        "shows. That set "
        "was chosen by us from whom Polis mapped (that is, from where `group-id` is empty) and from "
        "the texts, so the figure supports the explanation; it is not a result from the export "
        "alone. `dualpower opinions FOLDER --meta 0,1,10,11,15` lets an organiser who knows their "
        "meta statements give them.",
        "- scoop-hivemind.affordable-housing (about 0), last vote 2017-07-09: the replay maps exactly "
        "Polis' 381 (everyone: 46 statements were moderated out, and the 2017 Polis counted them as "
        "answered), but its groups are not Polis' at any k (its own two-group split scores −0.09). "
        "Polis' small group (34 people, all of them with 19 to 108 votes) stands 2.2 standard "
        "deviations apart on the first principal component when missing votes are filled with the "
        "statement's mean, and at most 1.7 on any of the first six when they are filled with 0 as the "
        "Polis of July 2017 did: the exported groups were most likely computed by a Polis that filled "
        "with means (from 2017-10-21), i.e. in an update after the last vote, which only a moderation "
        "event or a recompute triggers, and neither is in the export. A replay with mean filling, the 2017 "
        "counting of moderated statements and no final reload gives two groups at 0.74; with the "
        "final reload as well, three groups at 0.18. Treating the early seed statements 0 and 2 (74 and 75 "
        "votes, moderated out at an unknown time) as not moderated changes nothing.",
        "- 15-per-hour-seattle (0.88), votes from 2014 to 2019: Polis mapped exactly whom today's rule "
        "maps (138 of 339), although 23 statements were moderated out and the Polis of 2017 would "
        "have mapped nearly everyone who voted while it ran (replaying each update with the Polis "
        "version of its own date maps 137 more people, ARI 0.38). So the conversation was recomputed "
        "from scratch after 2017-10-31 (a recompute starts from a new conversation, `in-conv` "
        "included: conv_man.clj `load-or-init`), and one computation from the votes (the *cold* "
        "column) gives 0.970; when that recompute happened, and how many updates followed it, is not "
        "in the export, so the replay cannot choose it without reading Polis' groups.",
        "",
        "### With what the export leaves out: meta statements (diagnostic)",
        "",
        "| Conversation | Statements marked meta | ARI replayed, export alone | **ARI replayed, with them** "
        "| Polis mapped, we not | We mapped, Polis not |",
        "|---|---|---|---|---|---|",
        *meta_rows,
        "",
        "Why cold differs on some conversations: Polis' groups are the end of a path of updates as "
        "votes arrived, each k-means starting from the last groups (`clean-start-clusters`), and k "
        "changing only after four updates in a row prefer another one. Where the data has one clear "
        "split (15-per-hour-seattle, austria-climate, scoop-hivemind.taxes) any start finds it; where "
        "several splits are nearly as good (bg2050: a few far-out voters; vtaiwan.uberx: where the "
        "boundary between the two groups runs) the path decides.",
        "",
        "## Speed (target: 50,000 × 1,000 at 10 % density under 5 s)",
        "",
        "| Conversation | Votes | Cold map (wall) | Cold map (CPU) | Update, +1 % votes (wall) "
        "| Update (CPU) | Groups | Mapped |",
        "|---|---|---|---|---|---|---|---|",
        *timing,
        "",
        "Made-up conversations (tests/core/opinions/opinion_worlds.py `large`, three camps, 15 % "
        "passes, one vote per person and statement). Wall clock is what a page would wait for on "
        "this machine at this load; CPU time is the work itself (numpy may use more than one thread, "
        "so it can exceed wall clock on a quiet machine). The update starts the PCA from the last "
        "components and k-means from the last clusters re-centred on their members; the vote matrix "
        "is rebuilt each time (sorting the votes is most of an update's time).",
        "",
        "## Data",
        "",
        "The seven conversations come from the Polis open data repository (compdemocracy/openData, "
        "snapshot 0bc2ce0f32c673f68da20b57bce15c457aa787b5), copied byte for byte into ../shared/polis. "
        + ATTRIBUTION,
        "",
    ]
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
