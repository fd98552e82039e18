"""Closing a vote with 50,000 ballots: how long ``proposal_close`` takes and how many queries it makes.

Run from the project's root (a few minutes per database with the defaults):
    .venv/bin/python bench/bench_close.py [--postgres postgres://postgres@127.0.0.1:5432/postgres]
Figures go to docs/benchmarks/close.md (then `bench/assemble_benchmarks_doc.py` → docs/benchmarks.md).

For each database (SQLite as a node runs it: a file in WAL mode, IMMEDIATE transactions; and
PostgreSQL when a URL is given: a scratch database is made there), in a child process on a fresh,
migrated scratch instance:
- a community with VOTERS members in its general assembly: the coordinator and a few members made
  through the public services (``coordinator_appoint``, ``application_submit``/``application_admit``),
  the rest bulk-inserted (users and memberships);
- RUNS + 1 consent proposals, each opened through ``proposal_create``/``proposal_open_voting`` with
  open votes: a few cast through ``vote_cast``, every other member's vote bulk-inserted; and as many
  with secret ballots (the assembly's policy switched to secret ballots while they open): a few cast
  through ``vote_cast``, the rest of the ballots and participations bulk-inserted;
- each proposal is closed once by ``proposal_close`` (the one way a vote closes), timed, its
  queries counted (``connection.execute_wrapper``; an executemany counts once, and so does a
  PostgreSQL COPY, which goes past Django's wrappers and is counted where it is opened): each close is a
  fresh copy of the same vote. The first close of each kind warms up and is left out; the table
  gives the median of the others.
- then, when the code fans notifications out after the close (``notifications.tasks``'s fan-out),
  the fan-out of the last open close is run here as the worker would run it, step by step: its
  total time and its longest step (each step is one short transaction, holding the write lock).

``--compare DIR`` measures the code of another checkout first (DIR/src, e.g. the last commit's
`git archive HEAD src | tar -x -C DIR`) and puts its figures beside this checkout's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "benchmarks" / "close.md"
PG_SCRATCH = "dualpower_bench_close"
VOTERS = 50_000
RUNS = 3
BY_SERVICE = 3  # members admitted, and votes cast, through the public services
TARGET_SECONDS = 1.0  # issue 21: a vote with 50,000 ballots closes in under a second


# ---------------------------------------------------------------------------------------------
# In the child process (Django set up on the scratch instance)


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualpower.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _community(voters: int) -> tuple[Any, Any, list[Any]]:
    """The community, its general assembly and the members made through the services."""
    from dualpower.assemblies import services as assemblies
    from dualpower.community.services import community_create
    from dualpower.members.models import Membership, User
    from dualpower.members.services.accounts import account_confirmed_create
    from dualpower.members.services.applications import application_admit, application_submit
    from dualpower.members.services.roles import coordinator_appoint

    community = community_create(name="Bench", slug="bench", with_group_templates=False)
    coordinator = coordinator_appoint(
        user=account_confirmed_create(email="coordinator@bench.example", password=None),
        community=community,
        display_name="Coordinator",
    )
    members = [coordinator]
    for i in range(BY_SERVICE - 1):
        user = account_confirmed_create(email=f"member{i}@bench.example", password=None)
        application = application_submit(
            user=user, community=community, display_name=f"Member {i}", answers=[]
        )
        members.append(application_admit(application=application, by=coordinator))
    mass = voters - len(members)
    users = User.objects.bulk_create(
        [User(email=f"voter{i}@bench.example", password="!") for i in range(mass)],  # noqa: S106 - unusable
        batch_size=5_000,
    )
    Membership.objects.bulk_create(
        [Membership(user=u, community=community, display_name=f"Voter {i}") for i, u in enumerate(users)],
        batch_size=5_000,
    )
    assembly = assemblies.general_assembly_for(community)
    return community, assembly, members


def _proposal(assembly: Any, author: Any, *, secret: bool, n: int) -> Any:
    from dualpower.assemblies import services as assemblies

    policy = assembly.policy
    policy.secret_ballots = secret
    policy.save(update_fields=["secret_ballots"])
    proposal = assemblies.proposal_create(
        assembly=assembly, by=author, title=f"Proposal {n}", process="consent", draft=True
    )
    assemblies.proposal_start_discussion(proposal=proposal, by=author)
    proposal.refresh_from_db()
    if proposal.state == "discussion":
        assemblies.proposal_open_voting(proposal=proposal, by=author)
    proposal.refresh_from_db()
    assert proposal.state == "voting" and proposal.is_secret == secret, (proposal.state, proposal.is_secret)
    return proposal


def _position(i: int) -> str:
    """Most agree, some abstain; nobody objects, so a consent proposal passes."""
    return "abstain" if i % 10 == 0 else "agree"


def _open_votes(proposal: Any, members: list[Any], community: Any) -> None:
    """A few votes through ``vote_cast``; every other member's in one INSERT ... SELECT."""
    from django.db import connection

    from dualpower.assemblies import services as assemblies
    from dualpower.assemblies.models import Vote
    from dualpower.members.models import Membership

    for m in members:
        assemblies.vote_cast(proposal=proposal, by=m, position="agree")
    done = ", ".join(str(m.pk) for m in members)
    columns = "proposal_id, voter_id, position, choices, reason, updated_at"
    sql = (
        f"INSERT INTO {Vote._meta.db_table} ({columns}) "  # noqa: S608 - table names, not input
        f"SELECT %s, id, CASE WHEN id %% 10 = 0 THEN 'abstain' ELSE 'agree' END, '[]', '', %s "
        f"FROM {Membership._meta.db_table} WHERE community_id = %s AND id NOT IN ({done})"
    )
    with connection.cursor() as cursor:  # positions as _position gives them
        cursor.execute(sql, [proposal.pk, proposal.updated_at, community.pk])


def _secret_ballots(proposal: Any, members: list[Any], community: Any) -> None:
    """A few ballots through ``vote_cast``, the rest as the code stores a ballot cast while the vote
    is open: sealed with the vote's key (``SealedBallot``) where ballots are sealed, else ``Ballot``."""
    import dataclasses
    import hashlib
    import secrets as random_codes

    from dualpower.assemblies import models
    from dualpower.assemblies import services as assemblies
    from dualpower.members.models import Membership

    for m in members:
        assemblies.vote_cast(proposal=proposal, by=m, position="agree")
    rest = list(
        Membership.objects.filter(community=community)
        .exclude(pk__in=[m.pk for m in members])
        .values_list("pk", flat=True)
    )
    models.Participation.objects.bulk_create(
        [models.Participation(proposal=proposal, membership_id=pk) for pk in rest], batch_size=5_000
    )
    digests = [hashlib.sha256(random_codes.token_bytes(16)).hexdigest() for _pk in rest]
    if not hasattr(models, "SealedBallot"):  # the code before sealed ballots
        models.Ballot.objects.bulk_create(
            [
                models.Ballot(proposal=proposal, position=_position(pk), choices=[], receipt_hash=digest)
                for pk, digest in zip(rest, digests, strict=True)
            ],
            batch_size=5_000,
        )
        return
    from dualpower.assemblies import sealing
    from dualpower.assemblies.services.ballot_box import ballot_box_key

    box, key = ballot_box_key(proposal=proposal)
    fields = {f.name for f in dataclasses.fields(sealing.Opened)}

    def opened(pk: int, digest: str) -> Any:
        values: dict[str, Any] = {
            "position": _position(pk),
            "choices": [],
            "reason": "",
            "receipt_hash": digest,
        }
        return sealing.Opened(**{k: v for k, v in values.items() if k in fields})

    models.SealedBallot.objects.bulk_create(
        [
            models.SealedBallot(
                proposal=proposal,
                lookup=sealing.lookup(key, digest),
                sealed=sealing.seal(key, opened(pk, digest), pad=box.pad),
            )
            for pk, digest in zip(rest, digests, strict=True)
        ],
        batch_size=5_000,
    )


class _Queries:
    """Counts the statements Django sends (an executemany counts once), and each COPY opened on one
    of its cursors (psycopg's ``cursor.copy``, which Django's execute wrappers do not see)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.n += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> _Queries:
        from django.db.backends.utils import CursorWrapper

        def copy(wrapper: Any, *args: Any, **kwargs: Any) -> Any:
            self.n += 1
            return wrapper.cursor.copy(*args, **kwargs)

        CursorWrapper.copy = copy  # type: ignore[attr-defined]  # the bench's process only
        return self

    def __exit__(self, *exc: object) -> None:
        from django.db.backends.utils import CursorWrapper

        del CursorWrapper.copy  # type: ignore[attr-defined]


def measure(voters: int, runs: int) -> dict[str, Any]:
    _setup()
    from django.db import connection
    from django.utils import timezone

    from dualpower.assemblies import notify
    from dualpower.assemblies.services import proposal_close

    started = time.perf_counter()
    with notify.held():  # nobody is told that the bench's votes opened
        community, assembly, members = _community(voters)
        proposals: dict[str, list[Any]] = {"open": [], "secret": []}
        for n in range(runs + 1):
            p = _proposal(assembly, members[0], secret=False, n=n)
            _open_votes(p, members, community)
            proposals["open"].append(p)
        for n in range(runs + 1):
            p = _proposal(assembly, members[0], secret=True, n=runs + 1 + n)
            _secret_ballots(p, members, community)
            proposals["secret"].append(p)
    built = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    results: dict[str, Any] = {"voters": voters, "runs": runs, "built_s": built, "vendor": connection.vendor}
    now = timezone.now() + timedelta(days=30)
    server = _server_process()
    for kind, group in proposals.items():
        seconds, cpu, server_cpu, queries, participants = [], [], [], [], []
        for p in group:
            counter = _Queries()
            with counter, connection.execute_wrapper(counter):
                start, start_cpu, start_server = time.perf_counter(), time.process_time(), _cpu_of(server)
                outcome = proposal_close(proposal=p, now=now)
                seconds.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
                end_server = _cpu_of(server)
                if start_server is not None and end_server is not None:
                    server_cpu.append(end_server - start_server)
            queries.append(counter.n)
            participants.append(outcome.participants)
            assert outcome.passed, outcome.statement
        results[kind] = {
            "seconds": seconds[1:],  # the first close warms up
            "cpu": cpu[1:],
            "server_cpu": server_cpu[1:],
            "warm_up_s": seconds[0],
            "queries": queries,
            "participants": participants,
        }
    results["fanout"] = _fanout(proposals["open"][-1])
    return results


def _server_process() -> int | None:
    """The PostgreSQL server process serving this connection, when the server runs on this machine
    (its CPU time is then read from /proc around each close); None on SQLite, whose work is in the
    calling process's own CPU time."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = int(cursor.fetchone()[0])
    return pid if _cpu_of(pid) is not None else None


def _cpu_of(pid: int | None) -> float | None:
    """CPU seconds (user and system) the process ``pid`` has used, from /proc; None if unreadable."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _fanout(proposal: Any) -> dict[str, Any] | None:
    """Run the notifications' fan-out of ``proposal``'s close as the worker would, step by step."""
    try:
        from dualpower.notifications import tasks
        from dualpower.notifications.models import Fanout
    except ImportError:
        return None  # the code notifies inside the close itself
    from dualpower.notifications.models import Notification

    fanout = Fanout.objects.filter(kind="assemblies.outcome").order_by("-pk").first()
    assert fanout is not None
    already = Notification.objects.filter(kind="assemblies.outcome").count()
    steps = []
    start, start_cpu = time.perf_counter(), time.process_time()
    while True:
        t = time.perf_counter()
        written = tasks.fanout_step(fanout.pk)
        if not written:
            break
        steps.append((written, time.perf_counter() - t))
    total, total_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    notified = Notification.objects.filter(kind="assemblies.outcome").count() - already
    again = tasks.fanout_step(fanout.pk)
    return {
        "total_s": total,
        "cpu_s": total_cpu,
        "steps": len(steps),
        "rows": notified,
        "chunk": max(w for w, _s in steps),
        "longest_step_s": max(s for _w, s in steps),
        "median_step_s": statistics.median(s for _w, s in steps),
        "second_run_rows": again,
    }


# ---------------------------------------------------------------------------------------------
# In the parent process


def run_child(env: dict[str, str], voters: int, runs: int) -> dict[str, Any]:
    code = f"import json, bench_close; print(json.dumps(bench_close.measure({voters}, {runs})))"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT / "bench", capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-4000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def measure_code(src: Path, args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DP_DATABASE_URL"}}
    base["PYTHONPATH"] = os.pathsep.join([str(src), str(ROOT / "bench")])
    base["DP_SECRET_KEY"] = "bench-only"  # noqa: S105 - a throwaway scratch instance
    base.pop("DP_TASKS_BACKEND", None)  # the node's own: jobs queued in the database
    figures: dict[str, dict[str, Any]] = {}
    databases: list[tuple[str, str | None]] = [] if args.skip_sqlite else [("SQLite", None)]
    if args.postgres:
        databases.append(("PostgreSQL", args.postgres))
    for name, url in databases:
        load_before = _load()
        with tempfile.TemporaryDirectory() as home:
            env = {**base, "DP_HOME": home}
            if url:
                import psycopg

                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {PG_SCRATCH}")
                    conn.execute(f"CREATE DATABASE {PG_SCRATCH}")
                env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + PG_SCRATCH
            try:
                figures[name] = run_child(env, args.voters, args.runs)
            finally:
                if url:
                    with psycopg.connect(url, autocommit=True) as conn:
                        conn.execute(f"DROP DATABASE IF EXISTS {PG_SCRATCH}")
        figures[name]["load"] = (load_before, _load())
        print(name, src, json.dumps(figures[name]), flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a scratch database is created there")
    parser.add_argument("--skip-sqlite", action="store_true", help="measure on PostgreSQL only")
    parser.add_argument("--voters", type=int, default=VOTERS)
    parser.add_argument("--runs", type=int, default=RUNS, help="timed closes of each kind (plus one warm-up)")
    parser.add_argument("--compare", type=Path, help="another checkout whose src/ is measured first")
    parser.add_argument("--only-compare", action="store_true", help="measure the --compare checkout only")
    parser.add_argument(
        "--src", type=Path, default=ROOT / "src", help="this checkout's code from a copy (default: src/)"
    )
    parser.add_argument(
        "--before-figures",
        type=Path,
        help="figures of the code before, measured earlier by --compare (a JSON file the bench printed)",
    )
    parser.add_argument(
        "--before-label",
        default="the code of the checkout given to --compare",
        help="what the code before is, for the document (e.g. its commit and what it did)",
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    started = time.monotonic()
    results: dict[str, dict[str, dict[str, Any]]] = {}
    if args.before_figures:
        results["before"] = json.loads(args.before_figures.read_text())
    elif args.compare:
        results["before"] = measure_code(args.compare.resolve() / "src", args)
    if not args.only_compare:
        results["this checkout"] = measure_code(args.src.resolve(), args)
    minutes = (time.monotonic() - started) / 60
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(document(results, args, uptime, minutes))
    print(f"{args.out} written")


def _s(x: float) -> str:
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def document(
    results: dict[str, dict[str, dict[str, Any]]], args: argparse.Namespace, uptime: str, minutes: float
) -> str:
    command = ".venv/bin/python bench/bench_close.py"
    if args.postgres:
        command += f" --postgres {args.postgres}"
    if args.voters != VOTERS:
        command += f" --voters {args.voters}"
    if args.runs != RUNS:
        command += f" --runs {args.runs}"
    if args.compare or args.before_figures:
        command += " --compare <checkout of the code before>"
    lines = [
        "# Closing a vote with 50,000 ballots",
        "",
        f"`proposal_close` on a consent proposal in a general assembly of {args.voters:,} members who all "
        "voted: open votes, and secret ballots. Each close is a fresh vote of the same size (the first of "
        "each kind warms up and is left out): **s** is the median time of the "
        f"{args.runs} others (their range in brackets), in one process, the whole call: the count, the "
        "outcome, the audit entry and, after the commit, the job that tells everyone queued. "
        "**queries** is the number of SQL statements of one close (the same for every close of a "
        "kind unless said). The whole close is one transaction: on SQLite it holds the write lock for "
        f"that long. Issue 21's target: under {TARGET_SECONDS:.0f} s, in a number of queries that does not "
        "grow with the ballots (`assemblies/tests/test_close_queries.py` asserts that).",
        "",
        "**CPU s** is the CPU time the calling process spent in the close (median): on SQLite that "
        "includes the database's own work, on PostgreSQL the server's is not in it: **server CPU s** is "
        "that of the PostgreSQL server process serving the close (read from /proc: the server runs on "
        "the same machine), so that on PostgreSQL the two added up are the close's work. When the machine is "
        "loaded (the load averages are in the table, on 2 cores) the wall-clock seconds grow to several "
        "times what the same work takes on an idle machine, for the code before and after alike; the CPU "
        "time is the steadier measure of the work itself. **before** is "
        f"{args.before_label}; **this checkout** opens a sealed ballot box in one pass: each ballot "
        "sealed with its receipt digest at a fixed place and what it says decoded once for all the "
        "ballots that say the same, the sealed rows read in one query, the clear rows written by one "
        "`executemany` of tuples built in C (SQLite) or one `COPY` (PostgreSQL, counted as a query).",
        "",
        "The notifications are written after the commit by a background job (the fan-out): **fan-out** "
        "is the time the worker takes to write one notification for each member, in steps of one short "
        "transaction each (**longest step**: the longest the write lock is held by it).",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; shared with other engineers' tests while these figures "
        f"were taken. `uptime` at the start: `{uptime}`. {minutes:.1f} minutes in all; "
        f"{datetime.now(UTC):%Y-%m-%d}.",
        "",
        "| code | database | ballots | s (median, range) | CPU s | server CPU s | queries "
        "| fan-out s (CPU s) | steps × rows | longest step s | load before → after |",
        "|---|---|---|---|---:|---:|---:|---:|---|---:|---|",
    ]
    for code, by_db in results.items():
        for db, r in by_db.items():
            for kind in ("open", "secret"):
                k = r[kind]
                secs = k["seconds"]
                cpu = _s(statistics.median(k["cpu"])) if k.get("cpu") else "—"
                server = _s(statistics.median(k["server_cpu"])) if k.get("server_cpu") else "—"
                queries = sorted(set(k["queries"]))
                q = str(queries[0]) if len(queries) == 1 else f"{queries[0]}–{queries[-1]}"
                f = r.get("fanout")
                if f is None:
                    fan = ("in the close", "—", "—")
                elif kind == "open":
                    fan = (
                        f"{_s(f['total_s'])} ({_s(f.get('cpu_s', 0))})",
                        f"{f['steps']} × {f['chunk']:,}",
                        _s(f["longest_step_s"]),
                    )
                else:  # the same job whatever the ballots were
                    fan = ("as above", "", "")
                lines.append(
                    f"| {code} | {db} | {k['participants'][-1]:,} {kind} | {_s(statistics.median(secs))} "
                    f"({_s(min(secs))}–{_s(max(secs))}) | {cpu} | {server} | {q} "
                    f"| {fan[0]} | {fan[1]} | {fan[2]} | {r['load'][0]} → {r['load'][1]} |"
                )
    lines += [
        "",
        "Building each instance (members and ballots bulk-inserted, a few through the services) is not "
        "timed. Running the fan-out a second time writes nothing (idempotent: it carries on from where it "
        "stopped).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
