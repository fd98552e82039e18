"""Jobs that run on the clock: open and close votes, advance budgeting phases, flag stale aid
requests, charge demurrage...

The registry is a base module so that every app may register with it (from its
``registrations.py``); ``dualpower.ops.schedule`` runs it on a timer:

    from dualpower import clock
    from dualpower.assemblies import jobs

    clock.job("assemblies.windows")(jobs.windows)  # assemblies/registrations.py

Every job runs on every tick (each minute inside `dualpower serve`, or `dualpower worker`, or once
per `dualpower tick` from cron; a lease in the database lets one process tick a given minute), so
a job must be idempotent and cheap when nothing is due: it looks at the clock and the database and
does only what is owed. A job that fails is reported and the others still run.
Tests call a job's function directly with the ``now`` they want.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

log = logging.getLogger("dualpower.schedule")

JobFunction = Callable[[datetime], "str | None"]


@dataclass(frozen=True)
class Job:
    name: str
    run: JobFunction


_registry: dict[str, Job] = {}


def job(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register ``func`` as the job ``name`` (usable as a decorator); registering again replaces it."""

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
