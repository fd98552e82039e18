"""Amounts are read exactly: never a float, never a silent rounding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualpower.ledger.amounts import AmountError, format_amount, format_minutes, parse_amount, parse_minutes


@pytest.mark.parametrize(
    ("text", "decimals", "units"),
    [
        ("12.50", 2, 1250),
        ("12,5", 2, 1250),
        ("1,250.00", 2, 125000),
        ("7", 0, 7),
        ("0.0001", 4, 1),
        (" 3 ", 2, 300),
    ],
)
def test_amounts_are_read_exactly_in_the_smallest_unit(text: str, decimals: int, units: int) -> None:
    assert parse_amount(text, decimals) == units


@pytest.mark.parametrize(
    ("text", "decimals"), [("12.505", 2), ("0.5", 0), ("1e3", 2), ("twelve", 2), ("", 2), ("1,000", 0)]
)
def test_too_many_decimals_or_not_a_number_is_refused_not_rounded(text: str, decimals: int) -> None:
    with pytest.raises(AmountError):
        parse_amount(text, decimals)


@pytest.mark.parametrize(
    ("text", "minutes"), [("1:30", 90), ("1.5", 90), ("90m", 90), ("2h", 120), ("0.25", 15)]
)
def test_time_is_read_as_whole_minutes(text: str, minutes: int) -> None:
    assert parse_minutes(text) == minutes


@pytest.mark.parametrize("text", ["0.01", "1:75", "an hour"])
def test_time_that_is_not_whole_minutes_is_refused(text: str) -> None:
    with pytest.raises(AmountError):
        parse_minutes(text)


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(min_value=0, max_value=4))
def test_formatting_and_reading_back_gives_the_same_units(units: int, decimals: int) -> None:
    assert parse_amount(format_amount(units, decimals), decimals) == units


@given(st.integers(min_value=0, max_value=10**9))
def test_minutes_round_trip(minutes: int) -> None:
    assert parse_minutes(format_minutes(minutes).replace("\u202f", "")) == minutes
