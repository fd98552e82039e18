"""The standing need the supply warning compares against, read from the community: the weekly need
the food group types, the open food requests (households) times a crop's portion, the shares
committed, and the pantry's usage of the crop. Each source, on its own, moves the warning."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dualpower.aid.models import AidRequest
from dualpower.core.food import forecast
from dualpower.core.food.forecast import NeedParts
from dualpower.food.models.plate import PantryLink
from dualpower.food.selectors import growing as selectors
from dualpower.food.services import growing as services
from dualpower.food.tests.factories_growing import make_crop, make_planting, make_plot, make_site
from dualpower.food.tests.factories_plate import cycle, food_request, share
from dualpower.inventory import services as inventory

MONDAY = dt.date(2026, 6, 1)


def test_the_parts_of_a_need_add_up_and_requests_count_households() -> None:
    parts = forecast.need_parts(
        [MONDAY, MONDAY + dt.timedelta(days=8)],
        typed={1: Decimal(5)},
        portions={1: Decimal("1.5"), 2: Decimal(2)},
        households=3,
        shares={(1, MONDAY): Decimal(4)},
        pantry={3: Decimal("2.5")},
    )
    later = MONDAY + dt.timedelta(weeks=1)
    assert parts[(1, MONDAY)] == NeedParts(
        typed=Decimal(5), requests=Decimal("4.5"), shares=Decimal(4), pantry=Decimal(0)
    )
    assert parts[(1, MONDAY)].total == Decimal("13.5")
    assert parts[(1, later)].total == Decimal("9.5")  # the shares are the week's, the rest stands
    assert parts[(2, later)].requests == Decimal(6)
    assert parts[(3, MONDAY)].pantry == Decimal("2.5")
    assert forecast.weekly_usage(10, 4) == Decimal("2.5")
    assert forecast.requests_need(0, Decimal(3)) == 0
    with pytest.raises(ValueError, match="whole number"):
        forecast.requests_need(-1, Decimal(1))


@pytest.mark.django_db
def test_each_source_of_need_moves_the_warning(community: Any, people: dict[str, Any]) -> None:
    today = dt.date.today()
    week = forecast.monday(today)
    later = today + dt.timedelta(weeks=1)  # the pantry's usage counts whole weeks before "today"
    crop = make_crop(community, "Beans", days=30, rate="2")
    # 10 m² at 2 kg → 20 kg, all in this week.
    make_planting(make_plot(make_site(community)), crop, seeded=week - dt.timedelta(days=30), area="10")

    def short_by() -> Decimal:
        season = selectors.season_forecast(community=community, weeks=[week], today=later)
        assert season.supply[(crop.pk, week)] == Decimal(20)
        found = [s.missing for s in season.shortfalls if s.crop_id == crop.pk]
        return found[0] if found else Decimal(0)

    assert short_by() == 0
    # Typed need alone: 25 > 20.
    services.crop_set_numbers(crop=crop, yield_per_m2="2", weekly_need="25", by=None)
    assert short_by() == Decimal(5)
    services.crop_set_numbers(crop=crop, yield_per_m2="2", weekly_need="", by=None)
    assert short_by() == 0

    # Open food requests: three households × 8 kg = 24; a closed request does not count; without a
    # portion the requests are not turned into this crop.
    requests = [food_request(community) for _ in range(3)]
    closed = food_request(community)
    AidRequest.objects.filter(pk=closed.pk).update(status=AidRequest.Status.FULFILLED)
    food_request(community, category="housing")
    assert short_by() == 0
    services.crop_set_numbers(crop=crop, yield_per_m2="2", weekly_need="", household_portion="8", by=None)
    assert short_by() == Decimal(4)
    AidRequest.objects.filter(pk__in=[r.pk for r in requests[1:]]).update(status=AidRequest.Status.CANCELLED)
    assert short_by() == 0  # one household: 8 kg

    # Shares: 30 shares' worth of basket (size 1 each, 0.5 kg) = 15 kg, on top of the 8.
    shares_cycle = cycle(community, basket={crop: "0.5"})
    for _ in range(30):
        share(shares_cycle)
    assert short_by() == Decimal(3)
    services.crop_set_numbers(crop=crop, yield_per_m2="2", weekly_need="", household_portion="", by=None)
    assert short_by() == 0  # 15 of 20

    # The pantry: 40 kg out of the crop's item in the last four weeks = 10 a week, on top of 15.
    item = inventory.item_create(community=community, by=None, name="Beans", unit="kg")
    PantryLink.objects.create(crop=crop, item=item)
    inventory.stock_in(item=item, quantity=50, by=None)
    inventory.stock_out(item=item, quantity=40, by=None)
    assert short_by() == Decimal(5)
    parts = selectors.need_parts(community=community, weeks=[week], today=later)[(crop.pk, week)]
    assert parts == NeedParts(shares=Decimal(15), pantry=Decimal(10))
    # Counted over whole weeks before today: this week's stock-out is not yet usage.
    assert selectors.pantry_usage(community=community, today=today) == {}


@pytest.mark.django_db
def test_the_plan_shows_where_the_need_comes_from(client_for: Any, community: Any) -> None:
    crop = make_crop(community, "Chard", days=30, rate="1")
    services.crop_set_numbers(crop=crop, yield_per_m2="1", weekly_need="3", household_portion="2", by=None)
    food_request(community)
    page = client_for("member").get(f"/c/{community.slug}/food/gardens/plan/").content.decode()
    assert "Where the need comes from" in page
    assert "Food requests" in page and "Pantry use" in page
    api = client_for("member").get(f"/api/v1/communities/{community.slug}/food/gardens/forecast?weeks=1")
    row = api.json()[0]
    assert (row["needed_typed"], row["needed_requests"], row["needed"]) == ("3.000", "2.000", "5.000")
