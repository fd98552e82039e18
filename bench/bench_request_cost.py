"""What one request costs in CPU, in one process: each main page, the least a signed-in page costs
(the community's about page), the health check, a static file and Django's bare view.

Run from the project's root on an instance with the demo loaded (`dualpower init && dualpower demo`):
    DP_HOME=/path .venv/bin/python bench/bench_request_cost.py [--only about dashboard] [--seconds 1.5]
Two code trees taking turns (before and after a change; everything else the same), so the load
elsewhere on the machine hits both alike:
    DP_HOME=/path .venv/bin/python bench/bench_request_cost.py --compare /tmp/before/src [--rounds 3]

Each figure is CPU time per request (``time.process_time``: less moved by the machine's load than
the wall clock) over Django's test client, signed in as the demo coordinator: requests repeated
for ``--seconds``, the median of ``--runs`` such loops; the query count is of one request (after a
first that warms up). Nothing is written: the figures go into docs/benchmarks/pages.md by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"


def _pages() -> list[tuple[str, str]]:
    sys.path[:0] = [str(ROOT)]
    from tests.phone_pages import main_pages

    return [
        ("about (the common part)", "/c/demo/about/"),
        *main_pages(),
        ("health check", "/healthz"),
        ("static file", "/static/css/dualpower.css"),
    ]


def _loop(client: Any, path: str, seconds: float) -> float:
    """CPU ms per request of ``path`` over about ``seconds`` of CPU."""
    n = 0
    start = time.process_time()
    while (elapsed := time.process_time() - start) < seconds:
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        n += 1
    return elapsed / n * 1000


def measure(only: list[str] | None, seconds: float, runs: int) -> dict[str, Any]:
    """In this process: {label: {"queries", "status", "ms"}} and the bare view's ms."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualpower.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from dualpower.demo import COORDINATOR_EMAIL

    setup_test_environment()
    user = get_user_model().objects.get(email=COORDINATOR_EMAIL)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    results: dict[str, Any] = {}
    for label, path in _pages():
        if only and not any(o in label for o in only):
            continue
        client.get(path)  # warm up: templates, caches, lazy imports
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        count = len(queries.captured_queries)
        cpu = [_loop(client, path, seconds) for _ in range(runs)]
        results[label] = {"queries": count, "status": response.status_code, "ms": statistics.median(cpu)}
    return results


def bare_ms(seconds: float, runs: int) -> float:
    """Django's bare view of bench/bare/ (one view, one template, no database), measured alike."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bare.settings"
    sys.path[:0] = [str(BENCH)]
    import django

    django.setup()
    from django.test import Client

    client = Client()
    client.get("/")
    return statistics.median(_loop(client, "/", seconds) for _ in range(runs))


def _child(src: str | None, args: argparse.Namespace) -> dict[str, Any]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    argv = [sys.executable, __file__, "--json", "--seconds", str(args.seconds), "--runs", "1"]
    if args.only:
        argv += ["--only", *args.only]
    out = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(args: argparse.Namespace) -> None:
    """Before (the ``--compare`` tree) and after (``--after``, or this tree) in turns, ``--rounds``
    times each."""
    rounds: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    for i in range(args.rounds):
        sides = [("before", args.compare), ("after", args.after)]
        for side, src in sides if i % 2 == 0 else sides[::-1]:
            rounds[side].append(_child(src, args))
            print(
                f"  round {i + 1}: {side} done (load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True
            )
    print("| page | queries before → after | CPU ms per request before → after |")
    print("|---|---|---|")
    for label in rounds["after"][0]:
        b = [r[label] for r in rounds["before"] if label in r]
        a = [r[label] for r in rounds["after"]]
        before = statistics.median(x["ms"] for x in b) if b else float("nan")
        after = statistics.median(x["ms"] for x in a)
        q = f"{b[0]['queries']} → {a[0]['queries']}" if b else f"— → {a[0]['queries']}"
        print(f"| {label} | {q} | {before:.2f} → {after:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="only the pages whose label contains one of these")
    parser.add_argument("--seconds", type=float, default=1.5, help="CPU seconds per loop (default 1.5)")
    parser.add_argument("--runs", type=int, default=3, help="loops per page, median taken (default 3)")
    parser.add_argument("--compare", metavar="SRC", help="another tree's src/ to take turns with")
    parser.add_argument("--after", metavar="SRC", help="with --compare: the other tree (default: this one)")
    parser.add_argument("--rounds", type=int, default=3, help="turns of each side with --compare")
    parser.add_argument("--bare", action="store_true", help="measure bench/bare's view only")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        print(f"bare Django view: {bare_ms(args.seconds, args.runs):.2f} ms CPU per request")
    elif args.compare:
        compare(args)
    elif args.json:
        print(json.dumps(measure(args.only, args.seconds, args.runs)))
    else:
        print(f"load average {os.getloadavg()[0]:.1f}")
        for label, r in measure(args.only, args.seconds, args.runs).items():
            print(f"{label:<26} {r['status']}  {r['queries']:>3} queries  {r['ms']:7.2f} ms CPU")


if __name__ == "__main__":
    main()
