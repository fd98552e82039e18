"""The formatter's own writing of ints and Decimals is Django's ``formats.number_format``, to the
character, in both languages, with and without grouping and places."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.utils import formats, translation

from dualpower.formatting import format_amount, format_number


def _values() -> list[int | Decimal]:
    rng = random.Random(21)
    ints = [0, 1, -1, 9, 10, 99, 100, 999, 1000, -1000, 12345, -123456, 1234567, 10**12, -(10**15) - 7]
    ints += [rng.randint(-(10**9), 10**9) for _ in range(200)]
    decimals = [Decimal(v).scaleb(-p) for v in ints for p in (0, 1, 2, 3)]
    decimals += [
        Decimal("0.5"),
        Decimal("-0.5"),
        Decimal("-0.004"),
        Decimal("0.009"),
        Decimal("-0"),
        Decimal("1E+3"),
    ]
    decimals += [Decimal("0.00"), Decimal("123.4"), Decimal("-0.05"), Decimal("1E-7"), Decimal("5E+2")]
    return [*ints, *decimals]


@pytest.mark.parametrize("language", ["en", "es"])
def test_numbers_are_written_as_django_writes_them(language: str) -> None:
    with translation.override(language):
        for value in _values():
            for decimals in (None, 0, 1, 2, 3):
                for grouping in (True, False):
                    expected = formats.number_format(
                        value, decimal_pos=decimals, use_l10n=True, force_grouping=grouping
                    )
                    assert format_number(value, decimals=decimals, grouping=grouping) == expected, (
                        value,
                        decimals,
                        grouping,
                    )


def test_spanish_amounts_use_spanish_separators() -> None:
    with translation.override("es"):
        assert (
            format_amount(123456789, currency="EUR") == "1\xa0234\xa0567,89 EUR"
        )  # a no-break space groups Spanish thousands
    with translation.override("en"):
        assert format_amount(123456789, currency="EUR") == "1,234,567.89 EUR"
