"""Goods kept by lot (medicines, tests, first-aid kits): lot numbers, expiry dates, and the rule
that an expired lot is never given out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Sum
from django.utils import timezone

from dualpower.errors import Conflict, InvalidInput
from dualpower.inventory import jobs, selectors, services
from dualpower.inventory.models import Item, Lot, Movement
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture
def tests_kit(community: Any) -> Item:
    item = services.item_create(
        community=community, by=None, name="Rapid tests", unit="tests", expiry_warning_days=14
    )
    services.stock_in(
        item=item, quantity=10, by=None, lot="A-1", expires_on=TODAY + dt.timedelta(days=5), now=NOW
    )
    services.stock_in(
        item=item, quantity=20, by=None, lot="B-2", expires_on=TODAY + dt.timedelta(days=90), now=NOW
    )
    item.refresh_from_db()
    return item


def _lot(item: Item, code: str) -> Lot:
    return Lot.objects.get(item=item, code=code)


def test_lots_move_with_the_stock(tests_kit: Item) -> None:
    assert tests_kit.stock == 30
    services.stock_out(item=tests_kit, quantity=4, by=None, lot=_lot(tests_kit, "A-1"), now=NOW)
    tests_kit.refresh_from_db()
    assert tests_kit.stock == 26
    assert _lot(tests_kit, "A-1").remaining == 6
    assert Lot.objects.filter(item=tests_kit).aggregate(s=Sum("remaining"))["s"] == tests_kit.stock
    assert Movement.objects.filter(item=tests_kit, lot__code="A-1").count() == 2


def test_an_expired_lot_is_refused_and_nothing_written(tests_kit: Item) -> None:
    later = NOW + dt.timedelta(days=6)
    before = Movement.objects.count()
    with pytest.raises(Conflict, match="Lot A-1 of Rapid tests expired on"):
        services.stock_out(item=tests_kit, quantity=1, by=None, lot=_lot(tests_kit, "A-1"), now=later)
    tests_kit.refresh_from_db()
    assert tests_kit.stock == 30
    assert _lot(tests_kit, "A-1").remaining == 10
    assert Movement.objects.count() == before


def test_a_lot_is_usable_through_its_expiry_day(tests_kit: Item) -> None:
    on_the_day = NOW + dt.timedelta(days=5)
    services.stock_out(item=tests_kit, quantity=1, by=None, lot=_lot(tests_kit, "A-1"), now=on_the_day)
    assert _lot(tests_kit, "A-1").remaining == 9


def test_an_expired_lot_can_be_discarded(tests_kit: Item) -> None:
    services.lot_discard(lot=_lot(tests_kit, "A-1"), by=None, now=NOW + dt.timedelta(days=30))
    tests_kit.refresh_from_db()
    assert tests_kit.stock == 20
    assert _lot(tests_kit, "A-1").remaining == 0
    with pytest.raises(Conflict):
        services.lot_discard(lot=_lot(tests_kit, "A-1"), by=None)


def test_goods_kept_by_lot_name_their_lot(tests_kit: Item) -> None:
    with pytest.raises(InvalidInput, match="kept by lot") as refused:
        services.stock_out(item=tests_kit, quantity=1, by=None, now=NOW)
    assert refused.value.field == "lot"
    with pytest.raises(InvalidInput, match="count each lot"):
        services.stock_count(item=tests_kit, counted=3, by=None, reason="spilled")


def test_a_lot_cannot_give_more_than_it_holds(tests_kit: Item) -> None:
    with pytest.raises(Conflict, match="Only 10 tests are left in lot A-1"):
        services.stock_out(item=tests_kit, quantity=11, by=None, lot=_lot(tests_kit, "A-1"), now=NOW)
    tests_kit.refresh_from_db()
    assert tests_kit.stock == 30


def test_a_lot_coming_in_expired_or_with_another_date_is_refused(tests_kit: Item) -> None:
    with pytest.raises(InvalidInput, match="expired on"):
        services.stock_in(
            item=tests_kit, quantity=1, by=None, lot="C-3", expires_on=TODAY - dt.timedelta(days=1), now=NOW
        )
    with pytest.raises(Conflict, match="another expiry date"):
        services.stock_in(
            item=tests_kit, quantity=1, by=None, lot="A-1", expires_on=TODAY + dt.timedelta(days=9), now=NOW
        )
    with pytest.raises(InvalidInput, match="lot number"):
        services.stock_in(item=tests_kit, quantity=1, by=None, expires_on=TODAY, now=NOW)
    assert not Lot.objects.filter(code="C-3").exists()
    tests_kit.refresh_from_db()
    assert tests_kit.stock == 30


def test_counting_a_lot_moves_the_item_too(tests_kit: Item) -> None:
    services.stock_count(
        item=tests_kit, counted=7, by=None, reason="three spoiled", lot=_lot(tests_kit, "A-1")
    )
    tests_kit.refresh_from_db()
    assert tests_kit.stock == 27
    assert _lot(tests_kit, "A-1").remaining == 7


def test_a_lot_of_another_item_is_refused(community: Any, tests_kit: Item) -> None:
    other = services.item_create(community=community, by=None, name="Gauze", unit="packs")
    services.stock_in(item=other, quantity=5, by=None)
    with pytest.raises(InvalidInput, match="not one of this item"):
        services.stock_out(item=other, quantity=1, by=None, lot=_lot(tests_kit, "A-1"), now=NOW)


def test_goods_without_lots_keep_working_as_before(community: Any) -> None:
    rice = services.item_create(community=community, by=None, name="Rice", unit="kg")
    services.stock_in(item=rice, quantity=5, by=None, reason="Food bank")
    services.stock_out(item=rice, quantity=2, by=None, reason="Saturday")
    rice.refresh_from_db()
    assert rice.stock == 3


def test_stock_keepers_are_told_once_before_a_lot_expires(tests_kit: Item, people: dict[str, Any]) -> None:
    assert jobs.expiry_warnings(NOW) == "1 lots about to expire told"
    told = Notification.objects.filter(kind="inventory.expiry")
    assert told.count() >= 1
    first = told.first()
    assert first is not None
    assert "A-1" in str(first.title)
    assert jobs.expiry_warnings(NOW) is None  # once per lot
    assert _lot(tests_kit, "B-2").warned_at is None


def test_expiring_lots_lists_the_soonest_first(community: Any, tests_kit: Item) -> None:
    soon = selectors.expiring_lots(community=community, until=TODAY + dt.timedelta(days=100))
    assert [lot.code for lot in soon] == ["A-1", "B-2"]
    assert timezone.localdate(NOW) == TODAY


def test_a_stock_keeper_discards_an_expired_lot_from_the_page(
    client_as: Any, series: Any, community: Any
) -> None:
    item = services.item_create(community=community, by=None, name="Gauze", unit="packs")
    services.stock_in(item=item, quantity=3, by=None, lot="G-1", expires_on=timezone.localdate())
    lot = _lot(item, "G-1")
    url = f"/c/riverside/inventory/{item.pk}/lots/{lot.pk}/discard/"
    assert client_as("member").post(url).status_code == 403
    page = client_as("organiser").get(f"/c/riverside/inventory/{item.pk}/").content.decode()
    assert "G-1" in page and "Take off the shelf" in page
    assert client_as("organiser").post(url).status_code == 302
    item.refresh_from_db()
    assert item.stock == 0
