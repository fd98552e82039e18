"""Participatory budgeting in the app: the count and the results page for a large cycle stored in
the database, and every pabulib file imported and recounted.

Run from the project's root:
    .venv/bin/python bench/bench_budgeting.py [--voters 100000] [--projects 200] [--skip-files]
Figures go to docs/benchmarks/budgeting.md.

In a child process on a fresh, migrated scratch SQLite file under /tmp (as a node runs it):
1. a cycle with ``--projects`` proposals and ``--voters`` approval ballots is written with bulk
   inserts (project popularity 0.3 × Beta(1, 4), about 12 approvals per ballot, costs 1,000–100,000
   EUR, budget 50 EUR per voter: the generated instance of bench_mes.py);
2. the count (``services.cycle_count``: reading the ballots from the database, writing the
   anonymised .pb file, parsing it back, Method of Equal Shares with add1, greedy for comparison,
   vote totals, storing the result), next to the engine alone on the same election (the peer:
   the count the app wraps; the ratio is the price of the database and the published file);
3. the results page and the ballot-file download, through Django's test client;
4. each file in ../shared/pabulib imported through ``importing.cycle_import`` (which counts it),
   checking that the stored outcome equals the engine's direct count of the file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "benchmarks" / "budgeting.md"
PABULIB = ROOT.parent / "shared" / "pabulib"


def _timed(work: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def measure(voters: int, projects: int, files: bool) -> dict[str, Any]:
    """Runs inside a child process whose environment points at the scratch database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualpower.settings")
    django.setup()
    import numpy as np
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    from dualpower.budgeting import services
    from dualpower.budgeting.models import Ballot, Cycle, Phase, Proposal
    from dualpower.budgeting.services import areas, cycle_count, election_text, run_rule
    from dualpower.community.services import community_create
    from dualpower.core.choice.formats.pb import parse_pb, read_pb
    from dualpower.core.choice.pb.greedy import greedy
    from dualpower.core.choice.pb.mes import equal_shares

    figures: dict[str, Any] = {"voters": voters, "projects": projects}
    community = community_create(name="Bench", slug="bench", with_group_templates=False)
    rng = np.random.default_rng(1)
    costs = rng.integers(1_000, 100_000, projects)
    popularity = rng.beta(1, 4, projects) * 0.3
    cycle = services.cycle_create(
        community=community,
        by=None,
        title="Bench budget",
        budget=50 * voters * 100,
        max_choices=None,
        min_choices=0,
    )
    Proposal.objects.bulk_create(
        [
            Proposal(
                cycle=cycle,
                code=str(i + 1),
                title=f"Project {i + 1}",
                cost=int(c) * 100,
                feasibility="feasible",
            )
            for i, c in enumerate(costs)
        ]
    )
    Cycle.objects.filter(pk=cycle.pk).update(phase=Phase.VOTING)
    proposal_ids = list(Proposal.objects.filter(cycle=cycle).order_by("id").values_list("id", flat=True))

    def insert() -> int:
        entries = 0
        chunk = 10_000
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, voters, chunk):
                n = min(chunk, voters - start)
                approves = rng.random((n, projects)) < popularity
                ballots = Ballot.objects.bulk_create(
                    [Ballot(cycle=cycle, ref=f"{start + i:08x}{rng.integers(1 << 30):08x}") for i in range(n)]
                )
                rows = [
                    (ballots[v].pk, proposal_ids[p], 1) for v, p in zip(*np.nonzero(approves), strict=True)
                ]
                cursor.executemany(
                    "INSERT INTO budgeting_ballotentry (ballot_id, proposal_id, points) VALUES (%s, %s, %s)",
                    rows,
                )
                entries += len(rows)
        return entries

    figures["insert_s"], figures["entries"] = _timed(insert)
    Cycle.objects.filter(pk=cycle.pk).update(phase=Phase.RESULTS)
    cycle.refresh_from_db()
    figures["count_s"], results = _timed(lambda: cycle_count(cycle=cycle, by=None))
    text, _unit = election_text(cycle, areas(cycle)[0])
    election = parse_pb(text)
    figures["engine_mes_s"], direct = _timed(lambda: equal_shares(election, completion="add1"))
    figures["engine_greedy_s"], _g = _timed(lambda: greedy(election))
    figures["same_outcome"] = list(direct.selected) == results[0].rule_selected
    figures["funded"] = len(results[0].selected)
    figures["file_mb"] = len(text.encode()) / 1e6
    client = Client()
    url = f"/c/{community.slug}/budgets/{cycle.slug}/results/"
    client.get(url)  # warm the template cache
    page = []
    for _ in range(3):
        seconds, response = _timed(lambda: client.get(url))
        assert response.status_code == 200, response.status_code
        page.append(seconds)
    figures["page_s"] = min(page)
    figures["download_s"], response = _timed(lambda: client.get(url + "citywide.pb"))
    assert response.status_code == 200

    imported = []
    if files:
        from dualpower.budgeting.services import cycle_import, read_upload

        for path in sorted(PABULIB.glob("*.pb")):
            file_election = read_pb(path)
            rule = "greedy" if file_election.meta.get("rule", "").startswith("greedy") else "mes"
            seconds, made = _timed(
                lambda p=path, r=rule: cycle_import(
                    community=community,
                    by=None,
                    election=read_upload(p.read_bytes(), p.name),
                    name=p.name,
                    rule=r,
                )
            )
            stored = made.results.get()
            engine = run_rule(made, file_election)
            announced = {
                p.id for p in file_election.projects if p.extra.get("selected", "").strip() in ("1", "1.0")
            }
            imported.append(
                {
                    "file": path.stem,
                    "voters": file_election.ballots.num_voters,
                    "projects": len(file_election.projects),
                    "rule": rule,
                    "file_rule": file_election.meta.get("rule", ""),
                    "seconds": seconds,
                    "equals_engine": stored.rule_selected == list(engine.selected),
                    "equals_city": set(stored.rule_selected) == announced if announced else None,
                }
            )
    figures["imported"] = imported
    return figures


def run_child(env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    code = (
        "import json, bench_budgeting; "
        f"print(json.dumps(bench_budgeting.measure({args.voters}, {args.projects}, {not args.skip_files})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT / "bench", capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-4000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--skip-files", action="store_true", help="skip importing ../shared/pabulib")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DP_DATABASE_URL"}}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT / "bench")])
    env["DP_SECRET_KEY"] = "bench-only"  # noqa: S105 - a throwaway scratch instance
    with tempfile.TemporaryDirectory(dir="/tmp") as home:
        env["DP_HOME"] = home
        figures = run_child(env, args)
    write(figures, args)


def _previous_files_section() -> str:
    """With --skip-files, keep the files table of the last full run (it takes half an hour)."""
    if not OUT.exists():
        return ""
    text = OUT.read_text()
    start, end = text.find("## Every file"), text.find("\nMachine:")
    if start < 0 or end < start:
        return ""
    return text[start:end].rstrip() + "\n\n(From the last full run; this run used --skip-files.)"


def write(f: dict[str, Any], args: argparse.Namespace) -> None:
    engine = f["engine_mes_s"] + f["engine_greedy_s"]
    lines = [
        "# Participatory budgeting: a large cycle in the database, and every pabulib file",
        "",
        f"A cycle of {f['voters']:,} approval ballots ({f['entries']:,} approvals) "
        f"on {f['projects']} proposals, "
        "stored in a scratch SQLite file (WAL, as a node runs it) with bulk inserts. Wall-clock seconds, "
        "one run each except the page (best of 3).",
        "",
        "| What | Seconds |",
        "|---|---:|",
        f"| Writing the ballots (bulk inserts, not part of any user's wait) | {f['insert_s']:.1f} |",
        f"| **The official count** (`cycle_count`: read ballots, write and hash the .pb file, parse it, "
        f"MES + add1, greedy, vote totals, store) | **{f['count_s']:.2f}** |",
        f"| The engine alone on the same election (MES + add1, then greedy) | {engine:.2f} |",
        f"| **The results page** (anonymous visitor, {f['funded']} funded projects, chart, explanation) "
        f"| **{f['page_s']:.3f}** |",
        f"| Downloading the ballot file ({f['file_mb']:.1f} MB) | {f['download_s']:.3f} |",
        "",
        f"Ratio count / engine: {f['count_s'] / engine:.1f}× — the price of reading {f['entries']:,} rows "
        "from the database and publishing (and re-reading) the file everyone can recount. The count "
        f"{'equals' if f['same_outcome'] else 'DIFFERS FROM'} the engine's direct count of the same file.",
        "",
    ]
    kept = _previous_files_section() if not f["imported"] else ""
    if kept:
        lines += [kept, ""]
    if f["imported"]:
        lines += [
            "## Every file in ../shared/pabulib, imported and recounted",
            "",
            "Import = parse the upload, create the closed cycle with its projects and ballots (bulk inserts) "
            "and count it. “Engine” checks the stored outcome against `run_rule` on the file read directly; "
            "“city” compares with the file's `selected` column where the file's rule is ours "
            "(equalshares/add1, greedy).",
            "",
            "| File | Voters | Projects | Counted with | File's rule | Import + count (s) "
            "| = engine | = city |",
            "|---|---:|---:|---|---|---:|:-:|:-:|",
        ]
        for r in f["imported"]:
            ours = r["file_rule"] in ("equalshares/add1", "greedy")
            city = ("yes" if r["equals_city"] else "NO") if ours and r["equals_city"] is not None else "—"
            lines.append(
                f"| {r['file']} | {r['voters']:,} | {r['projects']} | {r['rule']} | {r['file_rule']} | "
                f"{r['seconds']:.2f} | {'yes' if r['equals_engine'] else 'NO'} | {city} |"
            )
        lines.append("")
    lines += [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; shared with seven other engineers' tests while measured "
        "(load average 6–10): compare ratios, not absolute figures.",
        "",
        "Command: `.venv/bin/python bench/bench_budgeting.py"
        + (f" --voters {args.voters}" if args.voters != 100_000 else "")
        + (f" --projects {args.projects}" if args.projects != 200 else "")
        + (" --skip-files" if args.skip_files else "")
        + "`",
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
