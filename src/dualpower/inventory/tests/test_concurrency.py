"""Two stock keepers taking the last boxes at once: one gets them, the stock never goes negative."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from dualpower.errors import Conflict
from dualpower.inventory import services
from dualpower.inventory.models import Item, Movement


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_the_stock_never_goes_below_zero_under_concurrency(community: Any) -> None:
    item = services.item_create(
        community=community, by=None, name="Food boxes", unit="boxes", low_threshold=1
    )
    services.stock_in(item=item, quantity=5, by=None)
    barrier = threading.Barrier(3, timeout=10)
    outcomes: list[str] = []

    def take() -> None:
        try:
            barrier.wait()
            services.stock_out(item=item, quantity=3, by=None)
            outcomes.append("out")
        except Conflict:
            outcomes.append("refused")
        except Exception as exc:  # reported below: any other error fails the test
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["out", "refused", "refused"]
    assert Item.objects.get(pk=item.pk).stock == 2
    assert sum(Movement.objects.filter(item=item).values_list("quantity", flat=True)) == 2
