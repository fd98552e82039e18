"""What `dualpower tally` prints: the JSON encoding, the text report for budgets, the progress spinner."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn


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
def progress(
    message: str, *, after: float = 1.0, console: Console | None = None
) -> Iterator[Callable[[str], None]]:
    """Show a spinner with the elapsed time on stderr if the work takes longer than ``after`` seconds.

    Yields ``note(text)``, which adds a detail to the line (e.g. the add1 step MES is trying).
    Nothing is shown when stderr is not a terminal (a pipe, a log, a test), so output stays clean.
    """
    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield lambda text: None
        return
    done = threading.Event()
    lock = threading.Lock()
    shown: list[tuple[Progress, TaskID]] = []
    latest = [message]

    def note(text: str) -> None:
        latest[0] = f"{message}: {text}"
        with lock:
            for bar, task in shown:
                bar.update(task, description=latest[0])

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
            shown.append((bar, bar.add_task(latest[0], total=None)))
            bar.start()

    waiter = threading.Thread(target=show_later, daemon=True)
    waiter.start()
    try:
        yield note
    finally:
        with lock:
            done.set()
            for bar, _ in shown:
                bar.stop()
        waiter.join()


def pb_report(path: Path, election: Any, outcome: Any, voter: Mapping[str, Any] | None) -> str:
    """A readable report of a budgeting count: settings, funded projects, the explanation."""
    projects = {p.id: p for p in election.projects}
    scale = int(election.meta.get("currency_scale", "1") or 1)
    lines = [
        f"{path.name}: {outcome.rule}",
        f"Budget {_money(election.budget, scale)}; {len(election.projects)} projects; "
        f"{election.ballots.num_voters:,} voters ({election.vote_type} ballots)",
    ]
    lines += [f"  {key}: {_text(value)}" for key, value in outcome.settings.items()]
    lines += [
        "",
        f"Selected, in order ({_count(len(outcome.selected), 'project')}, "
        f"total cost {_money(outcome.total_cost, scale)}):",
    ]
    width = max((len(pid) for pid in outcome.selected), default=0)
    for k, pid in enumerate(outcome.selected, start=1):
        project = projects.get(pid)
        cost = f"{_money(project.cost, scale):>14}" if project else ""
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
        if isinstance(voter.get("text"), str):
            lines.append(f"  {voter['text']}")
        else:
            lines += [f"  {key}: {_text(value)}" for key, value in voter.items()]
    return "\n".join(lines) + "\n"


def _step(step: Mapping[str, Any]) -> str:
    # An engine may write the step as a sentence ("text"); else show who, what was decided and why.
    if isinstance(step.get("text"), str):
        return str(step["text"])
    head = [str(step[key]) for key in ("project", "decision") if key in step]
    why = next((str(step[key]) for key in ("reason", "message", "summary") if key in step), "")
    if head or why:
        return ": ".join(filter(None, (" ".join(head), why)))
    return "; ".join(f"{key}: {_text(value)}" for key, value in step.items())


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _money(amount: int, scale: int) -> str:
    # Costs are stored in the smallest unit; META currency_scale says how many make one unit.
    if scale == 1:
        return f"{amount:,}"
    whole, part = divmod(amount, scale)
    return f"{whole:,}.{part:0{len(str(scale)) - 1}d}"


def _text(value: Any) -> str:
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value.numerator)
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_text(v)}" for k, v in value.items()) + "}"
    return str(value)
