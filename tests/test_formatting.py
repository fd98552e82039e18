"""dualpower.formatting and {% load numbers %}: one way to write numbers and money, in the reader's
language."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation

from dualpower.formatting import format_amount, format_minutes, format_money, format_number

NBSP = "\u00a0"


@dataclass
class Currency:
    decimals: int = 2
    symbol: str = "R"
    is_time_bank: bool = False


def test_numbers_take_the_languages_separators() -> None:
    with translation.override("en"):
        assert format_number(1234567) == "1,234,567"
        assert format_number(Decimal("1234.5"), decimals=2) == "1,234.50"
        assert format_number(1234567, grouping=False) == "1234567"
    with translation.override("es"):
        assert format_number(1234567) == f"1{NBSP}234{NBSP}567"
        assert format_number(Decimal("1234.5"), decimals=2) == f"1{NBSP}234,50"


@pytest.mark.parametrize(
    ("units", "kwargs", "english", "spanish"),
    [
        (123456, {}, "1,234.56", f"1{NBSP}234,56"),
        (123456, {"currency": "EUR"}, "1,234.56 EUR", f"1{NBSP}234,56 EUR"),
        (100000, {"currency": "EUR", "trim": True}, "1,000 EUR", f"1{NBSP}000 EUR"),
        (100050, {"currency": "EUR", "trim": True}, "1,000.50 EUR", f"1{NBSP}000,50 EUR"),
        (-250, {}, "-2.50", "-2,50"),
        (5, {}, "0.05", "0,05"),
        (150050, {"grouping": False}, "1500.50", "1500,50"),
        (1234, {"decimals": 0}, "1,234", f"1{NBSP}234"),
        (1, {"decimals": 4}, "0.0001", "0,0001"),
        (10**17 + 1, {}, "1,000,000,000,000,000.01", f"1{NBSP}000{NBSP}000{NBSP}000{NBSP}000{NBSP}000,01"),
    ],
)
def test_amounts_in_the_smallest_unit_are_shifted_exactly(
    units: int, kwargs: dict, english: str, spanish: str
) -> None:
    with translation.override("en"):
        assert format_amount(units, **kwargs) == english
    with translation.override("es"):
        assert format_amount(units, **kwargs) == spanish


def test_minutes_are_hours_and_minutes() -> None:
    assert format_minutes(90) == "1:30"
    assert format_minutes(-45) == "-0:45"
    assert format_minutes(60 * 1500) == "1,500:00"


def test_money_in_a_currency_code_or_a_currency() -> None:
    assert format_money(123456, "EUR") == "1,234.56 EUR"
    assert format_money(100000, "EUR", trim=True) == "1,000 EUR"
    assert format_money(None, "EUR") == ""
    assert format_money(None, "EUR", empty="—") == "—"
    assert format_money(1250, Currency()) == "12.50 R"
    assert format_money(7, Currency(decimals=0, symbol="")) == "7"
    assert format_money(90, Currency(decimals=0, symbol="", is_time_bank=True)) == "1:30 h"


def _render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


def test_the_one_template_library() -> None:
    source = (
        "{% load numbers %}{{ a|cents }}|{{ a|money:c }}|{{ b|money_trim:'EUR' }}|{{ a|number }}"
        "|{{ n|money:'EUR' }}"
    )
    assert (
        _render(source, a=123456, b=100000, c=Currency(), n=None) == "1,234.56|1,234.56 R|1,000 EUR|123,456|"
    )
    with translation.override("es"):
        assert _render("{% load numbers %}{{ a|cents }}", a=123456) == f"1{NBSP}234,56"


def test_cents_shows_nothing_for_what_is_not_an_amount() -> None:
    assert (
        _render("{% load numbers %}[{{ a|cents }}][{{ b|cents }}][{{ c|cents }}]", a=None, b="12", c=True)
        == "[][][]"
    )
