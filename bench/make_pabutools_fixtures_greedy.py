"""Store pabutools' greedy and sequential Phragmén outcomes on every shared pabulib file.

The large files take pabutools minutes, too slow for the test suite, so its outcomes are
kept as JSON fixtures that tests/core/choice/test_greedy.py and test_phragmen.py compare
against. Each fixture records the file's sha256, so a changed file shows up as a failure.

Regenerate (from the repository root; a few minutes):

    .venv/bin/python bench/make_pabutools_fixtures_greedy.py

Writes tests/core/choice/fixtures/pabutools/greedy/NAME.json for every file and
tests/core/choice/fixtures/pabutools/phragmen/NAME.json for approval and choose-1 files.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import pabutools

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "core" / "choice"))

from pabutools_pb_bridge import pabutools_greedy, pabutools_phragmen  # noqa: E402

from dualpower.core.choice.formats.pb import read_pb  # noqa: E402
from dualpower.core.choice.pb.tiebreak import TieBreak  # noqa: E402

SHARED = ROOT.parent / "shared" / "pabulib"
FIXTURES = ROOT / "tests" / "core" / "choice" / "fixtures" / "pabutools"


def main() -> int:
    tie_break = TieBreak()
    for rule in ("greedy", "phragmen"):
        (FIXTURES / rule).mkdir(parents=True, exist_ok=True)
    for path in sorted(SHARED.glob("*.pb")):
        election = read_pb(path)
        common = {
            "file": path.name,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "pabutools": pabutools.__version__ if hasattr(pabutools, "__version__") else "1.2.3",
            "tie_break": tie_break.settings(),
        }
        started = time.perf_counter()
        selected = pabutools_greedy(election, tie_break, path=str(path))
        _write(FIXTURES / "greedy" / f"{path.stem}.json", {**common, "rule": "greedy", "selected": selected})
        line = f"{path.name}: greedy {time.perf_counter() - started:.1f}s"
        if election.vote_type in ("approval", "choose-1"):
            started = time.perf_counter()
            chosen = sorted(pabutools_phragmen(election, tie_break, path=str(path)))
            _write(
                FIXTURES / "phragmen" / f"{path.stem}.json",
                {**common, "rule": "phragmen", "selected": chosen},
            )
            line += f", phragmen {time.perf_counter() - started:.1f}s"
        print(line, flush=True)
    return 0


def _write(target: Path, payload: dict[str, object]) -> None:
    target.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
