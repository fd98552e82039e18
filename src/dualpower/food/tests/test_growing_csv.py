"""Garden logs in and out in farmOS's CSV layout: our own sample rows, a round trip, pounds to
kilograms, and a bad row refused by its line with nothing written."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest

from dualpower.errors import InvalidInput
from dualpower.food.models.growing import FoodSeries, Log
from dualpower.food.selectors import growing as selectors
from dualpower.food.services import growing as services
from dualpower.food.services.growing_csv import COLUMNS, logs_import, logs_to_csv
from dualpower.food.tests.factories_growing import (
    make_crop,
    make_harvest,
    make_planting,
    make_plot,
    make_site,
    member,
)

pytestmark = pytest.mark.django_db

# Our own sample, written for these tests in farmOS's column layout.
SAMPLE = (
    "name,timestamp,status,type,assets,notes,categories,quantity measure,quantity value,quantity units,"
    "quantity label,lot number\r\n"
    "Pick tomatoes,2026-07-02T08:30:00+00:00,done,harvest,Tomato,Morning pick,,weight,12.5,kg,,T-0702\r\n"
    "Pick kale,2026-07-02,done,harvest,Kale,,,count,30,bunches,,\r\n"
    "Beans by the pound,2026-07-03,done,harvest,Runner beans,,,weight,10,lbs,,\r\n"
    "Mow paths,2026-07-03,done,activity,,,,,,,,\r\n"
    "Check for blight,2026-07-04,pending,observation,Tomato,Look under the leaves,,,,,,\r\n"
    "Bakery,2026-07-05,done,harvest,,Old Market bakery,food rescue,weight,14.2,kg,,\r\n"
)


@pytest.fixture
def crops(community: Any) -> dict[str, Any]:
    return {
        "Tomato": make_crop(community, "Tomato"),
        "Kale": make_crop(community, "Kale", unit="bunch"),
        "Runner beans": make_crop(community, "Runner beans"),
    }


def test_a_farmos_file_is_imported(community: Any, people: dict[str, Any], crops: dict[str, Any]) -> None:
    result = logs_import(community=community, text=SAMPLE, by=member(people, "coordinator", community))
    assert (result.created, result.skipped_kinds) == (5, 1)  # the activity log is not kept
    tomato = Log.objects.get(name="Pick tomatoes")
    assert (tomato.kind, tomato.quantity, tomato.unit, tomato.lot, tomato.crop_id) == (
        "harvest",
        Decimal("12.500"),
        "kg",
        "T-0702",
        crops["Tomato"].pk,
    )
    assert Log.objects.get(name="Pick kale").unit == "bunch"
    assert Log.objects.get(name="Beans by the pound").quantity == Decimal("4.535")  # 10 lb, rounded down
    assert Log.objects.get(name="Check for blight").status == "pending"
    rescue = Log.objects.get(kind=Log.Kind.RESCUE)
    assert (rescue.quantity, rescue.source) == (Decimal("14.200"), "Old Market bakery")


@pytest.mark.parametrize(
    ("row", "sentence"),
    [
        ("X,2026-07-02,done,harvest,Tomato,,,weight,12.5,bushels,,", "Line 3: the unit “bushels”"),
        ("X,yesterday,done,harvest,Tomato,,,weight,1,kg,,", "Line 3: the timestamp"),
        ("X,2026-07-02,finished,harvest,Tomato,,,weight,1,kg,,", "Line 3: the status"),
        ("X,2026-07-02,done,harvest,Tomato,,,weight,-4,kg,,", "Line 3: The quantity cannot be negative"),
        ("X,2026-07-02,done,harvest,Parsnip,,,weight,4,kg,,", "Line 3: Say which crop"),
        ("X,2026-07-02,done,harvest,Tomato,,,weight,lots,kg,,", "Line 3: the quantity must be a number"),
    ],
)
def test_a_bad_row_is_refused_by_its_line_and_nothing_is_written(
    community: Any, people: dict[str, Any], crops: dict[str, Any], row: str, sentence: str
) -> None:
    good = "Y,2026-07-01,done,harvest,Tomato,,,weight,1,kg,,"
    text = ",".join(COLUMNS) + "\r\n" + good + "\r\n" + row + "\r\n"
    with pytest.raises(InvalidInput, match=sentence):
        logs_import(community=community, text=text, by=member(people, "coordinator", community))
    assert not Log.objects.exists()


def test_a_file_without_the_columns_is_refused(community: Any, people: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput, match="not a farmOS log file"):
        logs_import(community=community, text="a,b\r\n1,2\r\n", by=member(people, "coordinator", community))


def test_logs_go_out_and_come_back_the_same(
    community: Any, people: dict[str, Any], crops: dict[str, Any]
) -> None:
    steward = member(people, "member", community)
    plot = make_plot(make_site(community), name="Bed 1", steward=steward)
    planting = make_planting(plot, crops["Tomato"])
    make_harvest(planting, "2.75", steward)
    link = services.food_series_create(
        community=community,
        kind=FoodSeries.Kind.RESCUE,
        by=member(people, "coordinator", community),
        title="Bakery",
        starts_on=dt.date.today(),
        start_time=dt.time(18),
        shifts=[("Rider", 1)],
        source="=Bakery",
    )
    services.rescue_log(food_series=link, quantity="9", by=steward)
    text = logs_to_csv(list(selectors.logs_for_export(community=community)))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["type"] for r in rows] == ["seeding", "harvest", "harvest"]
    assert rows[1]["assets"] == f"Tomato in Bed 1 ({planting.seeding_date.isoformat()})"
    assert rows[2]["categories"] == "food rescue"
    assert rows[2]["notes"].startswith("'=Bakery")  # never a formula in a spreadsheet
    before = {(log.kind, log.quantity, log.planting_id, log.unit) for log in Log.objects.all()}
    Log.objects.all().delete()
    logs_import(community=community, text=text, by=member(people, "coordinator", community))
    after = {(log.kind, log.quantity, log.planting_id, log.unit) for log in Log.objects.all()}
    assert after == before
