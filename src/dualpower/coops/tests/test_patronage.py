"""Patronage: the year's surplus shared by hours worked, cash and retained, never a cent lost."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualpower.coops import selectors, services
from dualpower.coops.models import CapitalEntry, Cooperative, PatronageAllocation
from dualpower.coops.tests.conftest import place
from dualpower.coops.tests.factories import CoopMemberFactory, board_of
from dualpower.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


def _hours(coop: Cooperative, coop_people: Any) -> dict[int, int]:
    return {place(coop, coop_people["coop_board"]).pk: 1200, place(coop, coop_people["coop_member"]).pk: 800}


def test_the_allocation_is_shown_with_its_cash_and_retained_split(
    coop: Cooperative, coop_people: Any
) -> None:
    allocation = services.patronage_propose(
        coop=coop,
        year=2025,
        surplus=1_000_001,
        patronage=_hours(coop, coop_people),
        cash_percent=20,
        by=board_of(coop),
    )
    lines = list(allocation.lines.order_by("-patronage"))
    assert [line.amount for line in lines] == [600_001, 400_000]
    assert [line.cash for line in lines] == [120_001, 80_000]  # 20% rounded up for each member
    assert allocation.total_cash + allocation.total_retained == 1_000_001
    assert not CapitalEntry.objects.exists()  # proposing writes nothing to the register


def test_adopting_writes_each_retained_part_to_the_capital_register(
    coop: Cooperative, coop_people: Any
) -> None:
    allocation = services.patronage_propose(
        coop=coop,
        year=2025,
        surplus=50_000,
        patronage=_hours(coop, coop_people),
        cash_percent=30,
        by=board_of(coop),
    )
    services.patronage_adopt(allocation=allocation, by=board_of(coop))
    member = place(coop, coop_people["coop_member"])
    assert selectors.capital_for(member=member).amount == 20_000 - 6_000
    assert selectors.coop_totals(coop=coop)["amount"] == allocation.total_retained
    with pytest.raises(Conflict):
        services.patronage_adopt(allocation=allocation, by=board_of(coop))


def test_a_second_allocation_for_an_adopted_year_is_refused(coop: Cooperative, coop_people: Any) -> None:
    first = services.patronage_propose(
        coop=coop,
        year=2025,
        surplus=100,
        patronage=_hours(coop, coop_people),
        cash_percent=20,
        by=board_of(coop),
    )
    services.patronage_adopt(allocation=first, by=board_of(coop))
    with pytest.raises(Conflict):
        services.patronage_propose(
            coop=coop,
            year=2025,
            surplus=100,
            patronage=_hours(coop, coop_people),
            cash_percent=20,
            by=board_of(coop),
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cash_percent": 10}, "cash_percent"),  # below the bylaws' 20%
        ({"surplus": 0}, "surplus"),
        ({"surplus": 10.5}, "surplus"),
        ({"year": 1800}, "year"),
        ({"measure": "vibes"}, "measure"),
        ({"patronage": {}}, "patronage"),
        ({"patronage": {999999: 10}}, "patronage"),
        ({"patronage": "lots"}, "patronage"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    coop: Cooperative, coop_people: Any, changes: dict[str, Any], field: str
) -> None:
    args: dict[str, Any] = {
        "year": 2025,
        "surplus": 1000,
        "patronage": _hours(coop, coop_people),
        "cash_percent": 20,
    }
    args.update(changes)
    with pytest.raises(InvalidInput) as error:
        services.patronage_propose(coop=coop, by=board_of(coop), **args)
    assert error.value.field == field
    assert not PatronageAllocation.objects.exists()


def test_negative_patronage_is_refused(coop: Cooperative, coop_people: Any) -> None:
    hours = _hours(coop, coop_people)
    hours[next(iter(hours))] = -5
    with pytest.raises(InvalidInput):
        services.patronage_propose(
            coop=coop, year=2025, surplus=100, patronage=hours, cash_percent=20, by=board_of(coop)
        )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    surplus=st.integers(min_value=1, max_value=10**9),
    hours=st.lists(st.integers(min_value=0, max_value=5000), min_size=3, max_size=3).filter(any),
    cash=st.integers(min_value=20, max_value=100),
)
def test_never_a_cent_lost_or_invented(
    coop: Cooperative, coop_people: Any, surplus: int, hours: list[int], cash: int
) -> None:
    members = list(selectors.coop_members(coop=coop))
    while len(members) < 3:
        members.append(CoopMemberFactory.create(coop=coop))
    allocation = services.patronage_propose(
        coop=coop,
        year=2000 + PatronageAllocation.objects.count(),
        surplus=surplus,
        patronage={m.pk: h for m, h in zip(members, hours, strict=True)},
        cash_percent=cash,
        by=board_of(coop),
    )
    lines = list(allocation.lines.all())
    assert sum(line.amount for line in lines) == surplus
    assert sum(line.cash + line.retained for line in lines) == surplus
    assert all(line.cash * 100 >= line.amount * cash for line in lines)
