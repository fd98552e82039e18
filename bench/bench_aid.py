"""Mutual aid through the whole app: suggestions for one request among 100,000 open offers, and
"assign all" of 5,000 requests to 5,000 offers, reading the aid tables of a real database (issue 6
targets: under 50 ms and under 10 s). The engine alone is measured by bench_matching.py.

Run from the project's root (it makes a throw-away instance directory with its own SQLite file):

    .venv/bin/python bench/bench_aid.py [--out docs/benchmarks/aid.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SUGGEST_OFFERS = 100_000
SUGGEST_REQUESTS = 200
BATCH = 5_000
VOLUNTEERS = 2_000
SIDE = 6  # a SIDE × SIDE grid of neighbourhoods, 1.5 km apart
CATEGORIES = ("food", "transport", "childcare", "elder-care", "legal", "housing")
LANGUAGES = ("English", "Spanish", "Somali", "Arabic", "Polish")
SKILLS = ("driving", "cooking", "lifting", "first aid", "translation", "paperwork")


def setup_django(home: Path) -> None:
    os.environ["DP_HOME"] = str(home)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("DP_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualpower.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def world(name: str, n_offers: int, n_requests: int, seed: int) -> object:
    from dualpower.aid import services
    from dualpower.aid.models import AidOffer, AidRequest
    from dualpower.community.services import community_create
    from dualpower.members.models import Membership, User

    rng = random.Random(seed)
    community = community_create(name=name, slug=name.lower())
    hoods = [f"N{x}-{y}" for x in range(SIDE) for y in range(SIDE)]
    pairs = [[f"N{x}-{y}", f"N{x + 1}-{y}", 1.5] for x in range(SIDE - 1) for y in range(SIDE)]
    pairs += [[f"N{x}-{y}", f"N{x}-{y + 1}", 1.5] for x in range(SIDE) for y in range(SIDE - 1)]
    services.aid_settings_update(community=community, by=None, distances=pairs)
    users = User.objects.bulk_create(
        [User(email=f"v{i}@{name.lower()}.bench", password="!") for i in range(VOLUNTEERS)],  # noqa: S106 - unusable
        batch_size=1000,
    )
    people = Membership.objects.bulk_create(
        [Membership(user=u, community=community, display_name=f"V{i}") for i, u in enumerate(users)],
        batch_size=1000,
    )
    offers = []
    for i in range(n_offers):
        kind = rng.choices(["one-off", "recurring", "inexhaustible"], [50, 47, 3])[0]
        day, hour = rng.randrange(7), rng.randrange(6, 20)
        offers.append(
            AidOffer(
                community=community,
                volunteer=people[i % len(people)],
                categories=rng.sample(CATEGORIES, rng.randint(1, 2)),
                description="bench offer",
                kind=kind,
                capacity=None if kind == "inexhaustible" else rng.randint(1, 4),
                period="month" if kind == "recurring" else "",
                skills=rng.sample(SKILLS, rng.randint(0, 2)),
                languages=rng.sample(LANGUAGES, rng.randint(1, 2)),
                neighbourhood=rng.choice(hoods),
                availability=[[day, f"{hour:02d}:00", f"{hour + rng.randint(1, 4):02d}:00"]]
                if rng.random() < 0.8
                else [],
            )
        )
    AidOffer.objects.bulk_create(offers, batch_size=2000)
    requests = [
        AidRequest(
            community=community,
            code=f"B{i:05d}",
            category=rng.choice(CATEGORIES),
            description="bench request",
            urgency=rng.randint(0, 3),
            languages=rng.sample(LANGUAGES, rng.randint(0, 1)),
            neighbourhood=rng.choice(hoods),
        )
        for i in range(n_requests)
    ]
    AidRequest.objects.bulk_create(requests, batch_size=2000)
    return community


def bench_suggest() -> list[str]:
    from django.utils import timezone

    from dualpower.aid import engine
    from dualpower.aid.models import AidRequest

    start = time.perf_counter()
    community = world("Suggest", SUGGEST_OFFERS, SUGGEST_REQUESTS, seed=1)
    print(f"world of {SUGGEST_OFFERS:,} offers built in {time.perf_counter() - start:.1f} s", flush=True)
    requests = list(AidRequest.objects.filter(community=community).select_related("community"))
    start = time.perf_counter()
    engine.suggestions_for(requests[0])
    cold = time.perf_counter() - start
    times = []
    for request in requests:
        start = time.perf_counter()
        engine.suggestions_for(request)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(0.95 * len(times)) - 1]
    # The peer: the engine alone on the same prepared index, same requests, same moment and load.
    from dualpower.core import matching

    prepared = engine.offer_index(community, now=timezone.now())
    alone = []
    for request in requests:
        need = engine.need_of(request)
        start = time.perf_counter()
        matching.suggest(need, prepared.index, distances=prepared.distances, limit=5)
        alone.append((time.perf_counter() - start) * 1000)
    ratio = statistics.median(times) / statistics.median(alone)
    return [
        f"| {SUGGEST_OFFERS:,} offers, {SUGGEST_REQUESTS} requests, 5 suggestions | "
        f"{statistics.median(times):.1f} ms | {p95:.1f} ms | {times[-1]:.1f} ms | {cold:.2f} s | "
        f"{statistics.median(alone):.1f} ms ({ratio:.1f}×) |"
    ]


def bench_assign() -> list[str]:
    from dualpower.aid import engine

    community = world("Batch", BATCH, BATCH, seed=2)
    times, plan = [], None
    for _ in range(3):
        start = time.perf_counter()
        plan = engine.assign_all_open(community)
        times.append(time.perf_counter() - start)
    assert plan is not None
    tracemalloc.start()
    engine.assign_all_open(community)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    # The peer: the engine alone on the same needs and offers, at the same moment and load.
    from django.utils import timezone

    from dualpower.aid.models import AidRequest
    from dualpower.core import matching

    now = timezone.now()
    needs = [engine.need_of(r) for r in AidRequest.objects.filter(community=community)]
    pool = engine.available_offers(community, now=now)
    dist = engine.distances_for(
        community, {o.neighbourhood for o in pool.offers} | {n.neighbourhood for n in needs}
    )
    alone = []
    for _ in range(3):
        start = time.perf_counter()
        matching.assign_all(needs, pool.offers, distances=dist)
        alone.append(time.perf_counter() - start)
    ratio = statistics.median(times) / statistics.median(alone)
    return [
        f"| {BATCH:,} requests × {BATCH:,} offers | {min(times):.2f} s | {statistics.median(times):.2f} s | "
        f"{peak:,.0f} MiB | {len(plan.proposals):,} | {len(plan.unmatched):,} | "
        f"{statistics.median(alone):.2f} s ({ratio:.1f}×) |"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks" / "aid.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dp-bench-aid-") as home:
        setup_django(Path(home))
        suggest_rows = bench_suggest()
        print(suggest_rows[0], flush=True)
        assign_rows = bench_assign()
        print(assign_rows[0], flush=True)
    import numpy as np
    import scipy

    machine = (
        f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, SQLite"
    )
    text = "\n".join(
        [
            "# Benchmarks: mutual aid through the app (suggestions and assign all)",
            "",
            "Command (from the project's root): `.venv/bin/python bench/bench_aid.py`",
            f"Machine: {machine}. Measured {datetime.now(UTC):%Y-%m-%d}.",
            "",
            "The same engine as in the matching section, measured end to end: reading the aid tables",
            "(offers, their remaining capacity from the matches), ranking, explaining, and loading the",
            "chosen offers back as rows. Peer for the ratio: the engine alone (matching section).",
            "",
            "## Suggestions for one request (target: under 50 ms)",
            "",
            "| Case | Median | 95th percentile | Slowest | First call (index build) | Engine alone (ratio) |",
            "|---|---|---|---|---|---|",
            *suggest_rows,
            "",
            "## Assign all open requests (target: 5,000 × 5,000 under 10 s); best and median of 3",
            "",
            "| Case | Best | Median | Peak memory | Proposals | Left open | Engine alone (ratio) |",
            "|---|---|---|---|---|---|---|",
            *assign_rows,
            "",
            "Notes:",
            "- A random world with fixed seeds: a 6 × 6 grid of neighbourhoods 1.5 km apart, 6 categories,",
            "  2,000 volunteers, offers one-off (50%), recurring per month (47%) or inexhaustible (3%).",
            "- Suggestions: the app keeps one prepared offer index per community and process, rebuilt when",
            "  an offer, a match or the distances change (the services bump a generation counter; each call",
            "  reads it) and at least every 10 minutes; the first call pays the build. Each call also reads",
            "  the request's live matches and loads the 5 chosen offers.",
            "- The machine was shared with seven other builds running tests (load average 10 to 15 on 2",
            "  cores): absolute times are several times what an idle node gives (compare the engine alone",
            "  here with the matching section, measured idle); the ratio to the engine is the fair figure.",
            "- Assign all reads every open request and active offer, scores all pairs and solves the",
            "  minimum-cost assignment (scipy's linear_sum_assignment); nothing is written until a",
            "  dispatcher confirms. Peak memory is traced by tracemalloc in an extra run.",
            "",
        ]
    )
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
