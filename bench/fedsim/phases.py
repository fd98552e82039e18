"""The two measures of bench/bench_federation.py, run from its parent process: the inbox (signed
activities POSTed to a running node, the rows counted after, the bare verification loop, the Fedify
peer) and delivery (one activity published, the Delivery table polled, the down third brought back)."""

from __future__ import annotations

import argparse
import json
import time
import urllib.request
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dualpower.federation import proofs, signatures
from fedsim.node import (
    FEDIFY,
    Db,
    activities_for,
    as_utc,
    free_port,
    get_json,
    group_cpu,
    load,
    post_all,
    process,
    run_child,
    signed,
    wait_for,
)

# ---------------------------------------------------------------------------------------------
# The inbox


def _follow(sim: str, i: int, community: str) -> dict[str, Any]:
    actor = f"{sim}/users/{i}"
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{actor}/activities/{uuid.uuid4()}",
        "type": "Follow",
        "actor": actor,
        "object": community,
    }


def _undo(follow: dict[str, Any]) -> dict[str, Any]:
    actor = follow["actor"]
    inner = {k: v for k, v in follow.items() if k != "@context"}
    return {**follow, "id": f"{actor}/activities/{uuid.uuid4()}", "type": "Undo", "object": inner}


def timed_posts(
    port: int, requests: list[tuple[str, bytes, dict[str, str]]], concurrency: int, pgid: int
) -> dict[str, Any]:
    """``post_all`` with the CPU time the server's processes spent meanwhile."""
    cpu = group_cpu(pgid)
    out = post_all(port, requests, concurrency)
    out["server_cpu"] = group_cpu(pgid) - cpu
    return out


def inbox_phase(
    args: argparse.Namespace, db: Db, site: str, sim: str, community: str, pem: str, pgid: int
) -> dict[str, Any]:
    inbox, port = f"{site}/ap/inbox", int(site.rsplit(":", 1)[1])
    follows = [_follow(sim, i, community) for i in range(args.actors)]
    first = [signed(inbox, f, f"{f['actor']}#main-key", pem) for f in follows]
    undos = [signed(inbox, _undo(f), f"{f['actor']}#main-key", pem) for f in follows]
    creates = [
        signed(inbox, activity, f"{actor}#main-key", pem)
        for actor, activity in activities_for(sim, community, community, args.activities, args.actors)
    ]
    other_key = proofs.rsa_private_pem()
    forged = [
        signed(inbox, activity, f"{actor}#main-key", other_key)
        for actor, activity in activities_for(sim, community, community, args.forged, args.actors)
    ]
    sim_host = sim.split("//", 1)[1]

    def followers() -> int:
        return int(
            db.one(
                "SELECT COUNT(*) FROM federation_follower f "
                "JOIN federation_remoteactor a ON a.id = f.actor_id WHERE a.host = ?",
                sim_host,
            )
        )

    out: dict[str, Any] = {"load_before": load()}
    out["follows"] = timed_posts(port, first, min(args.concurrency, args.actors), pgid)
    out["creates"] = timed_posts(port, creates, args.concurrency, pgid)
    out["load_after"] = load()
    out["replays"] = timed_posts(port, creates[: args.replays], args.concurrency, pgid)
    out["forged"] = timed_posts(port, forged, args.concurrency, pgid)
    followed = followers()
    # They stop following, so the delivery below goes to the bench's followers alone.
    out["undos"] = timed_posts(port, undos, min(args.concurrency, args.actors), pgid)
    out["rows"] = {
        "inbox_entries": db.one("SELECT COUNT(*) FROM federation_inboxentry"),
        "remote_objects": db.one("SELECT COUNT(*) FROM federation_remoteobject"),
        "followers": followed,
        "followers_after_undo": followers(),
    }
    # The ceiling: the signature check alone, on one core, over the very same requests.
    public = proofs.rsa_public_pem(pem)
    host = site.split("//", 1)[1]
    start, cpu = time.perf_counter(), time.process_time()
    for path, body, headers in creates:
        signatures.verify(
            method="POST", path=path, host=host, headers=headers, body=body, public_key_pem=public
        )
    out["ceiling"] = {
        "n": len(creates),
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
    }
    return out


def fedify_phase(
    args: argparse.Namespace, sim: str, pem: str, tmp: Path, env: dict[str, str]
) -> dict[str, Any] | None:
    """The same Create(Note)s at the shared inbox of the Fedify peer of the federation tests."""
    node = FEDIFY / "node_modules" / ".bin" / "node"
    if args.no_peer or not (node.exists() and (FEDIFY / "node_modules" / "@fedify" / "fedify").exists()):
        return None
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    peer_env = {**env, "PORT": str(port)}
    with process([str(node), "peer.mjs"], peer_env, tmp / "fedify.log", cwd=FEDIFY) as peer:
        wait_for("the Fedify peer", lambda: get_json(f"{origin}/control/state"), 60)
        target = f"{origin}/users/peer"
        warm = [
            signed(f"{origin}/inbox", a, f"{actor}#main-key", pem)
            for actor, a in activities_for(sim, target, target, args.actors, args.actors)
        ]
        creates = [
            signed(f"{origin}/inbox", a, f"{actor}#main-key", pem)
            for actor, a in activities_for(sim, target, target, args.activities, args.actors)
        ]
        out: dict[str, Any] = {"load_before": load()}
        out["warm"] = timed_posts(port, warm, min(args.concurrency, args.actors), peer.pid)
        out["creates"] = timed_posts(port, creates, args.concurrency, peer.pid)
        out["load_after"] = load()
        state = get_json(f"{origin}/control/state", timeout=60)
        out["received"] = len(state.get("received", []))
        out["errors"] = len(state.get("errors", []))
        version = json.loads((FEDIFY / "node_modules" / "@fedify" / "fedify" / "package.json").read_text())
        out["version"] = version.get("version", "?")
    return out


# ---------------------------------------------------------------------------------------------
# Delivery


def delivery_counts(db: Db, pk: int) -> dict[str, int]:
    rows = db.rows("SELECT state, COUNT(*) FROM federation_delivery WHERE activity_id = ? GROUP BY state", pk)
    return {str(state): int(n) for state, n in rows}


def queued(db: Db) -> int:
    """Delivery jobs not finished yet (queued or running)."""
    return int(
        db.one(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
            "WHERE status IN ('READY', 'RUNNING') AND task_path LIKE '%federation.tasks.%'"
        )
    )


def down_snapshot(db: Db, pk: int, modes: dict[int, str]) -> dict[str, Any]:
    """What became of the deliveries to the down ports, and of their hosts' breakers."""
    now = datetime.now(UTC)
    by_mode: dict[str, dict[str, Any]] = {}
    rows = db.rows(
        "SELECT host, state, attempts, last_error, next_attempt_at FROM federation_delivery "
        "WHERE activity_id = ? AND state <> 'delivered'",
        pk,
    )
    for host, state, attempts, error, next_at in rows:
        mode = modes.get(int(str(host).rsplit(":", 1)[1]), "up")
        m = by_mode.setdefault(
            mode,
            {"deliveries": 0, "states": Counter(), "attempts": Counter(), "errors": Counter(), "next_s": []},
        )
        m["deliveries"] += 1
        m["states"][state] += 1
        m["attempts"][int(attempts)] += 1
        m["errors"][str(error).split(":")[0][:40] or "—"] += 1
        m["next_s"].append((as_utc(next_at) - now).total_seconds())
    for host, failures, retry_after in db.rows(
        "SELECT host, failures, retry_after FROM federation_remotehost"
    ):
        mode = modes.get(int(str(host).rsplit(":", 1)[1]), "up")
        m = by_mode.setdefault(
            mode,
            {"deliveries": 0, "states": Counter(), "attempts": Counter(), "errors": Counter(), "next_s": []},
        )
        m.setdefault("hosts", []).append(
            {
                "failures": int(failures),
                "open_s": (as_utc(retry_after) - now).total_seconds() if retry_after is not None else None,
            }
        )
    for m in by_mode.values():
        m["next_s"] = [min(m["next_s"]), max(m["next_s"])] if m["next_s"] else []
        for key in ("states", "attempts", "errors"):
            m[key] = dict(m[key])
    return by_mode


def delivery_phase(
    args: argparse.Namespace, db: Db, env: dict[str, str], sim: str, modes: dict[int, str], pgid: int
) -> dict[str, Any]:
    down_hosts = [f"127.0.0.1:{p}" for p, mode in modes.items() if mode != "up"]
    # The node's Accepts to the posters' Follows go first, so the queue is empty when timing starts.
    wait_for("the Accepts to be delivered", lambda: queued(db) == 0, 120)
    out: dict[str, Any] = {"load_before": load()}
    cpu = group_cpu(pgid)
    published = run_child(env, "child_publish()")
    t0 = published["committed"]
    out["publish_s"] = published["committed"] - published["start"]
    out["enqueue_s"] = published["queued"] - published["committed"]
    pk = published["activity_pk"]
    total = int(db.one("SELECT COUNT(*) FROM federation_delivery WHERE activity_id = ?", pk))
    marks = ", ".join("?" for _ in down_hosts)
    unreachable = db.one(
        f"SELECT COUNT(*) FROM federation_delivery WHERE activity_id = ? AND host IN ({marks})",  # noqa: S608
        pk,
        *down_hosts,
    )
    reachable = total - int(unreachable)
    out["inboxes"], out["reachable"] = total, reachable
    timeline: list[tuple[float, int, int, int]] = []
    reachable_at = None
    while time.time() - t0 < args.first_pass_seconds:
        counts = delivery_counts(db, pk)
        now = time.time()
        timeline.append(
            (now - t0, counts.get("delivered", 0), counts.get("pending", 0), counts.get("dead", 0))
        )
        if reachable_at is None and counts.get("delivered", 0) >= reachable:
            reachable_at = now
        if reachable_at is not None and queued(db) == 0:
            break
        time.sleep(0.25)
    first_pass_at = time.time()
    out["worker_cpu"] = group_cpu(pgid) - cpu
    stats = get_json(f"{sim}/_stats", timeout=30)
    reachable_times = [t for times in stats["received"].values() for t in times]
    out["reachable_s"] = (reachable_at - t0) if reachable_at else None
    out["last_receipt_s"] = max(reachable_times) - t0 if reachable_times else None
    out["first_pass_s"] = first_pass_at - t0
    out["after_first_pass"] = delivery_counts(db, pk)
    out["down"] = down_snapshot(db, pk, modes)
    out["turned_away"] = stats["turned_away"]
    out["load_first_pass"] = load()
    if not args.no_recover:
        back_up = urllib.request.Request(f"{sim}/_recover", data=b"{}", method="POST")  # noqa: S310
        urllib.request.urlopen(back_up, timeout=30).read()  # noqa: S310 - the simulated fediverse
        back = time.time()
        all_at = None
        while time.time() - back < args.recover_seconds:
            counts = delivery_counts(db, pk)
            timeline.append(
                (
                    time.time() - t0,
                    counts.get("delivered", 0),
                    counts.get("pending", 0),
                    counts.get("dead", 0),
                )
            )
            if counts.get("delivered", 0) >= total:
                all_at = time.time()
                break
            time.sleep(0.5)
        out["recovered_s"] = (all_at - back) if all_at else None
        out["recovered_from_publish_s"] = (all_at - t0) if all_at else None
        out["final"] = delivery_counts(db, pk)
        time.sleep(1)  # a duplicate sent late would show in the counts below
        stats = get_json(f"{sim}/_stats", timeout=30)
    out["unique_inboxes"] = len(stats["received"])
    out["duplicates"] = sum(len(times) for times in stats["received"].values()) - len(stats["received"])
    out["bad_signatures"] = stats["bad_signatures"]
    out["timeline"] = timeline[:: max(1, len(timeline) // 40)]
    out["load_after"] = load()
    return out
