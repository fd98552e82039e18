"""The demo garden (the share cycle and a week's allocation are food/demo_plate.py's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from dualpower.demo import Demo
from dualpower.food.models.growing import FoodSeries, Planting
from dualpower.food.services import growing
from dualpower.land import selectors as land
from dualpower.members.models import Membership

# A community garden on the land trust's land and a rooftop, six crops, a season's plan (two
# tomato plantings of last season finished, so the tomato's yield is learned), harvest logs, a
# seed library with a loan out, a weekly work day and a weekly bakery rescue round. Dates are
# relative to today, so the forecast always has coming weeks to show. Deterministic.


# name, family, days to maturity, unit, yield per m², weekly need (pantry and food aid), and the
# portion a week of a household asking for food
_CROPS = (
    ("Tomato", "Nightshades", 75, "kg", "3.5", "15", "1"),
    ("Kale", "Brassicas", 55, "bunch", "6", "20", "1"),
    ("Potato", "Nightshades", 100, "kg", "3", "25", "2"),
    ("Lettuce", "Asters", 45, "each", "9", "60", None),
    ("Runner beans", "Legumes", 60, "kg", "1.5", None, None),
    ("Squash", "Cucurbits", 50, "kg", "5", None, None),
)
# site, plot, m²
_PLOTS = (
    ("Freedom Garden", "Bed 1", "40"),
    ("Freedom Garden", "Bed 2", "40"),
    ("Freedom Garden", "Bed 3", "60"),
    ("Freedom Garden", "Long field", "250"),
    ("Hillcrest rooftop", "Rooftop beds", "30"),
)
# plot, crop, days from today the seeding was (negative: in the past), weeks of harvest
_PLAN = (
    ("Bed 1", "Tomato", -90, 6),
    ("Bed 2", "Kale", -65, 8),
    ("Bed 3", "Lettuce", -50, 3),
    ("Long field", "Potato", -85, 3),
    ("Rooftop beds", "Runner beans", -45, 5),
    ("Bed 2", "Squash", -20, 4),
    ("Bed 3", "Lettuce", 7, 3),
)

# variety, crop, saved from, germination rate (%), grams
_SEEDS = (
    ("Cherokee Purple", "Tomato", "Freedom Garden, Bed 1", 88, 40),
    ("Lacinato", "Kale", "A neighbour's garden in Los Pinos", 75, 25),
    ("Scarlet Emperor", "Runner beans", "The rooftop, last season", 92, 60),
)


def load_gardens(demo: Demo) -> None:
    community, by = demo.community, demo.coordinator
    today = timezone.localdate()
    people = [m for m in demo.members if m.role != Membership.Role.OBSERVER and m.is_active]
    gardeners = [m for m in people if m.pk not in (by.pk, demo.member.pk)][:6]
    parcel = next(iter(land.parcels_of(community=community)), None)
    sites = {
        "Freedom Garden": growing.site_create(
            community=community,
            name="Freedom Garden",
            place="Riverside",
            parcel=parcel,
            description="Beds and a long field on the land trust's land, open to all on work days.",
            by=by,
        ),
        "Hillcrest rooftop": growing.site_create(
            community=community, name="Hillcrest rooftop", place="Hillcrest", by=by
        ),
    }
    crops = {
        name: growing.crop_create(
            community=community,
            name=name,
            family=family,
            days_to_maturity=days,
            unit=unit,
            yield_per_m2=Decimal(rate),
            by=by,
        )
        for name, family, days, unit, rate, _need, _portion in _CROPS
    }
    for name, _family, _days, _unit, rate, need, portion in _CROPS:
        if need is not None:
            growing.crop_set_numbers(
                crop=crops[name], yield_per_m2=rate, weekly_need=need, household_portion=portion, by=by
            )
    plots = {}
    for i, (site, name, area) in enumerate(_PLOTS):
        steward = demo.member if i < 2 else gardeners[i % len(gardeners)] if gardeners else None
        plots[name] = growing.plot_create(
            site=sites[site],
            name=name,
            area_m2=Decimal(area),
            season=str(today.year),
            steward=steward,
            gardeners=gardeners[i : i + 3],
            by=by,
        )
    # Last season: two tomato plantings finished, their harvests logged (the yield is learned).
    for offset, picked in ((400, "130.5"), (380, "118")):
        old = growing.planting_create(
            plot=plots["Bed 1"],
            crop=crops["Tomato"],
            seeding_date=today - dt.timedelta(days=offset),
            harvest_weeks=4,
            by=by,
        )
        growing.harvest_log(
            planting=old,
            quantity=Decimal(picked),
            by=demo.member,
            lot=f"T-{today.year - 1}-{offset}",
            at=timezone.now() - dt.timedelta(days=offset - 80),
        )
        growing.planting_set_status(planting=old, status=Planting.Status.FINISHED, by=by)
    for plot, crop, offset, weeks in _PLAN:
        planting = growing.planting_create(
            plot=plots[plot],
            crop=crops[crop],
            seeding_date=today + dt.timedelta(days=offset),
            harvest_weeks=weeks,
            by=by,
        )
        if offset < 0:
            growing.planting_set_status(planting=planting, status=Planting.Status.GROWING, by=by)
        if planting.expected_harvest <= today:
            for day in (6, 3, 1):
                growing.harvest_log(
                    planting=planting,
                    quantity=Decimal(demo.rng.randint(20, 90)) / 10,
                    by=demo.member if plot in ("Bed 1", "Bed 2") else (planting.plot.steward or by),
                    lot=f"{crop[:3].upper()}-{(today - dt.timedelta(days=day)).isoformat()}",
                    at=timezone.now() - dt.timedelta(days=day, hours=2),
                )
    growing.log_create(
        community=community,
        kind="input",
        by=by,
        name="Compost on the long field",
        quantity=Decimal(300),
        unit="kg",
        notes="From the community compost heap.",
        at=timezone.now() - dt.timedelta(days=90),
    )
    growing.log_create(
        community=community,
        kind="observation",
        by=demo.member,
        planting=next(p for p in plots["Bed 2"].plantings.all() if p.crop_id == crops["Kale"].pk),
        notes="Cabbage whites on the kale: netting put up.",
        at=timezone.now() - dt.timedelta(days=12),
    )
    # The seed library: three lots, one lent out until the end of the season.
    lots = [
        growing.seed_lot_create(
            community=community,
            variety=variety,
            crop=crops[crop],
            saved_from=saved_from,
            saved_on=today - dt.timedelta(days=300) if crop == "Tomato" else None,
            germination_rate=rate,
            quantity=Decimal(grams),
            by=by,
        )
        for variety, crop, saved_from, rate, grams in _SEEDS
    ]
    growing.seed_lend(
        lot=lots[0],
        borrower=demo.member,
        quantity=Decimal(5),
        due_on=today + dt.timedelta(days=120),
        by=demo.member,
    )
    # A weekly work day and a weekly rescue round, as activities with shifts.
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    growing.food_series_create(
        community=community,
        kind=FoodSeries.Kind.WORK_DAY,
        by=by,
        title="Saturday work day at Freedom Garden",
        starts_on=saturday,
        start_time=dt.time(9, 30),
        shifts=[("Beds and weeding", 8), ("Harvest and wash", 4)],
        site=sites["Freedom Garden"],
        weekdays=[5],
        duration_minutes=180,
    )
    bakery = growing.food_series_create(
        community=community,
        kind=FoodSeries.Kind.RESCUE,
        by=by,
        title="Old Market bakery pickup",
        starts_on=today + dt.timedelta(days=1),
        start_time=dt.time(18, 0),
        shifts=[("Cargo bike rider", 2)],
        source="Old Market bakery",
        place="Old Market",
        weekdays=[(today + dt.timedelta(days=1)).weekday()],
        duration_minutes=60,
    )
    for weeks_ago, kilos in ((3, "14.2"), (2, "11.8"), (1, "16.5")):
        growing.rescue_log(
            food_series=bakery,
            quantity=Decimal(kilos),
            by=demo.member,
            at=timezone.now() - dt.timedelta(weeks=weeks_ago),
        )
    demo.say("Gardens: 2 sites, 5 plots, 6 crops, a season's plan, harvest logs, a seed library, rescues.")
