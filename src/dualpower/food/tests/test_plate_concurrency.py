"""Two people of the food group give out weeks at the same moment: the database keeps each request
within what it asked, and the loser's whole allocation (pantry stock included) is not written."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import OperationalError, connection

from dualpower.aid.models import AidRequest
from dualpower.errors import Conflict
from dualpower.food.models.plate import Allocation
from dualpower.food.services import plate_allocation as allocations
from dualpower.food.tests import factories_plate as f
from dualpower.inventory import selectors as inventory_selectors


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_two_weeks_given_out_at_once_never_deliver_more_than_was_asked(community: Any) -> None:
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()  # type: ignore[attr-defined]  # SQLite only
    kale = f.crop(community, "Kale")
    this_week = f.this_monday()
    last_week = this_week - dt.timedelta(weeks=1)
    f.harvest(community, kale, "3", at=f.noon(this_week))
    f.harvest(community, kale, "3", at=f.noon(last_week))
    request = f.food_request(community, quantity=2, urgency=3)
    drafts = [
        allocations.allocation_compute(community=community, week=week, by=None).pk
        for week in (this_week, last_week)
    ]
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def write(pk: int) -> None:
        try:
            draft = Allocation.objects.get(pk=pk)
            barrier.wait()
            allocations.allocation_write(allocation=draft, by=None)
            outcomes.append("won")
        except Conflict:
            outcomes.append("told")
        except OperationalError as exc:
            outcomes.append("told" if in_memory and "locked" in str(exc) else f"error: {exc!r}")
        except Exception as exc:  # reported below: any other error fails the test
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(pk,)) for pk in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["told", "won"]
    fresh = AidRequest.objects.get(pk=request.pk)
    assert (fresh.quantity_delivered, fresh.status) == (2, AidRequest.Status.FULFILLED)
    statuses = sorted(Allocation.objects.filter(pk__in=drafts).values_list("status", flat=True))
    assert statuses == ["draft", "written"]
    item = inventory_selectors.items_of(community=community).get(name="Kale")
    assert item.stock == 1  # only the winner's pantry line came in
