"""Federation on one node: verified inbox activities per second, and one public activity delivered
to 1,000 inboxes on loopback with a third of them down (issue 15).

Run from the project's root (a few minutes, most of it waiting for the retries; 7 to 11 on the
shared 2-core machine under load):
    .venv/bin/python bench/bench_federation.py [--postgres postgres://postgres@127.0.0.1:5432/postgres]
Figures go to docs/benchmarks/federation.md (then `bench/assemble_benchmarks_doc.py` → docs/benchmarks.md).
``--cached-signing-key`` runs the node with ``signature_checks.rsa_private`` cached (a sitecustomize
on its PYTHONPATH: the fix proposed for the cost of signing) and ``--merge /tmp/bench_federation.json``
puts the figures of an earlier run beside it; ``--document-only`` rewrites the document from both.

A fresh DP_HOME (`dualpower init`; and a scratch PostgreSQL database with --postgres), the node's
site URL http://127.0.0.1:<port>, DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES=1 (loopback peers), and a
simulated fediverse in a process of its own (bench/fedsim: remote actors, and the followers'
inboxes on many ports, see there). A child process (Django set up on the instance) makes the
community "bench" and its followers: RemoteActor and Follower rows inserted directly, each follower
with an inbox of its own (no shared inbox: one delivery each).

Inbox: a real `dualpower serve --no-worker` (gunicorn, its own defaults: DP_WORKERS × DP_THREADS).
- each remote actor first follows the community (its first activity: the node fetches the actor
  and its key from the simulated server; timed apart);
- then ACTIVITIES distinct Create(Note)s addressed to the community, each signed with
  ``signatures.sign_cavage`` beforehand (signing is not timed), POSTed to the shared inbox by
  CONCURRENCY threads with a keep-alive connection each: **accepted/s** is the 202s "accepted"
  over the wall-clock time of the burst. Then the rows are counted (each activity took effect
  once: one InboxEntry and one RemoteObject each, one Follower per actor), a sample is replayed
  (acknowledged, no effect) and a few forged ones sent (another key under the actor's key id:
  refused after fetching the actor's key again, as a rotated key would be);
- the ceiling: ``signatures.verify`` over the same requests in a bare loop, in this process (one
  core; the node has DP_WORKERS processes);
- the peer: when tests/federation/fedify is installed (`make federation-node`), the Fedify server
  of the federation tests (one Node process) takes the same Create(Note)s, signed for it, at its
  shared inbox.

Delivery: `dualpower worker` (the job worker and clock `dualpower serve` runs beside gunicorn; its
clock every DP_TICK_SECONDS=5 here, so a retry is queued within 5 s of falling due rather than
within the minute) drains what publishing queued. A child process publishes one Create(Note) to the
community's INBOXES followers (``delivery.activity_publish``, audience public) on HOSTS ports: a
third of the ports answer 503 or refuse connections. The Delivery table is polled: the time until
every reachable inbox had it, then (once the worker has nothing queued) what became of the down
third (attempts, retry times, each host's breaker); then the down ports come back
(fedsim's /_recover) and the clock's retries are timed until every inbox has it, once.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1] / "src")]

from dualpower.federation import proofs  # noqa: E402
from fedsim.document import document  # noqa: E402
from fedsim.node import (  # noqa: E402
    BENCH,
    DUALPOWER,
    OUT,
    PG_SCRATCH,
    ROOT,
    TICK_SECONDS,
    Db,
    free_port,
    get_json,
    load,
    process,
    run_child,
    wait_for,
)
from fedsim.phases import delivery_phase, fedify_phase, inbox_phase  # noqa: E402

ACTIVITIES = 1_000
ACTORS = 10
CONCURRENCY = 16
INBOXES = 1_000
HOSTS = 30


# ---------------------------------------------------------------------------------------------
# One run


def measure(args: argparse.Namespace, base: dict[str, str], url: str | None, tmp: Path) -> dict[str, Any]:
    home = tmp / "home"
    home.mkdir()
    node_port, actors_port = free_port(), free_port()
    site, sim = f"http://127.0.0.1:{node_port}", f"http://127.0.0.1:{actors_port}"
    env = {
        **base,
        "DP_HOME": str(home),
        "DP_SITE_URL": site,
        "DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES": "1",
        "DP_TICK_SECONDS": str(TICK_SECONDS),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(BENCH)]),
    }
    if url:
        env["DATABASE_URL"] = url
    if args.cached_signing_key:
        # Every Python process of the node (gunicorn's, the worker) loads this first: the private key
        # parsed (and checked by OpenSSL) once per process instead of once per signature.
        patch = tmp / "patch"
        patch.mkdir()
        (patch / "sitecustomize.py").write_text(
            "import functools\n"
            "from dualpower.federation import signature_checks\n"
            "signature_checks.rsa_private = functools.lru_cache(maxsize=64)(signature_checks.rsa_private)\n"
        )
        env["PYTHONPATH"] = os.pathsep.join([str(patch), env["PYTHONPATH"]])
    started = time.monotonic()
    subprocess.run([*DUALPOWER, "init"], env=env, cwd=ROOT, capture_output=True, check=True)
    ports = [free_port() for _ in range(args.hosts)]
    down = args.hosts // 3
    modes = {p: ("503" if k % 2 == 0 else "closed") if k < down else "up" for k, p in enumerate(ports)}
    inboxes = [f"http://127.0.0.1:{ports[i % args.hosts]}/users/{i}/inbox" for i in range(args.inboxes)]
    community = run_child(env, f"child_setup({inboxes!r})")["community"]
    pem = proofs.rsa_private_pem()
    config = tmp / "fedsim.json"
    config.write_text(
        json.dumps(
            {
                "actors_port": actors_port,
                "inbox_ports": {str(p): m for p, m in modes.items()},
                "public_pem": proofs.rsa_public_pem(pem),
                "community_actor": community,
            }
        )
    )
    db = Db(home, url)
    results: dict[str, Any] = {
        "setup_s": time.monotonic() - started,
        "vendor": "PostgreSQL" if url else "SQLite",
    }
    with contextlib.ExitStack() as stack:
        stack.enter_context(
            process(
                [sys.executable, "-c", f"import fedsim.servers as s; s.main({str(config)!r})"],
                env,
                tmp / "fedsim.log",
                cwd=BENCH,
            )
        )
        wait_for("the simulated fediverse", lambda: get_json(f"{sim}/_stats"), 30)
        with contextlib.ExitStack() as node:
            server = node.enter_context(
                process(
                    [*DUALPOWER, "serve", "--no-worker", "--port", str(node_port)], env, tmp / "serve.log"
                )
            )
            wait_for("dualpower serve", lambda: get_json(f"{site}/healthz"), 180)
            results["workers"] = int(os.environ.get("DP_WORKERS", "2"))
            results["threads"] = int(os.environ.get("DP_THREADS", "4"))
            print(f"== inbox ({results['vendor']}), load {load()}", flush=True)
            results["inbox"] = inbox_phase(args, db, site, sim, community, pem, server.pid)
            print(json.dumps(results["inbox"]), flush=True)
            worker = node.enter_context(
                process([*DUALPOWER, "worker", "--no-reload"], env, tmp / "worker.log")
            )
            print(f"== delivery ({results['vendor']}), load {load()}", flush=True)
            results["delivery"] = delivery_phase(args, db, env, sim, modes, worker.pid)
            print(json.dumps(results["delivery"]), flush=True)
        if url is None and not args.cached_signing_key:  # the peer once, not once per database
            print(f"== Fedify peer, load {load()}", flush=True)
            results["fedify"] = fedify_phase(args, sim, pem, tmp, env)
            print(json.dumps(results["fedify"]), flush=True)
    results["minutes"] = (time.monotonic() - started) / 60
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a scratch database is created there")
    parser.add_argument(
        "--activities", type=int, default=ACTIVITIES, help=f"Create(Note)s POSTed (default {ACTIVITIES})"
    )
    parser.add_argument(
        "--actors", type=int, default=ACTORS, help=f"remote actors posting them (default {ACTORS})"
    )
    parser.add_argument(
        "--concurrency", type=int, default=CONCURRENCY, help=f"client connections (default {CONCURRENCY})"
    )
    parser.add_argument(
        "--replays", type=int, default=200, help="activities sent a second time (default 200)"
    )
    parser.add_argument(
        "--forged", type=int, default=50, help="activities signed with another key (default 50)"
    )
    parser.add_argument(
        "--inboxes", type=int, default=INBOXES, help=f"followers' inboxes (default {INBOXES})"
    )
    parser.add_argument(
        "--hosts", type=int, default=HOSTS, help=f"ports they are spread over (default {HOSTS})"
    )
    parser.add_argument("--first-pass-seconds", type=float, default=300)
    parser.add_argument("--recover-seconds", type=float, default=300)
    parser.add_argument("--no-recover", action="store_true", help="leave the down third down")
    parser.add_argument("--no-peer", action="store_true", help="skip the Fedify peer")
    parser.add_argument(
        "--cached-signing-key",
        action="store_true",
        help="run the node with signature_checks.rsa_private cached (the fix proposed for signing cost)",
    )
    parser.add_argument(
        "--merge", type=Path, help="also put in the document the figures of an earlier run (its raw JSON)"
    )
    parser.add_argument(
        "--document-only",
        action="store_true",
        help="measure nothing: write the document from --merge and the last --cached-signing-key run",
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave docs/benchmarks/federation.md"
    )
    args = parser.parse_args()
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DP_DATABASE_URL", "DP_HOME"}}
    base["DP_SECRET_KEY"] = "bench-only"  # noqa: S105 - a throwaway scratch instance
    base.pop("DP_TASKS_BACKEND", None)  # the node's own: jobs queued in the database
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    if args.document_only:
        merged = json.loads(args.merge.read_text()) if args.merge else {}
        cached = Path(tempfile.gettempdir()) / "bench_federation-cached.json"
        merged.update(json.loads(cached.read_text()) if cached.exists() else {})
        text = document(merged, args)
        print(text)
        if not args.no_write:
            OUT.write_text(text)
        return
    results: dict[str, Any] = {}
    suffix = ", signing key cached" if args.cached_signing_key else ""
    with tempfile.TemporaryDirectory(prefix="bench-federation-") as tmp:
        sqlite_dir = Path(tmp) / "sqlite"
        sqlite_dir.mkdir()
        results[f"SQLite{suffix}"] = measure(args, base, None, sqlite_dir)
        results[f"SQLite{suffix}"]["uptime"] = uptime
        if args.postgres:
            import psycopg

            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_SCRATCH}")
                conn.execute(f"CREATE DATABASE {PG_SCRATCH}")
            pg_dir = Path(tmp) / "postgres"
            pg_dir.mkdir()
            try:
                results[f"PostgreSQL{suffix}"] = measure(
                    args, base, args.postgres.rsplit("/", 1)[0] + "/" + PG_SCRATCH, pg_dir
                )
                results[f"PostgreSQL{suffix}"]["uptime"] = uptime
            finally:
                with psycopg.connect(args.postgres, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {PG_SCRATCH} WITH (FORCE)")
    raw = Path(tempfile.gettempdir()) / f"bench_federation{'-cached' if suffix else ''}.json"
    raw.write_text(json.dumps(results, indent=1))
    print(f"raw figures: {raw}")
    if args.merge:
        results = {**json.loads(args.merge.read_text()), **results}
    text = document(results, args)
    print(text)
    if not args.no_write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(text)


if __name__ == "__main__":
    main()
