"""The clock: every registered job runs on each tick, and one failing job does not stop the others."""

from __future__ import annotations

from datetime import datetime

import pytest

from dualpower import clock as schedule


@pytest.fixture
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schedule, "_registry", {})


def test_a_failing_job_is_reported_and_the_others_still_run(clean_registry: None) -> None:
    seen: list[datetime] = []

    @schedule.job("a.broken")
    def broken(now: datetime) -> str:
        raise ValueError("no")

    @schedule.job("b.fine")
    def fine(now: datetime) -> str:
        seen.append(now)
        return "did one thing"

    now = datetime(2026, 1, 1)
    report = schedule.run_due(now)
    assert report == [("a.broken", "failed: ValueError: no"), ("b.fine", "did one thing")]
    assert seen == [now]
