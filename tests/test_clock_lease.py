"""The clock ticks once per slot however many processes keep it (serve, worker, cron's tick)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from dualpower import clock
from dualpower.ops import schedule
from dualpower.ops.models import ClockLease

T0 = datetime(2026, 12, 6, 16, 0, 5, tzinfo=UTC)


@pytest.fixture
def counted_job(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[datetime]]:
    """The registry holds one job, which records each time it runs."""
    ran: list[datetime] = []
    lock = threading.Lock()
    monkeypatch.setattr(clock, "_registry", {})

    @clock.job("test.count")
    def count(now: datetime) -> str:
        with lock:
            ran.append(now)
        return "counted"

    yield ran


@pytest.mark.django_db
def test_a_slot_is_ticked_once_whoever_comes_second(counted_job: list[datetime]) -> None:
    assert schedule.tick_once(holder="a", now=T0) == [("test.count", "counted")]
    assert schedule.tick_once(holder="b", now=T0 + timedelta(seconds=30)) is None
    assert schedule.tick_once(holder="a", now=T0 + timedelta(seconds=50)) is None  # same minute
    assert schedule.tick_once(holder="b", now=T0 + timedelta(seconds=60)) is not None  # the next one
    assert counted_job == [T0, T0 + timedelta(seconds=60)]


@pytest.mark.django_db
def test_slots_follow_the_tick_interval(counted_job: list[datetime]) -> None:
    assert schedule.tick_once(holder="a", now=T0, every_seconds=5) is not None
    assert schedule.tick_once(holder="b", now=T0 + timedelta(seconds=4), every_seconds=5) is None
    assert schedule.tick_once(holder="b", now=T0 + timedelta(seconds=5), every_seconds=5) is not None
    assert schedule.tick_once(holder="a", now=T0 + timedelta(seconds=9), every_seconds=5) is None
    assert len(counted_job) == 2


@pytest.mark.django_db
def test_a_tick_still_running_keeps_the_next_slot_from_starting_until_its_lease_lapses(
    counted_job: list[datetime],
) -> None:
    assert schedule.tick_claim(holder="slow", now=T0)  # claimed and never released: it is running
    later = T0 + timedelta(minutes=1)
    assert schedule.tick_once(holder="b", now=later) is None
    # The process died mid-tick: once its lease lapses, another process keeps the clock going.
    lapsed = T0 + schedule.LEASE + timedelta(seconds=1)
    assert schedule.tick_once(holder="b", now=lapsed) == [("test.count", "counted")]
    assert counted_job == [lapsed]


@pytest.mark.django_db
def test_a_finished_tick_gives_the_lease_back(counted_job: list[datetime]) -> None:
    schedule.tick_once(holder="a", now=T0)
    lease = ClockLease.objects.get(name=schedule.LEASE_NAME)
    assert lease.holder == "a"
    assert lease.expires_at is None
    assert lease.due_at == datetime(2026, 12, 6, 16, 1, tzinfo=UTC)


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_two_clocks_ticking_at_the_same_moment_act_once(counted_job: list[datetime]) -> None:
    """Two processes' clocks wake together at each minute for five minutes: each minute's jobs run
    once. (Threads with their own database connections, as two processes would have.)"""
    rounds = 5
    results: dict[str, list[bool]] = {"a": [], "b": []}
    barrier = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def keep_clock(holder: str) -> None:
        try:
            for minute in range(rounds):
                barrier.wait()
                now = T0 + timedelta(minutes=minute)
                results[holder].append(schedule.tick_once(holder=holder, now=now) is not None)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=keep_clock, args=(h,)) for h in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert [a + b for a, b in zip(results["a"], results["b"], strict=True)] == [1] * rounds
    assert counted_job == [T0 + timedelta(minutes=m) for m in range(rounds)]
