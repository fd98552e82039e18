"""Throughput of every main page under load, next to a bare Django view served the same way.

Run from the project's root (about 7 minutes per database with the defaults; needs `wrk`, Debian's
package: `apt-get install -y wrk`):
    .venv/bin/python bench/bench_pages.py [--postgres postgres://postgres@127.0.0.1:5432/postgres]
Figures go to docs/benchmarks/pages.md (then `bench/assemble_benchmarks_doc.py` → docs/benchmarks.md).
`--postgres URL --skip-sqlite` measures PostgreSQL alone and only prints (the page holds both).

For each database (SQLite, and PostgreSQL when a URL is given: a scratch database is made there):
- a scratch DP_HOME: `dualpower init`, `dualpower demo`;
- a child process (Django set up on it) picks each page's URL from the demo's rows, signs the demo
  coordinator in (a session, its cookie handed to wrk with -H), and counts each page's queries
  with Django's test client and ``CaptureQueriesContext`` (the second request; the first warms up);
- `dualpower serve --no-worker` (its own settings: gunicorn, DP_WORKERS × DP_THREADS, gthread) and
  the bare project in bench/bare/ (one view, one template, no database) under gunicorn with the
  very same arguments, both on loopback;
- for each page, PAIRS pairs of wrk runs at CONNECTIONS connections, the page then the bare view,
  one after the other: the ratio page / bare of each pair (load elsewhere on the machine hits both
  sides of a pair alike), its median and range, and the page's p50/p99 latency (`wrk --latency`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
OUT = ROOT / "docs" / "benchmarks" / "pages.md"
DP = ROOT / ".venv" / "bin" / "dualpower"
PG_SCRATCH = "dualpower_bench_pages"
TARGET = 0.25  # issue 21: every main page at a quarter of the bare rate or better


# ---------------------------------------------------------------------------------------------
# In the child process (Django set up on the scratch instance)


def _paths() -> list[tuple[str, str]]:
    """(label, path) of each main page of the demo community: the one list in tests/phone_pages.py."""
    sys.path[:0] = [str(ROOT)]
    from tests.phone_pages import main_pages

    return main_pages()


def prepare(port: int, bare_port: int) -> dict[str, Any]:
    """Runs in a child process: pages, the coordinator's session cookie, queries per page, and
    the gunicorn argv of `dualpower serve` and of the bare project."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualpower.settings")
    django.setup()
    from dataclasses import replace

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from dualpower.demo import COORDINATOR_EMAIL
    from dualpower.ops.serve import gunicorn_argv, options_from_env

    setup_test_environment()
    user = get_user_model().objects.get(email=COORDINATOR_EMAIL)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    pages = []
    for label, path in _paths():
        client.get(path)  # warm up: templates, caches, lazy imports
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        count = len(queries.captured_queries)  # now: the next request empties the log it reads
        times = []
        for _ in range(5):
            start = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - start)
        pages.append(
            {
                "label": label,
                "path": path,
                "status": response.status_code,
                "queries": count,
                "bytes": len(response.content),
                "ms": statistics.median(times) * 1000,
            }
        )
    options = replace(options_from_env(), port=port, worker=False)
    argv = gunicorn_argv(options)
    bare = [
        "bare.wsgi:application" if arg == "dualpower.wsgi:application" else arg
        for arg in gunicorn_argv(replace(options, port=bare_port))
    ]
    return {
        "pages": pages,
        "cookie": cookie,
        "serve_argv": argv,
        "bare_argv": bare,
        "workers": options.workers,
        "threads": options.threads,
        "vendor": connection.vendor,
    }


# ---------------------------------------------------------------------------------------------
# In the parent process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(cmd: list[str], env: dict[str, str]) -> str:
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}")
    return out.stdout


def wait_up(port: int, path: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server on port {port} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def server(argv: list[str], env: dict[str, str], cwd: Path, port: int, probe: str) -> Any:
    """A gunicorn in a process group of its own, stopped (SIGTERM, then SIGKILL) on the way out."""
    process = subprocess.Popen(
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, process_group=0
    )
    try:
        wait_up(port, probe)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def wrk(url: str, *, seconds: int, connections: int, cookie: str | None) -> dict[str, float]:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    done = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    return {
        "rate": rate,
        "requests": float(done.group(1)) if done else 0.0,
        "p50": p50,
        "p99": p99,
        "non2xx": float(bad.group(1)) if bad else 0.0,
        "timeouts": float(timeouts.group(1)) if timeouts else 0.0,
    }


def measure_database(name: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    started = time.monotonic()
    print(f"== {name}: init and demo", flush=True)
    run([str(DP), "init"], env)
    run([str(DP), "demo"], env)
    port, bare_port = free_port(), free_port()
    code = f"import json, bench_pages; print(json.dumps(bench_pages.prepare({port}, {bare_port})))"
    child_env = {**env, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(BENCH)])}
    info = json.loads(run([sys.executable, "-c", code], child_env).strip().splitlines()[-1])
    pages = [p for p in info["pages"] if not args.only or any(o in p["label"] for o in args.only)]
    for page in pages:
        if page["status"] != 200:
            raise SystemExit(f"{page['label']} ({page['path']}) answers {page['status']} to the coordinator")
    bare_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
    bare_env["DJANGO_SETTINGS_MODULE"] = "bare.settings"
    load_before = os.getloadavg()
    with (
        server(info["serve_argv"], env, ROOT, port, "/healthz"),
        server(info["bare_argv"], bare_env, BENCH, bare_port, "/"),
    ):
        base, bare_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{bare_port}/"
        # Both servers warmed up: every page once through each worker, the bare view likewise.
        for page in pages:
            wrk(base + page["path"], seconds=1, connections=4, cookie=info["cookie"])
        wrk(bare_url, seconds=1, connections=4, cookie=None)
        for page in pages:
            pairs = []
            for _ in range(args.pairs):
                cookie, conns = info["cookie"], args.connections
                ours = wrk(base + page["path"], seconds=args.seconds, connections=conns, cookie=cookie)
                bare = wrk(bare_url, seconds=args.bare_seconds, connections=conns, cookie=cookie)
                pairs.append({"page": ours, "bare": bare})
            page["pairs"] = pairs
            ratios = [p["page"]["rate"] / p["bare"]["rate"] for p in pairs]
            p99 = statistics.median(p["page"]["p99"] for p in pairs)
            print(
                f"  {page['label']:<22} {page['queries']:>3} queries  ratio {statistics.median(ratios):.3f} "
                f"({_range(ratios, '.3f')})  p99 {p99:.0f} ms",
                flush=True,
            )
    return {
        "pages": pages,
        "workers": info["workers"],
        "threads": info["threads"],
        "load": (load_before, os.getloadavg()),
        "minutes": (time.monotonic() - started) / 60,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a scratch database is created there")
    parser.add_argument("--seconds", type=int, default=4, help="length of each wrk run of a page (default 4)")
    parser.add_argument("--bare-seconds", type=int, default=2, help="each bare view's run (default 2)")
    parser.add_argument("--pairs", type=int, default=3, help="page/bare pairs per page (default 3)")
    parser.add_argument("--connections", type=int, default=50, help="wrk connections (default 50)")
    parser.add_argument("--only", nargs="*", help="only the pages whose label contains one of these")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks/pages.md")
    parser.add_argument(
        "--skip-sqlite", action="store_true", help="PostgreSQL only (with --postgres; implies --no-write)"
    )
    args = parser.parse_args()
    if args.skip_sqlite and not args.postgres:
        raise SystemExit("--skip-sqlite needs --postgres")
    if shutil.which("wrk") is None:
        raise SystemExit(
            "wrk is missing: `apt-get install -y wrk` (Debian's package; `sudo` when not root). "
            "`make bench` installs it when run as root."
        )
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DP_DATABASE_URL", "DP_HOME"}}
    base["DP_SECRET_KEY"] = "bench-only"  # noqa: S105 - a throwaway scratch instance
    results: dict[str, dict[str, Any]] = {}
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as home:
            results["SQLite"] = measure_database("SQLite", {**base, "DP_HOME": home}, args)
    if args.postgres:
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_SCRATCH}")
            conn.execute(f"CREATE DATABASE {PG_SCRATCH}")
        url = args.postgres.rsplit("/", 1)[0] + "/" + PG_SCRATCH
        try:
            with tempfile.TemporaryDirectory() as home:
                results["PostgreSQL"] = measure_database(
                    "PostgreSQL", {**base, "DP_HOME": home, "DATABASE_URL": url}, args
                )
        finally:
            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_SCRATCH} WITH (FORCE)")
    raw = Path(tempfile.gettempdir()) / "bench_pages.json"
    raw.write_text(json.dumps(results, indent=1))
    print(f"raw figures: {raw}")
    text = document(results, args)
    print(text)
    if not args.no_write and not args.skip_sqlite:  # the page holds both databases' figures
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(text)


def _range(values: list[float], fmt: str) -> str:
    return f"{format(min(values), fmt)}–{format(max(values), fmt)}"


def document(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    first = next(iter(results.values()))
    command = ".venv/bin/python bench/bench_pages.py" + (
        " --postgres postgres://postgres@127.0.0.1:5432/postgres" if args.postgres else ""
    )
    lines = [
        "# Pages under load: each main page against bare Django",
        "",
        f"Each main page of the demo community, signed in as the demo coordinator, under `wrk` at "
        f"{args.connections} connections against `dualpower serve --no-worker` with its own settings "
        f"(gunicorn, {first['workers']} workers × {first['threads']} threads, gthread), alternated with "
        "a bare Django 5.2 view (bench/bare/: one view, one template, no database) served by gunicorn "
        f"with the very same arguments. Each pair is one {args.seconds}-second wrk run of the page "
        f"followed by a {args.bare_seconds}-second one of the bare view; {args.pairs} pairs per page. "
        "**ratio** is page req/s ÷ bare "
        "req/s within a pair: the median of the pairs and their range. p50/p99 are the page's latency "
        "at that load (`wrk --latency`, median over the pairs; wrk leaves out the requests still "
        "waiting when a run ends, so when a run completed fewer requests than there are connections the "
        "p99 is marked ≥: the true tail is longer). **queries** is the number of SQL "
        "queries of one request (Django's test client and `CaptureQueriesContext`, the second request "
        "of the page) and **ms** the median time of 5 single requests, one at a time, in one process. "
        f"Issue 21's target: a ratio of at least {TARGET} and p99 under 150 ms on both databases.",
        "",
        "The machine is shared with other engineers' tests and benchmarks while these figures were "
        "taken: the absolute rates and latencies move with the load (load averages below); the ratios "
        "within one run, where both sides of a pair met the same load, are what counts.",
        "",
    ]
    for name, r in results.items():
        before, after = r["load"]
        lines += [
            f"## {name}",
            "",
            f"Load average (1/5/15 min) before the runs: {before[0]:.1f}/{before[1]:.1f}/{before[2]:.1f}, "
            f"after: {after[0]:.1f}/{after[1]:.1f}/{after[2]:.1f}; {r['minutes']:.1f} minutes in all.",
            "",
            "| page | path | queries | ms (1 request) | KB | page req/s | bare req/s | ratio (median, range) "
            "| p50 ms | p99 ms | meets ¼ |",
            "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---|",
        ]
        for page in r["pages"]:
            pairs = page["pairs"]
            ratios = [p["page"]["rate"] / p["bare"]["rate"] for p in pairs]
            rates = [p["page"]["rate"] for p in pairs]
            bares = [p["bare"]["rate"] for p in pairs]
            p50 = statistics.median(p["page"]["p50"] for p in pairs)
            p99 = statistics.median(p["page"]["p99"] for p in pairs)
            short = any(p["page"]["requests"] < args.connections for p in pairs)
            bad = sum(p["page"]["non2xx"] + p["page"]["timeouts"] for p in pairs)
            meets = "yes" if statistics.median(ratios) >= TARGET and p99 < 150 else "no"
            note = f" ({bad:.0f} non-2xx/timeouts)" if bad else ""
            lines.append(
                f"| {page['label']}{note} | `{page['path']}` | {page['queries']} | {page['ms']:.0f} "
                f"| {page['bytes'] / 1024:.0f} | {statistics.median(rates):,.1f} "
                f"| {statistics.median(bares):,.0f} "
                f"| {statistics.median(ratios):.3f} ({_range(ratios, '.3f')}) "
                f"| {p50:.0f} | {'≥ ' if short else ''}{p99:.0f} | {meets} |"
            )
        lines.append("")
    lines += [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}; "
        f"{_wrk_version()}, 2 wrk threads, loopback only.",
        "",
        f"Command: `{command}` (about 7 minutes per database; `--seconds`, `--pairs` and `--only` "
        "narrow it). Needs `wrk`: `apt-get install -y wrk`.",
        "",
    ]
    return "\n".join(lines)


def _wrk_version() -> str:
    out = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    first = (out.stdout or out.stderr).strip().splitlines()
    return first[0].split(" [")[0] if first else "wrk"


if __name__ == "__main__":
    main()
