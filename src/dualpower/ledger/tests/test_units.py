"""Amounts typed at the boundary are read exactly in the currency's smallest unit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualpower.errors import InvalidInput
from dualpower.formatting import format_amount, format_minutes
from dualpower.ledger.models import Currency
from dualpower.ledger.units import units_of

ROOTS = Currency(kind=Currency.Kind.MUTUAL_CREDIT, decimals=2, symbol="R")
HOURS = Currency(kind=Currency.Kind.TIME_BANK, decimals=0, symbol="h")


@pytest.mark.parametrize(
    ("value", "units"), [("12.50", 1250), (" 3 ", 300), ("1,250.00", 125000), (1250, 1250)]
)
def test_an_amount_is_read_in_cents_and_an_integer_is_already_cents(value: object, units: int) -> None:
    assert units_of(ROOTS, value) == units


@pytest.mark.parametrize(("value", "minutes"), [("1:30", 90), ("1.5", 90), ("90m", 90), (90, 90)])
def test_a_time_bank_reads_hours_as_minutes(value: object, minutes: int) -> None:
    assert units_of(HOURS, value) == minutes


@pytest.mark.parametrize(
    ("currency", "value"), [(ROOTS, "12.505"), (ROOTS, "-5"), (ROOTS, "0"), (HOURS, "0.01")]
)
def test_too_many_decimals_nothing_or_less_is_refused_not_rounded(currency: Currency, value: str) -> None:
    with pytest.raises(InvalidInput):
        units_of(currency, value)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=4))
def test_a_limit_shown_in_a_form_reads_back_the_same(units: int, decimals: int) -> None:
    currency = Currency(kind=Currency.Kind.MUTUAL_CREDIT, decimals=decimals)
    text = format_amount(units, decimals=decimals, grouping=False)
    assert units_of(currency, text, allow_zero=True) == units


@given(st.integers(min_value=0, max_value=10**9))
def test_a_time_limit_shown_in_a_form_reads_back_the_same(minutes: int) -> None:
    assert units_of(HOURS, format_minutes(minutes, grouping=False), allow_zero=True) == minutes
