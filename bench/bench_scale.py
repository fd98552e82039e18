"""Each main page as the community grows: 1,000, 10,000 and 50,000 members (issue 21).

Run from the project's root (SQLite; about 2 minutes with the defaults on the 2-core machine, most
of it building the 50,000-member community with its 1,000,000 transfers):
    .venv/bin/python bench/bench_scale.py [--sizes 1000 10000 50000] [--repeat 20]
PostgreSQL: set DATABASE_URL to a server (e.g. postgres://postgres@127.0.0.1:5432/postgres); a
scratch database is made there and dropped afterwards. Figures go to docs/benchmarks/scale.md
(then `bench/assemble_benchmarks_doc.py` → docs/benchmarks.md); `--no-write` only prints them.

One community grows in steps (tests/growth.py, the builder tests/test_page_growth.py uses too):
one of each main page's subject made through the services, then members with their rows in
proportion, by bulk inserts that respect the database's rules (balances move only by the transfer
trigger, the audit log is only appended to). At each size, signed in as the coordinator with
Django's test client in this process: each page once to warm up, once to count its SQL queries
and response bytes, then ``--repeat`` single requests, one at a time: the median time. Pages are
worked out whole on every request (fragments off: what a page costs right after a write).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "benchmarks" / "scale.md"
DP = ROOT / ".venv" / "bin" / "dualpower"
PG_SCRATCH = "dualpower_bench_scale"
SIZES = (1_000, 10_000, 50_000)
# A page "grows" when, from the smallest size to the largest, its queries rise at all, or its
# bytes or its time rise more than the logarithm of the size does (with room for the machine's
# noise on time: a page of a few milliseconds moves by a millisecond or two from run to run).
TIME_SLACK_MS = 3.0


def _setup(home: str, database: str | None) -> None:
    os.environ["DP_HOME"] = home
    os.environ.setdefault("DP_SECRET_KEY", "bench-only")
    # Each page worked out whole on every request (web/fragments.py off): what it costs as the
    # community grows. Kept, a visit asks for its session alone whatever the size.
    os.environ["DP_FRAGMENTS"] = "off"
    os.environ.pop("DP_DATABASE_URL", None)
    if database:
        os.environ["DATABASE_URL"] = database
    else:
        os.environ.pop("DATABASE_URL", None)
    out = subprocess.run([str(DP), "init"], env=os.environ, cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"dualpower init failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualpower.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # test client hosts, e-mail kept in memory


def _measure(client: Any, path: str, repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm up: templates, caches, lazy imports
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    count = len(queries.captured_queries)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return {
        "status": response.status_code,
        "queries": count,
        "bytes": len(response.content),
        "ms": statistics.median(times) * 1000,
    }


def run(
    sizes: list[int], repeat: int, database: str | None, only: list[str] | None, keep: str | None
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        home = keep or scratch
        Path(home).mkdir(parents=True, exist_ok=True)
        _setup(home, database)
        from django.db import connection
        from django.test import Client
        from tests.growth import grow, world_make

        from dualpower.members.models import Membership
        from dualpower.members.tests.factories import CommunityFactory, MembershipFactory

        community = CommunityFactory.create(name="Scale", slug="scale")
        coordinator = MembershipFactory.create(
            community=community, role=Membership.Role.COORDINATOR, display_name="Cato"
        ).user
        world = world_make(community, coordinator)
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
        results: dict[str, Any] = {"vendor": connection.vendor, "sizes": {}}
        load_before = os.getloadavg()[0]
        for size in sizes:
            started = time.monotonic()
            grow(world, size)
            if connection.vendor == "postgresql":
                # The planner's statistics, as autovacuum would have them on a server that grew
                # over months rather than in one bulk insert (else it plans for empty tables).
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            built = time.monotonic() - started
            print(f"== {size:,} members: built in {built:.0f} s", flush=True)
            figures = {}
            pages = [
                (label, path) for label, path in world.pages() if not only or any(o in label for o in only)
            ]
            for label, path in pages:
                figures[label] = {"path": path, **_measure(client, path, repeat)}
                f = figures[label]
                print(
                    f"  {label:<20} {f['status']} {f['queries']:>3} queries {f['bytes'] / 1024:>7.1f} KB "
                    f"{f['ms']:>7.1f} ms",
                    flush=True,
                )
            results["sizes"][size] = {"built_s": built, "pages": figures, "counts": _counts(world)}
        results["load"] = (load_before, os.getloadavg()[0])
        return results


def _counts(world: Any) -> dict[str, int]:
    from dualpower.aid.models import AidRequest
    from dualpower.assemblies.models import Proposal, Vote
    from dualpower.community.models import AuditEntry
    from dualpower.groups.models import WorkingGroup
    from dualpower.ledger.models import Transfer
    from dualpower.members.models import Membership

    c = world.community
    return {
        "members": Membership.objects.filter(community=c).count(),
        "proposals": Proposal.objects.filter(assembly__community=c).count(),
        "votes": Vote.objects.filter(proposal__assembly__community=c).count(),
        "aid requests": AidRequest.objects.filter(community=c).count(),
        "working groups": WorkingGroup.objects.filter(community=c).count(),
        "audit entries": AuditEntry.objects.filter(community=c).count(),
        "transfers": Transfer.objects.filter(community=c).count(),
    }


def grows(before: dict[str, Any], after: dict[str, Any], factor: float) -> list[str]:
    """What of a page grows worse than logarithmically from one size to the next: its queries rise
    at all, or its bytes or its time more than ``factor`` (the ratio of the sizes' logarithms)."""
    out = []
    if after["queries"] > before["queries"]:
        out.append("queries")
    if after["bytes"] > before["bytes"] * factor:
        out.append("bytes")
    if after["ms"] > before["ms"] * factor + TIME_SLACK_MS:
        out.append("time")
    return out


def _log_ratio(small: int, large: int) -> float:
    return math.log(large) / math.log(small) if small > 1 else float(large)


INTRO = [
    "# Pages as the community grows",
    "",
    "Each main page at each size, signed in as a coordinator, in one process with Django's test "
    "client, worked out whole on every request (`DP_FRAGMENTS=off`: nothing kept, as right after "
    "a write; kept, a visit asks for its session alone whatever the size): **ms** is the median "
    "of single requests one at a time (20 unless said), **q** the SQL "
    "queries of one request and **KB** its response body. The community grows in steps by bulk "
    "inserts (tests/growth.py): per 50 members a proposal; per 25 an aid request; per 20 a "
    "delegation (liquid delegation on); per 500 a working group; every member votes on the "
    "proposal measured, has an account, five audit entries and twenty transfers (one in fifty "
    "paid to the coordinator, whose statement is measured). **grows**: from the next-to-largest "
    "size to the largest (10,000 to 50,000 members, where every paginated list has filled its "
    "first page), the queries rise, or the bytes or the time rise more than the logarithm of the "
    f"size does (×1.17; time with {TIME_SLACK_MS:.0f} ms of slack for the machine's noise). "
    "Between smaller sizes a list still filling its first page grows in bytes (the assembly's "
    "open proposals, 25 a list; working groups, 25 a page; the API lists, 50 an answer). The "
    "machine's load moved while these ran (other work on its 2 cores): compare the queries and "
    "bytes across sizes, and the times only roughly.",
    "",
]


def section(results: dict[str, Any], repeat: int, database: str | None) -> list[str]:
    """The section of one database: its rows, then each page at each size."""
    sizes = sorted(results["sizes"])
    first = results["sizes"][sizes[0]]
    name = "PostgreSQL" if results["vendor"] == "postgresql" else "SQLite"
    command = ".venv/bin/python bench/bench_scale.py" + (f" --sizes {' '.join(map(str, sizes))}")
    if repeat != 20:
        command += f" --repeat {repeat}"
    if database:
        command = f"DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres {command}"
    lines = [
        f"## {name}",
        "",
        "| rows | " + " | ".join(f"{s:,}" for s in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for key in first["counts"]:
        lines.append(
            f"| {key} | " + " | ".join(f"{results['sizes'][s]['counts'][key]:,}" for s in sizes) + " |"
        )
    lines.append(
        "| built in (s, this step) | "
        + " | ".join(f"{results['sizes'][s]['built_s']:.0f}" for s in sizes)
        + " |"
    )
    head = " | ".join(f"{s:,}: ms / q / KB" for s in sizes)
    lines += [
        "",
        f"| page | {head} | grows |",
        "|---|" + "---:|" * len(sizes) + "---|",
    ]
    for label in first["pages"]:
        cells = []
        for s in sizes:
            f = results["sizes"][s]["pages"][label]
            bad = "" if f["status"] == 200 else f" ({f['status']})"
            cells.append(f"{f['ms']:.1f} / {f['queries']} / {f['bytes'] / 1024:.1f}{bad}")
        # The last step only: by then every paginated list has filled its first page.
        a, b = (sizes[-2], sizes[-1]) if len(sizes) > 1 else (sizes[0], sizes[0])
        worse = grows(
            results["sizes"][a]["pages"][label], results["sizes"][b]["pages"][label], _log_ratio(a, b)
        )
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {', '.join(worse) or 'no'} |")
    load = results.get("load", (0.0, 0.0))
    lines += [
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} CPUs "
        f"shared with other work (load average {load[0]:.1f} before, {load[1]:.1f} after), "
        f"Python {platform.python_version()}, {repeat} requests a page. Command: `{command}`.",
        "",
    ]
    return lines


def document(results: dict[str, Any], repeat: int, database: str | None, previous: str) -> str:
    """The whole file: this database's section, and the other database's from ``previous``."""
    mine = section(results, repeat, database)
    kept: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in previous.splitlines():
        if line.startswith("## "):
            current = kept.setdefault(line[3:].strip(), [])
        if current is not None:
            current.append(line)
    kept[mine[0][3:]] = mine
    body = [line for name in ("SQLite", "PostgreSQL") if name in kept for line in kept[name]]
    tail = [
        "Before the fixes of issue 21 that this bench found (first runs, SQLite, same machine): the "
        "assembly's page listed every voter in the delegation picker and every open proposal "
        "(14.5 KB → 87.4 KB and 115 → 372 ms from 200 to 2,000 members; now at most 30 names and "
        "25 proposals a list, found by a search); the dispatch board showed every request not yet "
        "closed (8.9 → 28.8 KB; now 25 a page); the working groups listed every group (9.8 → 22.2 "
        "→ 78.2 KB at 1,000 / 10,000 / 50,000 members; now 25 a page); the API's proposals and aid "
        "requests turned the whole list into answers before taking a page of it (167 → 498 → "
        "1,884 ms for aid requests, 192 → 327 → 778 ms for proposals; now only the page asked "
        "for); the meeting's quorum searched the whole roll of voters for those checked in (56 ms "
        "at 50,000; now each person checked in is looked up); on PostgreSQL a page of the aid list, "
        "the dispatch board or the API's aid requests joined every request to the people before "
        "sorting (20–45 ms at 50,000 members; now an index in the lists' order is walked to the "
        "page's end, 0.2 ms); the assembly, proposal and meeting pages counted the voters over "
        "every membership, and the proposal who has not voted yet, the members list its people "
        "(SQLite at 50,000 members: 16.0, 21.4 and 21.0 ms; PostgreSQL 29–38 ms, the members list "
        "13.0 ms; now the database keeps a count per community, role and status, and each "
        "proposal's turnout, by triggers: members and assemblies migrations 0007).",
        "",
        "Command: `.venv/bin/python bench/bench_scale.py` (SQLite; about 2 minutes, most of it "
        "building the 50,000-member community and its 1,000,000 transfers), "
        "`DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python "
        "bench/bench_scale.py` (PostgreSQL: a scratch database is made on that server); "
        "`--sizes 100 1000` for a quick run, `--only` for some pages.",
        "",
    ]
    body = [
        line
        for line in body
        if not line.startswith("Command: `.venv/bin/python bench/bench_scale.py` (SQLite")
    ]
    return "\n".join([*INTRO, *body, *tail]).replace("\n\n\n", "\n\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="members at each step")
    parser.add_argument("--repeat", type=int, default=20, help="single requests per page (median)")
    parser.add_argument("--only", nargs="*", help="only the pages whose label contains one of these")
    parser.add_argument("--keep", metavar="DIR", help="build the instance in DIR (a new one) and keep it")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks/scale.md")
    parser.add_argument("--render", metavar="JSON", help="only write the section of a run's raw figures")
    args = parser.parse_args()
    if args.render:
        kept = json.loads(Path(args.render).read_text())
        kept["sizes"] = {int(k): v for k, v in kept["sizes"].items()}
        url = "postgres" if kept["vendor"] == "postgresql" else None
        OUT.write_text(document(kept, args.repeat, url, OUT.read_text() if OUT.exists() else ""))
        return
    sizes = sorted(set(args.sizes))
    server = os.environ.get("DATABASE_URL") or os.environ.get("DP_DATABASE_URL")
    database = None
    if server:
        import psycopg

        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_SCRATCH}")
            conn.execute(f"CREATE DATABASE {PG_SCRATCH}")
        database = server.rsplit("/", 1)[0] + "/" + PG_SCRATCH
    try:
        results = run(sizes, args.repeat, database, args.only, args.keep)
    finally:
        if server:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_SCRATCH} WITH (FORCE)")
    raw = Path(tempfile.gettempdir()) / f"bench_scale_{results['vendor']}.json"
    raw.write_text(json.dumps(results, indent=1))
    print(f"raw figures: {raw}")
    text = document(results, args.repeat, database, OUT.read_text() if OUT.exists() else "")
    print(text)
    if not args.no_write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(text)


if __name__ == "__main__":
    main()
