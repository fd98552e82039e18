"""Races, as the database keeps them: volunteers moving one queue code at once (one move counts),
and nurses giving out the last of a lot at once (never below zero; an expired lot never)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from dualpower.care.models.clinics import QueueEntry
from dualpower.care.selectors import clinics as selectors
from dualpower.care.services import clinics as services
from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401 - a fixture
from dualpower.errors import Conflict
from dualpower.inventory import services as inventory
from dualpower.inventory.models import Item, Lot, Movement


def _race(n: int, act: Callable[[], object]) -> list[str]:
    barrier = threading.Barrier(n, timeout=10)
    outcomes: list[str] = []

    def run() -> None:
        try:
            barrier.wait()
            act()
            outcomes.append("done")
        except Conflict:
            outcomes.append("refused")
        except Exception as exc:  # reported below: any other error fails the test
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_three_volunteers_moving_one_code_at_once_one_move_counts(community: Any) -> None:
    day = services.clinic_day_create(
        community=community, by=None, site="Hillcrest", day=timezone.localdate() + dt.timedelta(days=1)
    )
    # The day's date is tomorrow; the queue opens as soon as the day is planned.
    entry = services.queue_join(day=day, by=None)
    triage = selectors.stations_of(day=day)[1]
    outcomes = _race(3, lambda: services.queue_move(day=day, code=entry.code, to=triage, by=None))
    assert outcomes == ["done", "refused", "refused"]
    assert QueueEntry.objects.get(pk=entry.pk).station_id == triage.pk


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_the_last_of_a_lot_goes_to_one_nurse_only(community: Any) -> None:
    item = inventory.item_create(community=community, by=None, name="Rapid tests", unit="tests")
    inventory.stock_in(
        item=item, quantity=5, by=None, lot="A-1", expires_on=timezone.localdate() + dt.timedelta(days=30)
    )
    lot = Lot.objects.get(item=item)
    outcomes = _race(3, lambda: inventory.stock_out(item=item, quantity=3, by=None, lot=lot))
    assert outcomes == ["done", "refused", "refused"]
    assert Lot.objects.get(pk=lot.pk).remaining == 2
    assert Item.objects.get(pk=item.pk).stock == 2


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_an_expired_lot_is_refused_to_everyone_at_once(community: Any) -> None:
    item = inventory.item_create(community=community, by=None, name="Insulin pens", unit="pens")
    soon = timezone.now()
    inventory.stock_in(
        item=item, quantity=5, by=None, lot="B-2", expires_on=timezone.localdate(soon), now=soon
    )
    lot = Lot.objects.get(item=item)
    later = soon + dt.timedelta(days=2)
    before = Movement.objects.count()
    outcomes = _race(3, lambda: inventory.stock_out(item=item, quantity=1, by=None, lot=lot, now=later))
    assert outcomes == ["refused", "refused", "refused"]
    assert Movement.objects.count() == before
    assert Item.objects.get(pk=item.pk).stock == 5
