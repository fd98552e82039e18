"""demo of the food app."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal as _D

from django.utils import timezone as _tz

from dualpower.demo import Demo as _Demo
from dualpower.food.demo_plate import load as load_plate  # noqa: F401
from dualpower.food.models.growing import FoodSeries as _FoodSeries
from dualpower.food.models.growing import Planting as _Planting
from dualpower.food.services import growing as _growing
from dualpower.land import selectors as _land
from dualpower.members.models import Membership as _Membership

# A community garden on the land trust's land and a rooftop, six crops, a season's plan (two
# tomato plantings of last season finished, so the tomato's yield is learned), harvest logs, a
# seed library with a loan out, a weekly work day and a weekly bakery rescue round. Dates are
# relative to today, so the forecast always has coming weeks to show. Deterministic.


# name, family, days to maturity, unit, yield per m², weekly need (pantry and food aid)
_CROPS = (
    ("Tomato", "Nightshades", 75, "kg", "3.5", "25"),
    ("Kale", "Brassicas", 55, "bunch", "6", "30"),
    ("Potato", "Nightshades", 100, "kg", "3", "40"),
    ("Lettuce", "Asters", 45, "each", "9", "60"),
    ("Runner beans", "Legumes", 60, "kg", "1.5", None),
    ("Squash", "Cucurbits", 50, "kg", "5", None),
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


def load_gardens(demo: _Demo) -> None:
    community, by = demo.community, demo.coordinator
    today = _tz.localdate()
    people = [m for m in demo.members if m.role != _Membership.Role.OBSERVER and m.is_active]
    gardeners = [m for m in people if m.pk not in (by.pk, demo.member.pk)][:6]
    parcel = next(iter(_land.parcels_of(community=community)), None)
    sites = {
        "Freedom Garden": _growing.site_create(
            community=community,
            name="Freedom Garden",
            place="Riverside",
            parcel=parcel,
            description="Beds and a long field on the land trust's land, open to all on work days.",
            by=by,
        ),
        "Hillcrest rooftop": _growing.site_create(
            community=community, name="Hillcrest rooftop", place="Hillcrest", by=by
        ),
    }
    crops = {
        name: _growing.crop_create(
            community=community,
            name=name,
            family=family,
            days_to_maturity=days,
            unit=unit,
            yield_per_m2=_D(rate),
            by=by,
        )
        for name, family, days, unit, rate, _need in _CROPS
    }
    for name, _family, _days, _unit, rate, need in _CROPS:
        if need is not None:
            _growing.crop_set_numbers(crop=crops[name], yield_per_m2=_D(rate), weekly_need=_D(need), by=by)
    plots = {}
    for i, (site, name, area) in enumerate(_PLOTS):
        steward = demo.member if i < 2 else gardeners[i % len(gardeners)] if gardeners else None
        plots[name] = _growing.plot_create(
            site=sites[site],
            name=name,
            area_m2=_D(area),
            season=str(today.year),
            steward=steward,
            gardeners=gardeners[i : i + 3],
            by=by,
        )
    # Last season: two tomato plantings finished, their harvests logged (the yield is learned).
    for offset, picked in ((400, "130.5"), (380, "118")):
        old = _growing.planting_create(
            plot=plots["Bed 1"],
            crop=crops["Tomato"],
            seeding_date=today - _dt.timedelta(days=offset),
            harvest_weeks=4,
            by=by,
        )
        _growing.harvest_log(
            planting=old,
            quantity=_D(picked),
            by=demo.member,
            lot=f"T-{today.year - 1}-{offset}",
            at=_tz.now() - _dt.timedelta(days=offset - 80),
        )
        _growing.planting_set_status(planting=old, status=_Planting.Status.FINISHED, by=by)
    for plot, crop, offset, weeks in _PLAN:
        planting = _growing.planting_create(
            plot=plots[plot],
            crop=crops[crop],
            seeding_date=today + _dt.timedelta(days=offset),
            harvest_weeks=weeks,
            by=by,
        )
        if offset < 0:
            _growing.planting_set_status(planting=planting, status=_Planting.Status.GROWING, by=by)
        if planting.expected_harvest <= today:
            for day in (6, 3, 1):
                _growing.harvest_log(
                    planting=planting,
                    quantity=_D(demo.rng.randint(20, 90)) / 10,
                    by=demo.member if plot in ("Bed 1", "Bed 2") else (planting.plot.steward or by),
                    lot=f"{crop[:3].upper()}-{(today - _dt.timedelta(days=day)).isoformat()}",
                    at=_tz.now() - _dt.timedelta(days=day, hours=2),
                )
    _growing.log_create(
        community=community,
        kind="input",
        by=by,
        name="Compost on the long field",
        quantity=_D(300),
        unit="kg",
        notes="From the community compost heap.",
        at=_tz.now() - _dt.timedelta(days=90),
    )
    _growing.log_create(
        community=community,
        kind="observation",
        by=demo.member,
        planting=next(p for p in plots["Bed 2"].plantings.all() if p.crop_id == crops["Kale"].pk),
        notes="Cabbage whites on the kale: netting put up.",
        at=_tz.now() - _dt.timedelta(days=12),
    )
    # The seed library.
    tomato_seed = _growing.seed_lot_create(
        community=community,
        variety="Cherokee Purple",
        crop=crops["Tomato"],
        saved_from="Freedom Garden, Bed 1",
        saved_on=today - _dt.timedelta(days=300),
        germination_rate=88,
        quantity=_D(40),
        by=by,
    )
    _growing.seed_lot_create(
        community=community,
        variety="Lacinato",
        crop=crops["Kale"],
        saved_from="A neighbour's garden in Los Pinos",
        germination_rate=75,
        quantity=_D(25),
        by=by,
    )
    _growing.seed_lot_create(
        community=community,
        variety="Scarlet Emperor",
        crop=crops["Runner beans"],
        saved_from="The rooftop, last season",
        germination_rate=92,
        quantity=_D(60),
        by=by,
    )
    _growing.seed_lend(lot=tomato_seed, borrower=demo.member, quantity=_D(5), by=demo.member)
    # A weekly work day and a weekly rescue round, as activities with shifts.
    saturday = today + _dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    _growing.food_series_create(
        community=community,
        kind=_FoodSeries.Kind.WORK_DAY,
        by=by,
        title="Saturday work day at Freedom Garden",
        starts_on=saturday,
        start_time=_dt.time(9, 30),
        shifts=[("Beds and weeding", 8), ("Harvest and wash", 4)],
        site=sites["Freedom Garden"],
        weekdays=[5],
        duration_minutes=180,
    )
    bakery = _growing.food_series_create(
        community=community,
        kind=_FoodSeries.Kind.RESCUE,
        by=by,
        title="Old Market bakery pickup",
        starts_on=today + _dt.timedelta(days=1),
        start_time=_dt.time(18, 0),
        shifts=[("Cargo bike rider", 2)],
        source="Old Market bakery",
        place="Old Market",
        weekdays=[(today + _dt.timedelta(days=1)).weekday()],
        duration_minutes=60,
    )
    for weeks_ago, kilos in ((3, "14.2"), (2, "11.8"), (1, "16.5")):
        _growing.rescue_log(
            food_series=bakery,
            quantity=_D(kilos),
            by=demo.member,
            at=_tz.now() - _dt.timedelta(weeks=weeks_ago),
        )
    demo.say("Gardens: 2 sites, 5 plots, 6 crops, a season's plan, harvest logs, a seed library, rescues.")


# A share cycle with a pledging round and a week's allocation (food/demo_plate.py).
