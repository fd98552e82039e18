"""docs/benchmarks/federation.md from the figures of bench/bench_federation.py."""

from __future__ import annotations

import argparse
import os
import platform
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from fedsim.node import TICK_SECONDS


def _rate(n: float, seconds: float | None) -> str:
    return f"{n / seconds:,.0f}" if seconds else "—"


def _s(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f} s"


def _statuses(run: dict[str, Any]) -> str:
    return ", ".join(f"{n:,} × {status.strip()}" for status, n in sorted(run["statuses"].items()))


def _ok(run: dict[str, Any], detail: str) -> int:
    return sum(n for status, n in run["statuses"].items() if status.startswith(detail))


def document(results: dict[str, Any], args: argparse.Namespace) -> str:
    command = ".venv/bin/python bench/bench_federation.py" + (
        " --postgres postgres://postgres@127.0.0.1:5432/postgres" if args.postgres else ""
    )
    cached = any("cached" in name for name in results)
    if cached:
        command = (
            f"{command} --no-write` (the code as it is), then `{command} --cached-signing-key --merge "
            "/tmp/bench_federation.json"  # noqa: S108 - the path the first run printed
        )
    first = next(iter(results.values()))
    minutes = " and ".join(f"{r.get('minutes', 0):.1f}" for r in results.values())
    lines = [
        "# Federation: the inbox and delivery on one node",
        "",
        "Issue 15: verified inbox activities per second on one node, and the time to deliver one public "
        f"activity to {args.inboxes:,} inboxes on loopback, with the queue's behaviour when a third of "
        "them are down. Real processes on loopback: `dualpower serve --no-worker` (gunicorn, "
        f"{first.get('workers', 2)} workers × {first.get('threads', 4)} threads, its defaults) on a fresh "
        "instance, `dualpower worker` beside it for delivery, and a simulated fediverse in a process of "
        "its own (bench/fedsim/servers.py: remote actors with their keys, and the followers' inboxes, "
        "which check the HTTP signature of each delivery).",
        "",
        f"Command: `{command}` ({minutes} minutes, most of it waiting for the retries). "
        "Measured "
        f"{datetime.now(UTC):%Y-%m-%d} on {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; the machine was shared with other engineers' tests while these "
        "figures were taken (`uptime` at the start of each run is under its heading, the load "
        "averages next to the figures), so the wall-clock rates move with the load. **CPU ms** is "
        "the CPU time the "
        "server's processes (gunicorn's, the worker's, Fedify's) spent per activity, read from /proc "
        "around each run: the work itself, steadier than the wall clock; **per CPU-s** is its inverse, "
        "what one idle core would take.",
        "",
    ]
    if cached:
        lines += _findings(results)
    for name, r in results.items():
        lines += _inbox_section(name, r, args) + _delivery_section(name, r, args)
    return "\n".join(lines)


def _findings(results: dict[str, Any]) -> list[str]:
    plain = next(r for name, r in results.items() if "cached" not in name)
    fixed = next(r for name, r in results.items() if "cached" in name)
    p, f = plain["delivery"], fixed["delivery"]
    return [
        "## What the figures show",
        "",
        "- **Signing dominates delivery**: each signature (`signatures.sign_cavage`) parses the actor's "
        "PEM private key again (`signature_checks.rsa_private`), and OpenSSL 3 checks an RSA key "
        "when it loads it: about 34 ms of CPU, against 0.3 ms for the signature itself. A delivery job "
        f"costs {1000 * p['worker_cpu'] / p['inboxes']:.0f} ms of CPU, nearly all of it that. The second "
        "run (**signing key cached**) is the same code with `rsa_private` wrapped in "
        "`functools.lru_cache` in every process of the node (a `sitecustomize` the bench puts on "
        f"PYTHONPATH): {1000 * f['worker_cpu'] / f['inboxes']:.0f} ms per job, every reachable inbox "
        f"served in {f['reachable_s']:.0f} s instead of {p['reachable_s']:.0f} s. The same cost falls on "
        "every signed GET (fetching an actor or an object): the first activity of an unknown actor and "
        "each forged activity (which makes the node fetch the key again) cost "
        f"{_per(plain['inbox']['forged'])} ms of CPU with the code as it is, "
        f"{_per(fixed['inbox']['forged'])} ms with the key cached.",
        "- **The inbox** takes a new verified activity for about 7 ms of CPU (signature 0.1 ms of it; the "
        "rest is Django, the queries and SQLite's writes): about 140 per CPU-second (an idle 2-core "
        "machine would take roughly twice that a second; not measured here). Fedify's peer takes the "
        "same activities for about 6 ms of "
        "CPU each in one Node process with an in-memory store (nothing written to disk).",
        "- **Nothing lost**: with a third of the inboxes down, every delivery to them stays pending with "
        "a retry time; each down host's breaker opens after its 5th consecutive failure, after which "
        "its other deliveries wait without a request (the attempts column below). When "
        "the ports come back, the clock's retries deliver every one, once (no duplicates, every "
        'signature valid). A negative "next attempt in" is a delivery already due and held back by '
        "its host's open breaker.",
        "- **Queuing the jobs** happens in the publishing process after the commit, one INSERT per "
        f"delivery: {p['enqueue_s']:.1f} s for {p['inboxes']:,} here (in a web request, if a request "
        "publishes).",
        "",
    ]


def _per(run: dict[str, Any]) -> str:
    return f"{1000 * run['server_cpu'] / run['n']:.0f}"


def _row(label: str, run: dict[str, Any], accepted: int, load: str = "") -> str:
    cpu = run.get("server_cpu")
    per = f"{1000 * cpu / run['n']:.1f}" if cpu else "—"
    per_cpu = _rate(accepted, cpu)
    return (
        f"| {label} | {run['n']:,} | {run['seconds']:.2f} | {_rate(accepted, run['seconds'])} | {per} "
        f"| {per_cpu} | {run['p50_ms']:.0f} / {run['p99_ms']:.0f} | {_statuses(run)} | {load} |"
    )


def _inbox_section(name: str, r: dict[str, Any], args: argparse.Namespace) -> list[str]:
    i, rows = r["inbox"], r["inbox"]["rows"]
    c, ceiling = i["creates"], i["ceiling"]
    lines = [
        f"## Inbox, {name}",
        "",
        f"`uptime` at the start of this run: `{r.get('uptime', '?')}`; {r.get('minutes', 0):.1f} minutes "
        "in all.",
        "",
        f"{args.activities:,} distinct Create(Note) replies addressed to the community, from {args.actors} "
        "remote actors, each signed beforehand (draft-cavage, `signatures.sign_cavage`; signing is not "
        f"timed), POSTed to the shared inbox `/ap/inbox` by {args.concurrency} threads with a keep-alive "
        "connection each. Each is verified (signature; the key's owner is the actor; same origin), "
        "recorded once (InboxEntry) and stored (RemoteObject) before its 202.",
        "",
        "| what | n | s | per s | CPU ms | per CPU-s | p50 / p99 ms | answers | load (1/5/15) |",
        "|---|---:|---:|---:|---:|---:|---|---|---|",
        _row(
            "first activity of each actor (Follow: the node fetches the actor and its key)",
            i["follows"],
            _ok(i["follows"], "202"),
        ),
        _row(
            "**Create(Note): verified, new, stored**",
            c,
            _ok(c, "202 accepted"),
            f"{i['load_before']} → {i['load_after']}",
        ),
        _row("the same again (replays: acknowledged, no effect)", i["replays"], _ok(i["replays"], "202")),
        _row(
            "forged: another key under the actor's key id (its key fetched again, then refused)",
            i["forged"],
            _ok(i["forged"], "401"),
        ),
        _row("Undo(Follow) of each actor", i["undos"], _ok(i["undos"], "202")),
        f"| ceiling: `signatures.verify` alone in a bare loop, one process | {ceiling['n']:,} "
        f"| {ceiling['seconds']:.2f} | {_rate(ceiling['n'], ceiling['seconds'])} "
        f"| {1000 * ceiling['cpu'] / ceiling['n']:.2f} | {_rate(ceiling['n'], ceiling['cpu'])} | | | |",
    ]
    f = r.get("fedify")
    if f:
        fc = f["creates"]
        lines.append(
            _row(
                f"peer: Fedify {f['version']} (tests/federation/fedify/peer.mjs: one Node process, "
                f"in-memory store), the same activities at its shared inbox ({f['received']:,} reached its "
                f"listener, warm-up included; {f['errors']} errors)",
                fc,
                _ok(fc, "202"),
                f"{f['load_before']} → {f['load_after']}",
            )
        )
    expected = args.activities + 2 * args.actors
    lines += [
        "",
        f"Rows after: {rows['inbox_entries']:,} InboxEntry (expected {expected:,}: one per activity taken, "
        f"the Follows and Undos included), {rows['remote_objects']:,} RemoteObject (expected "
        f"{args.activities:,}), {rows['followers']} Follower after the Follows (expected {args.actors}) and "
        f"{rows['followers_after_undo']} after the Undos; the replays and the forged activities added "
        "nothing.",
        "",
    ]
    return lines


def _down_line(mode: str, d: dict[str, Any]) -> str:
    hosts = d.get("hosts", [])
    opened = [h for h in hosts if h["open_s"] is not None and h["open_s"] > 0]
    failures = Counter(h["failures"] for h in hosts)
    attempts = ", ".join(f"{n} × {a}" for a, n in sorted(d["attempts"].items(), key=lambda kv: int(kv[0])))
    errors = ", ".join(f"{n} × {e}" for e, n in sorted(d["errors"].items()))
    states = ", ".join(f"{n} {s}" for s, n in sorted(d["states"].items()))
    nxt = f"{d['next_s'][0]:.0f}–{d['next_s'][1]:.0f} s" if d["next_s"] else "—"
    open_for = (
        f"{min(h['open_s'] for h in opened):.0f}–{max(h['open_s'] for h in opened):.0f} s" if opened else "—"
    )
    label = {"503": "answering 503", "closed": "refusing connections"}.get(mode, mode)
    counts = ", ".join(f"{n} at {k} failures" for k, n in sorted(failures.items()))
    return (
        f"| {label} | {len(hosts)} | {d['deliveries']} | {states} | {attempts} | {errors} | {nxt} "
        f"| {len(opened)} of {len(hosts)} ({counts}) | {open_for} |"
    )


def _delivery_section(name: str, r: dict[str, Any], args: argparse.Namespace) -> list[str]:
    d = r["delivery"]
    down = args.hosts // 3
    jobs = d["inboxes"]
    lines = [
        f"## Delivery, {name}",
        "",
        "One public Create(Note) of the community, published with `delivery.activity_publish` (audience "
        f"public) to its {d['inboxes']:,} followers, one inbox each (no shared inbox), on {args.hosts} ports "
        f"of 127.0.0.1 (the node counts a host per host:port): {down - down // 2} ports answer 503 and "
        f"{down // 2} refuse connections, {d['inboxes'] - d['reachable']:,} inboxes in all. One "
        "`dualpower worker` (what `dualpower serve` runs beside gunicorn) with its clock ticking every "
        f"{TICK_SECONDS} s (DP_TICK_SECONDS; 60 by default, which adds up to a minute to each retry). "
        "Times from the commit.",
        "",
        "| step | figure |",
        "|---|---|",
        f"| publish: the activity and {jobs:,} Delivery rows, one transaction | {d['publish_s']:.2f} s |",
        f"| queue {jobs:,} delivery jobs (after the commit) | {d['enqueue_s']:.2f} s |",
        f"| **every reachable inbox ({d['reachable']:,}) has it** | **{_s(d['reachable_s'])}** "
        f"({_rate(d['reachable'], d['reachable_s'])} deliveries/s; the last arrived at "
        f"{_s(d['last_receipt_s'])}) |",
        f"| the worker's first pass over all {jobs:,} jobs done | {_s(d['first_pass_s'])} |",
        f"| the worker's CPU time for that pass | {d['worker_cpu']:.1f} s "
        f"({1000 * d['worker_cpu'] / jobs:.0f} ms per job) |",
        f"| states after the first pass | {_states(d['after_first_pass'])} |",
        f"| requests the 503 ports turned away | {d['turned_away']} |",
    ]
    if "recovered_s" in d:
        lines += [
            f"| the down ports back: every inbox has it (the clock's retries) after | {_s(d['recovered_s'])} "
            f"({_s(d['recovered_from_publish_s'])} from the publish) |",
            f"| final states | {_states(d['final'])} |",
        ]
    lines += [
        f"| inboxes that got it / duplicates / bad signatures | {d['unique_inboxes']:,} / {d['duplicates']} "
        f"/ {d['bad_signatures']} |",
        f"| load (1/5/15): before → first pass → end | {d['load_before']} → {d['load_first_pass']} → "
        f"{d['load_after']} |",
        "",
        "The down third after the first pass: every delivery still pending with its retry time, none "
        "dead. A host's breaker opens after 5 consecutive failures; the rest of its deliveries then "
        "wait for it without a request.",
        "",
        "| down ports | hosts | deliveries | states | attempts (n × attempts) | last error | next attempt in "
        "| breakers open | open for |",
        "|---|---:|---:|---|---|---|---|---|---|",
    ]
    lines += [_down_line(mode, d["down"][mode]) for mode in ("503", "closed") if mode in d["down"]]
    lines.append("")
    return lines


def _states(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {state}" for state, n in sorted(counts.items()))
