"""Growing, as the gardeners live it: plans that forecast their harvest, harvests logged by the
people on the plot, bad quantities refused with a sentence, rates learned from past harvests, the
seed library, rescue pickups, and the supply warning on a constructed season."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput
from dualpower.food.models.growing import FoodSeries, Log, Planting, SeedLoan
from dualpower.food.selectors import growing as selectors
from dualpower.food.services import growing as services
from dualpower.food.tests.factories_growing import (
    make_crop,
    make_harvest,
    make_planting,
    make_plot,
    make_site,
    member,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 6, 1)


@pytest.fixture
def garden(community: Any, people: dict[str, Any]) -> dict[str, Any]:
    steward = member(people, "member", community)
    site = make_site(community, "Freedom Garden")
    plot = make_plot(site, name="Bed 1", area="40", steward=steward)
    crop = make_crop(community, "Tomato", days=75, rate="3.5")
    return {"site": site, "plot": plot, "crop": crop, "steward": steward}


def test_a_planting_expects_its_harvest_and_yield(garden: dict[str, Any]) -> None:
    planting = make_planting(garden["plot"], garden["crop"], seeded=dt.date(2026, 4, 1), area="10")
    assert planting.expected_harvest == dt.date(2026, 6, 15)
    assert planting.expected_quantity == Decimal("35.000")
    seeding = Log.objects.get(planting=planting)
    assert (seeding.kind, seeding.status) == (Log.Kind.SEEDING, Log.Status.PENDING)


def test_a_planting_without_an_area_takes_the_whole_plot(garden: dict[str, Any]) -> None:
    planting = make_planting(garden["plot"], garden["crop"])
    assert planting.area_m2 == Decimal(40)
    assert planting.expected_quantity == Decimal("140.000")


def test_a_planting_larger_than_its_plot_is_refused(garden: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput, match="larger than its plot"):
        make_planting(garden["plot"], garden["crop"], area="41")
    assert not Planting.objects.exists()


def test_a_harvest_is_counted_in_the_crops_unit_and_the_planting_grows(garden: dict[str, Any]) -> None:
    planting = make_planting(garden["plot"], garden["crop"])
    log = services.harvest_log(planting=planting, quantity="2.5", by=garden["steward"])
    assert (log.kind, log.quantity, log.unit, log.crop_id) == (
        "harvest",
        Decimal("2.500"),
        "kg",
        garden["crop"].pk,
    )
    planting.refresh_from_db()
    assert planting.status == Planting.Status.GROWING
    assert Log.objects.get(planting=planting, kind=Log.Kind.SEEDING).status == Log.Status.DONE
    assert AuditEntry.objects.filter(action="food.log_harvest").count() == 1


def test_quantities_are_read_in_the_language_of_the_person(garden: dict[str, Any]) -> None:
    planting = make_planting(garden["plot"], garden["crop"])
    with translation.override("es"):
        log = services.harvest_log(planting=planting, quantity="2,5", by=garden["steward"])
    assert log.quantity == Decimal("2.5")


@pytest.mark.parametrize(
    ("quantity", "sentence"),
    [
        ("", "is needed"),
        ("-3", "cannot be negative"),
        ("abc", "must be written as a number"),
        ("1.2345", "at most 3 decimal places"),
        ("0", "A harvest or a pickup of nothing"),
        ("2000000", "too large"),
        (Decimal("NaN"), "must be a number"),
        (Decimal("0.0001"), "at most 3 decimal places"),
    ],
)
def test_bad_quantities_are_refused_with_a_sentence_and_nothing_written(
    garden: dict[str, Any], quantity: object, sentence: str
) -> None:
    planting = make_planting(garden["plot"], garden["crop"])
    with pytest.raises(InvalidInput, match=sentence) as refused:
        services.harvest_log(planting=planting, quantity=quantity, by=garden["steward"])
    assert refused.value.field == "quantity"
    assert not Log.objects.filter(kind=Log.Kind.HARVEST).exists()


def test_a_bad_unit_is_refused(garden: dict[str, Any]) -> None:
    planting = make_planting(garden["plot"], garden["crop"])
    with pytest.raises(InvalidInput, match="Choose one of") as refused:
        services.harvest_log(planting=planting, quantity="1", unit="bushels", by=garden["steward"])
    assert refused.value.field == "unit"


def test_a_harvest_needs_a_crop(community: Any, garden: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput, match="which crop"):
        services.log_create(
            community=community, kind="harvest", quantity="3", unit="kg", by=garden["steward"]
        )


def test_a_log_of_another_communitys_planting_is_refused(
    other_community: Any, garden: dict[str, Any]
) -> None:
    planting = make_planting(garden["plot"], garden["crop"])
    with pytest.raises(InvalidInput, match="planting of this community"):
        services.log_create(community=other_community, kind="observation", planting=planting, by=None)


def test_two_harvests_of_one_planting_are_both_kept(
    garden: dict[str, Any], people: dict[str, Any], community: Any
) -> None:
    planting = make_planting(garden["plot"], garden["crop"])
    make_harvest(planting, "1.5", garden["steward"])
    make_harvest(planting, "2.25", member(people, "coordinator", community))
    assert selectors.planting_get(community=community, pk=planting.pk).harvested == Decimal("3.750")  # type: ignore[attr-defined]


def test_finished_plantings_teach_the_crops_yield(community: Any, garden: dict[str, Any]) -> None:
    crop = garden["crop"]
    for picked in ("100", "60"):
        planting = make_planting(garden["plot"], crop)  # 40 m² each
        make_harvest(planting, picked, garden["steward"])
        services.planting_set_status(planting=planting, status="finished", by=None)
    rate = selectors.crop_yield(crop=crop)
    assert (rate.per_m2, rate.learned) == (Decimal("2.000"), True)
    assert selectors.crop_yields(community=community)[crop.pk] == rate
    # A new planting is forecast with what was learned, not the 3.5 the community set.
    assert make_planting(garden["plot"], crop, area="10").expected_quantity == Decimal("20.000")


def test_the_community_sets_a_crops_yield_and_need(garden: dict[str, Any]) -> None:
    crop = services.crop_set_numbers(crop=garden["crop"], yield_per_m2="4", weekly_need="12.5", by=None)
    assert (crop.yield_per_m2, crop.weekly_need) == (Decimal("4.000"), Decimal("12.500"))
    crop = services.crop_set_numbers(crop=crop, yield_per_m2="", weekly_need=None, by=None)
    assert (crop.yield_per_m2, crop.weekly_need) == (None, None)


def test_a_crop_name_is_unique_in_a_community(community: Any, garden: dict[str, Any]) -> None:
    with pytest.raises(Conflict, match="already a crop"):
        make_crop(community, "tomato")


def test_plot_people_must_be_of_the_community(
    garden: dict[str, Any], people: dict[str, Any], other_community: Any
) -> None:
    outsider = member(people, "outsider", other_community)
    with pytest.raises(InvalidInput, match="member of this community"):
        services.plot_update(plot=garden["plot"], gardeners=[outsider], by=None)


# --- the seed library ---


def test_seed_is_lent_and_comes_back_as_a_new_lot(community: Any, garden: dict[str, Any]) -> None:
    lot = services.seed_lot_create(
        community=community,
        variety="Cherokee Purple",
        quantity="40",
        crop=garden["crop"],
        germination_rate=88,
        by=None,
    )
    loan = services.seed_lend(lot=lot, borrower=garden["steward"], quantity="5", by=garden["steward"])
    lot.refresh_from_db()
    assert lot.quantity == Decimal(35)
    back = services.seed_return(loan=loan, quantity="60", germination_rate=90, by=garden["steward"])
    assert back.status == SeedLoan.Status.RETURNED
    assert back.returned_lot is not None
    assert (back.returned_lot.parent_id, back.returned_lot.quantity, back.returned_lot.variety) == (
        lot.pk,
        Decimal(60),
        "Cherokee Purple",
    )
    with pytest.raises(Conflict, match="already closed"):
        services.seed_return(loan=loan, quantity="1", by=garden["steward"])


def test_more_seed_than_the_library_holds_is_not_lent(community: Any, garden: dict[str, Any]) -> None:
    lot = services.seed_lot_create(community=community, variety="Lacinato", quantity="10", by=None)
    with pytest.raises(Conflict, match="holds only 10"):
        services.seed_lend(lot=lot, borrower=garden["steward"], quantity="10.5", by=None)
    lot.refresh_from_db()
    assert lot.quantity == Decimal(10)
    assert not SeedLoan.objects.exists()


def test_a_germination_rate_is_a_percentage(community: Any) -> None:
    with pytest.raises(InvalidInput, match="from 0 to 100"):
        services.seed_lot_create(
            community=community, variety="X", quantity="1", germination_rate=120, by=None
        )


# --- work days and rescue pickups ---


def test_a_rescue_round_is_an_activity_with_shifts_and_logs_the_weight_saved(
    community: Any, people: dict[str, Any]
) -> None:
    coordinator = member(people, "coordinator", community)
    link = services.food_series_create(
        community=community,
        kind=FoodSeries.Kind.RESCUE,
        by=coordinator,
        title="Bakery pickup",
        starts_on=dt.date.today() + dt.timedelta(days=1),
        start_time=dt.time(18),
        shifts=[("Rider", 2)],
        source="Old Market bakery",
        weekdays=[(dt.date.today() + dt.timedelta(days=1)).weekday()],
    )
    first = link.series.activities.first()
    assert first is not None
    assert [s.label for s in first.slots.all()] == ["Rider"]
    log = services.rescue_log(food_series=link, quantity="14.2", by=member(people, "member", community))
    assert (log.kind, log.quantity, log.unit, log.source) == (
        "rescue",
        Decimal("14.200"),
        "kg",
        "Old Market bakery",
    )
    assert selectors.rescued_by_series(community=community) == {link.pk: Decimal("14.200")}


def test_a_rescue_round_says_where_the_food_comes_from(community: Any, people: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput, match="rescued from"):
        services.food_series_create(
            community=community,
            kind=FoodSeries.Kind.RESCUE,
            by=member(people, "coordinator", community),
            title="Pickup",
            starts_on=dt.date.today(),
            start_time=dt.time(18),
            shifts=[("Rider", 2)],
        )


# --- the season forecast and the supply warning ---


def test_expected_supply_by_crop_and_week(community: Any, garden: dict[str, Any]) -> None:
    # 10 m² at 3.5 → 35 kg, ready Monday 1 June, over two weeks.
    make_planting(garden["plot"], garden["crop"], seeded=MONDAY - dt.timedelta(days=75), area="10", weeks=2)
    kale = make_crop(community, "Kale", days=50, unit="bunch", rate=None)  # no rate: nothing expected
    make_planting(garden["plot"], kale, seeded=MONDAY - dt.timedelta(days=50), area="10")
    supply = selectors.expected_supply(
        community=community, weeks=[MONDAY, MONDAY + dt.timedelta(days=9), MONDAY + dt.timedelta(weeks=2)]
    )
    tomato = garden["crop"].pk
    assert supply == {
        (tomato, MONDAY): Decimal("17.500"),
        (tomato, MONDAY + dt.timedelta(weeks=1)): Decimal("17.500"),
    }


def test_finished_and_failed_plantings_are_not_expected(community: Any, garden: dict[str, Any]) -> None:
    planting = make_planting(garden["plot"], garden["crop"], seeded=MONDAY - dt.timedelta(days=75))
    services.planting_set_status(planting=planting, status="failed", by=None)
    assert selectors.expected_supply(community=community, weeks=[MONDAY]) == {}


def test_the_supply_warning_on_a_constructed_season(community: Any, garden: dict[str, Any]) -> None:
    tomato = garden["crop"]
    lettuce = make_crop(community, "Lettuce", days=45, unit="each", rate="9")
    services.crop_set_numbers(crop=tomato, yield_per_m2="3.5", weekly_need="20", by=None)
    services.crop_set_numbers(crop=lettuce, yield_per_m2="9", weekly_need="50", by=None)
    # Tomatoes: 40 m² → 140 kg over 4 weeks = 35 a week from 1 June: enough for a need of 20.
    make_planting(garden["plot"], tomato, seeded=MONDAY - dt.timedelta(days=75), weeks=4)
    # Lettuce: 5 m² → 45 heads in the week of 8 June only: short that week (50), nothing the others.
    make_planting(garden["plot"], lettuce, seeded=MONDAY + dt.timedelta(days=7 - 45), area="5")
    weeks = [MONDAY + dt.timedelta(weeks=i) for i in range(3)]
    season = selectors.season_forecast(community=community, weeks=weeks)
    assert [(s.crop_id, s.week, s.expected, s.needed) for s in season.shortfalls] == [
        (lettuce.pk, weeks[0], Decimal(0), Decimal(50)),
        (lettuce.pk, weeks[1], Decimal(45), Decimal(50)),
        (lettuce.pk, weeks[2], Decimal(0), Decimal(50)),
    ]
    assert {c.name for c in season.crops} == {"Tomato", "Lettuce"}
