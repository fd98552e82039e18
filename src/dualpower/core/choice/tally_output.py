"""What `dualpower tally` prints: the JSON encoding, the text report for budgets, the progress spinner."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


def json_default(value: Any) -> Any:
    """Exact numbers as text ("p/q", decimals as written), numpy scalars and arrays as Python values."""
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return value.tolist()
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


@contextmanager
def progress(message: str, *, after: float = 1.0, console: Console | None = None) -> Iterator[None]:
    """Show a spinner with the elapsed time on stderr if the work takes longer than ``after`` seconds.

    Nothing is shown when stderr is not a terminal (a pipe, a log, a test), so output stays clean.
    """
    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield
        return
    done = threading.Event()
    lock = threading.Lock()
    shown: list[Progress] = []

    def show_later() -> None:
        if done.wait(after):
            return
        with lock:
            if done.is_set():
                return
            bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )
            bar.add_task(message, total=None)
            bar.start()
            shown.append(bar)

    waiter = threading.Thread(target=show_later, daemon=True)
    waiter.start()
    try:
        yield
    finally:
        with lock:
            done.set()
            for bar in shown:
                bar.stop()
        waiter.join()


def pb_report(path: Path, election: Any, outcome: Any, voter: Mapping[str, Any] | None) -> str:
    """A readable report of a budgeting count: settings, funded projects, the explanation."""
    projects = {p.id: p for p in election.projects}
    lines = [
        f"{path.name}: {outcome.rule}",
        f"Budget {election.budget:,}; {len(election.projects)} projects; "
        f"{election.ballots.num_voters:,} voters ({election.vote_type} ballots)",
    ]
    lines += [f"  {key}: {_text(value)}" for key, value in outcome.settings.items()]
    lines += [
        "",
        f"Selected, in order ({len(outcome.selected)} projects, total cost {outcome.total_cost:,}):",
    ]
    width = max((len(pid) for pid in outcome.selected), default=0)
    for k, pid in enumerate(outcome.selected, start=1):
        project = projects.get(pid)
        cost = f"{project.cost:>14,}" if project else ""
        name = f"  {project.name}" if project and project.name else ""
        lines.append(f"  {k:>3}. {pid:<{width}} {cost}{name}")
    rest = [p.id for p in election.projects if p.id not in set(outcome.selected)]
    if rest:
        lines += ["", "Not selected: " + ", ".join(rest)]
    if outcome.explanation:
        lines += ["", "Explanation:"]
        lines += [f"  - {_step(step)}" for step in outcome.explanation]
    if voter is not None:
        lines += ["", "Voter:"]
        lines += [f"  {key}: {_text(value)}" for key, value in voter.items()]
    return "\n".join(lines) + "\n"


def _step(step: Mapping[str, Any]) -> str:
    # Engines may write a ready sentence; otherwise show the step's fields.
    for key in ("text", "message", "summary", "reason"):
        if isinstance(step.get(key), str):
            return str(step[key])
    return "; ".join(f"{key}: {_text(value)}" for key, value in step.items())


def _text(value: Any) -> str:
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value.numerator)
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_text(v)}" for k, v in value.items()) + "}"
    return str(value)
