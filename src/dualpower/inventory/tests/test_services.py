"""The rules of the shared inventory, as the services keep them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Sum

from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput
from dualpower.inventory import services
from dualpower.inventory.models import Item, Movement
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _stock(item: Item) -> int:
    item.refresh_from_db()
    return item.stock


def test_the_stock_is_the_sum_of_its_movements(community: Any, rice: Item) -> None:
    services.stock_out(item=rice, quantity=7, by=None, reason="Saturday")
    services.stock_in(item=rice, quantity=3, by=None)
    services.stock_count(item=rice, counted=14, by=None, reason="Two bags spoiled")
    assert _stock(rice) == 14
    assert Movement.objects.filter(item=rice).aggregate(s=Sum("quantity"))["s"] == 14
    assert [m.stock_after for m in Movement.objects.filter(item=rice).order_by("id")] == [20, 13, 16, 14]
    assert AuditEntry.objects.filter(action__startswith="inventory.stock_").count() == 4


def test_more_cannot_go_out_than_is_in_stock(community: Any, rice: Item) -> None:
    with pytest.raises(Conflict, match="Only 20 kg of Rice are in stock"):
        services.stock_out(item=rice, quantity=21, by=None)
    assert _stock(rice) == 20
    assert Movement.objects.filter(item=rice).count() == 1


@pytest.mark.parametrize("quantity", [0, -5, "five", None, True, 10_000_000])
def test_a_quantity_is_a_positive_whole_number(community: Any, rice: Item, quantity: Any) -> None:
    for move in (services.stock_in, services.stock_out):
        with pytest.raises(InvalidInput):
            move(item=rice, quantity=quantity, by=None)
    assert _stock(rice) == 20
    assert Movement.objects.filter(item=rice).count() == 1


def test_a_count_needs_a_reason_and_a_difference(community: Any, rice: Item) -> None:
    with pytest.raises(InvalidInput):
        services.stock_count(item=rice, counted=18, by=None, reason="")
    with pytest.raises(InvalidInput):
        services.stock_count(item=rice, counted=20, by=None, reason="checked")
    with pytest.raises(InvalidInput):
        services.stock_count(item=rice, counted=-1, by=None, reason="checked")
    assert Movement.objects.filter(item=rice).count() == 1


def test_low_stock_tells_the_stock_keepers_once_per_crossing(community: Any, people: Any, rice: Item) -> None:
    services.stock_out(item=rice, quantity=15, by=None)  # 5: low
    services.stock_out(item=rice, quantity=2, by=None)  # still low: no second alert
    alerts = Notification.objects.filter(kind="inventory.low_stock")
    assert {n.user_id for n in alerts} == {people["coordinator"].pk}
    services.stock_in(item=rice, quantity=10, by=None)  # 13: above again
    services.stock_out(item=rice, quantity=9, by=None)  # 4: low again
    assert Notification.objects.filter(kind="inventory.low_stock").count() == 2


def test_organisers_and_dispatchers_keep_stock_too(
    community: Any, people: Any, everyone: Any, series: Any
) -> None:
    keepers = {m.user_id for m in services.stock_keepers(community)}
    assert keepers == {people["coordinator"].pk, everyone["organiser"].pk}


def test_an_item_name_is_unique_in_a_community(community: Any, other_community: Any, rice: Item) -> None:
    with pytest.raises(Conflict):
        services.item_create(community=community, by=None, name="rice", unit="kg")
    services.item_create(community=other_community, by=None, name="Rice", unit="kg")


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"name": ""}, "name"), ({"unit": " "}, "unit"), ({"low_threshold": -1}, "low_threshold")],
)
def test_an_item_with_bad_input_is_refused(community: Any, changes: dict, field: str) -> None:
    data = {"name": "Beans", "unit": "tins", "low_threshold": 3, **changes}
    with pytest.raises(InvalidInput) as caught:
        services.item_create(community=community, by=None, **data)
    assert caught.value.field == field
    assert not Item.objects.exists()


def test_raising_the_low_level_alerts_at_once(community: Any, people: Any, rice: Item) -> None:
    services.item_update(item=rice, by=None, low_threshold=25)
    assert Notification.objects.filter(kind="inventory.low_stock").count() == 1


def test_a_stock_out_serves_an_aid_request_of_the_same_community(
    community: Any, other_community: Any, people: Any, rice: Item
) -> None:
    from dualpower.aid.models import AidRequest

    request = AidRequest.objects.create(
        community=community, code="K7M-4QX", category="food", description="Rice"
    )
    movement = services.stock_out(item=rice, quantity=2, by=None, aid_request=request)
    assert list(request.inventory_movements.all()) == [movement]
    elsewhere = AidRequest.objects.create(
        community=other_community, code="ZZZ-1", category="food", description="x"
    )
    with pytest.raises(InvalidInput):
        services.stock_out(item=rice, quantity=2, by=None, aid_request=elsewhere)
    assert _stock(rice) == 18
