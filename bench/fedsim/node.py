"""The node's side of bench/bench_federation.py: what runs in child processes on the instance
(Django set up: the community, its followers, publishing), and the parent's helpers (processes,
read-only queries on the node's database, signed POSTs on keep-alive connections)."""

from __future__ import annotations

import contextlib
import http.client
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
OUT = ROOT / "docs" / "benchmarks" / "federation.md"
DUALPOWER = [sys.executable, "-m", "dualpower.cli"]
FEDIFY = ROOT / "tests" / "federation" / "fedify"
PG_SCRATCH = "dualpower_bench_federation"
ACTIVITY_JSON = "application/activity+json"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
TICK_SECONDS = 5


# ---------------------------------------------------------------------------------------------
# In child processes (Django set up on the scratch instance)


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualpower.settings")
    django.setup()


def child_setup(inboxes: list[str]) -> dict[str, Any]:
    """The community and its followers, one RemoteActor each (inserted: they are not what is measured)."""
    _django()
    from django.db import transaction
    from django.utils import timezone

    from dualpower.community.services import community_create
    from dualpower.federation import fetch, ids, keys
    from dualpower.federation.models import Follower, RemoteActor

    community = community_create(name="Bench", slug="bench", with_group_templates=False)
    now = timezone.now()
    with transaction.atomic():
        actors = RemoteActor.objects.bulk_create(
            [
                RemoteActor(
                    uri=inbox.removesuffix("/inbox"),
                    host=fetch.host_of(inbox),
                    kind="Person",
                    username=f"follower{i}",
                    inbox=inbox,
                    key_id=inbox.removesuffix("/inbox") + "#main-key",
                    fetched_at=now,
                )
                for i, inbox in enumerate(inboxes)
            ],
            batch_size=500,
        )
        Follower.objects.bulk_create(
            [Follower(community=community, actor=a, follow_id=f"{a.uri}/follows/bench") for a in actors],
            batch_size=500,
        )
    keys.actor_private_pem(ids.actor_key_name(community))  # made now rather than by the first delivery
    return {"community": ids.community_actor_id(community)}


def child_publish() -> dict[str, Any]:
    """One public Create(Note) by the community, through ``activity_publish`` in a transaction."""
    _django()
    from django.db import transaction

    from dualpower.community.models import Community
    from dualpower.federation import activities, delivery, ids

    community = Community.objects.get(slug="bench")
    actor = ids.community_actor_id(community)
    addressing = activities.addressing(community=community, audience="public")
    note = {
        "id": f"{actor}/notes/{uuid.uuid4()}",
        "type": "Note",
        "attributedTo": actor,
        "content": "<p>The assembly meets on Thursday.</p>",
        **addressing,
    }
    activity = activities.activity_build(kind="Create", community=community, object=note, **addressing)
    marks: dict[str, float] = {}
    start = time.time()
    with transaction.atomic():
        transaction.on_commit(lambda: marks.setdefault("committed", time.time()))
        outbound = delivery.activity_publish(community=community, activity=activity, audience="public")
        transaction.on_commit(lambda: marks.setdefault("queued", time.time()))
    return {"activity_pk": outbound.pk, "start": start, **marks}


def run_child(env: dict[str, str], call: str) -> dict[str, Any]:
    code = f"import json, fedsim.node as b; print('@@' + json.dumps(b.{call}))"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=BENCH, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"{call[:60]} failed:\n{out.stderr[-4000:]}")
    return json.loads(next(line for line in out.stdout.splitlines() if line.startswith("@@"))[2:])


# ---------------------------------------------------------------------------------------------
# In the parent process: processes, the database, HTTP


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def get_json(url: str, timeout: float = 5) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
        return json.load(response)


def wait_for(what: str, ready: Any, seconds: float, every: float = 0.25) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        with contextlib.suppress(OSError, ValueError):
            found = ready()
            if found:
                return found
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up after {seconds:.0f} s waiting for {what}")
        time.sleep(every)


@contextlib.contextmanager
def process(argv: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> Any:
    """A child in a process group of its own, stopped (SIGTERM, then SIGKILL) on the way out."""
    with log.open("ab") as out:
        child = subprocess.Popen(
            argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, process_group=0
        )
    try:
        yield child
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()


class Db:
    """Read-only queries on the node's database (the file in DP_HOME, or the PostgreSQL database)."""

    def __init__(self, home: Path, url: str | None) -> None:
        self.url, self.home = url, home

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        if self.url:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                return list(conn.execute(sql.replace("?", "%s"), params or None).fetchall())
        import sqlite3

        lite = sqlite3.connect(f"file:{self.home / 'dualpower.sqlite3'}?mode=ro", uri=True, timeout=30)
        try:
            return lite.execute(sql, params).fetchall()
        finally:
            lite.close()

    def one(self, sql: str, *params: Any) -> Any:
        return self.rows(sql, *params)[0][0]


def as_utc(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def post_all(
    port: int, requests: list[tuple[str, bytes, dict[str, str]]], concurrency: int
) -> dict[str, Any]:
    """POST every request, ``concurrency`` threads with a keep-alive connection each."""
    results: list[tuple[int, str, float]] = [(0, "", 0.0)] * len(requests)
    counter = itertools.count()

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while (i := next(counter)) < len(requests):
            path, body, headers = requests[i]
            start = time.perf_counter()
            for attempt in (1, 2):  # a keep-alive connection the server closed: once more on a new one
                try:
                    conn.request("POST", path, body=body, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                    break
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                    if attempt == 2:
                        raise
            try:
                detail = str(json.loads(data).get("detail", ""))
            except ValueError:
                detail = data[:60].decode(errors="replace")
            results[i] = (response.status, detail, time.perf_counter() - start)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies = sorted(r[2] for r in results)
    return {
        "n": len(requests),
        "seconds": elapsed,
        "statuses": dict(Counter(f"{r[0]} {r[1]}" for r in results)),
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


def signed(url: str, activity: dict[str, Any], key_id: str, pem: str) -> tuple[str, bytes, dict[str, str]]:
    from urllib.parse import urlsplit

    from dualpower.federation.signatures import sign_cavage

    body = json.dumps(activity).encode()
    parts = urlsplit(url)
    headers = {"Host": parts.netloc, "Content-Type": ACTIVITY_JSON}
    headers.update(
        sign_cavage(method="POST", url=url, body=body, key_id=key_id, private_key_pem=pem, headers=headers)
    )
    return parts.path, body, headers


def activities_for(
    sim: str, target: str, followed: str, n: int, actors: int
) -> list[tuple[str, dict[str, Any]]]:
    """(actor, Create(Note)) × n: each a reply in a thread addressed to ``target``."""
    out = []
    for j in range(n):
        actor = f"{sim}/users/{j % actors}"
        note = {
            "id": f"{actor}/notes/{uuid.uuid4()}",
            "type": "Note",
            "attributedTo": actor,
            "content": f"<p>Reply {j}</p>",
            "to": [PUBLIC],
            "cc": [target],
            "inReplyTo": f"{followed}/notes/1",
        }
        activity = {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{actor}/activities/{uuid.uuid4()}",
            "type": "Create",
            "actor": actor,
            "object": note,
            "to": [PUBLIC],
            "cc": [target],
        }
        out.append((actor, activity))
    return out


def group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of a process group: the
    work itself, steadier than wall-clock time on a machine shared with others."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        if int(fields[2]) == pgid:  # pgrp; then utime and stime, in clock ticks
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")
