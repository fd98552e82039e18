"""Jobs that run on the clock: open and close votes, advance budgeting phases, flag stale aid
requests, charge demurrage...

Apps register a job in AppConfig.ready():

    from dualpower.ops import schedule

    @schedule.job("assemblies.windows")
    def open_and_close_votes(now: datetime) -> str: ...

Every job runs on every tick (each minute under `dualpower worker`, or once per `dualpower tick`
from cron), so a job must be idempotent and cheap when nothing is due: it looks at the clock and
the database and does only what is owed. A job that fails is reported and the others still run.
Tests call a job's function directly with the ``now`` they want.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import close_old_connections
from django.utils import timezone

log = logging.getLogger("dualpower.schedule")

JobFunction = Callable[[datetime], "str | None"]


@dataclass(frozen=True)
class Job:
    name: str
    run: JobFunction


_registry: dict[str, Job] = {}


def job(name: str) -> Callable[[JobFunction], JobFunction]:
    def decorate(func: JobFunction) -> JobFunction:
        _registry[name] = Job(name=name, run=func)
        return func

    return decorate


def jobs() -> list[Job]:
    return sorted(_registry.values(), key=lambda j: j.name)


def run_due(now: datetime | None = None) -> list[tuple[str, str]]:
    """Run every job once; return (name, what it did or the error) for each."""
    now = now or timezone.now()
    report = []
    for each in jobs():
        try:
            report.append((each.name, each.run(now) or ""))
        except Exception as error:  # one broken job must not stop the others
            log.exception("job %s failed", each.name)
            report.append((each.name, f"failed: {type(error).__name__}: {error}"))
    return report


def start_clock(every_seconds: float) -> threading.Thread:
    """Tick in a daemon thread beside the task worker."""

    def loop() -> None:
        while True:
            close_old_connections()
            run_due()
            close_old_connections()
            time.sleep(every_seconds)

    thread = threading.Thread(target=loop, name="dualpower-clock", daemon=True)
    thread.start()
    return thread
