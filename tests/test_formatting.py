"""dualpower.formatting, {% load numbers %} and dualpower/formats: one way to write numbers, money and
moments, in the reader's language."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import engines
from django.utils import timezone, translation

from dualpower.formatting import (
    format_amount,
    format_date,
    format_datetime,
    format_decimal,
    format_minutes,
    format_money,
    format_number,
    format_percent,
    format_time,
)

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


# --- Moments: one named format per language -------------------------------------------------

MOMENT = dt.datetime(2026, 12, 12, 13, 40, tzinfo=dt.UTC)


def test_one_date_and_time_format_per_language() -> None:
    with translation.override("en"), timezone.override("UTC"):
        assert format_date(MOMENT.date()) == "Sat 12 Dec 2026"
        assert format_date(MOMENT) == "Sat 12 Dec 2026"
        assert format_time(MOMENT) == "13:40"
        assert format_datetime(MOMENT) == "Sat 12 Dec 2026, 13:40"
    with translation.override("es"), timezone.override("UTC"):
        assert format_date(MOMENT.date()) == "sáb 12 dic 2026"
        assert format_datetime(MOMENT) == "sáb 12 dic 2026, 13:40"
    assert format_date(None) == format_time(None) == format_datetime(None) == ""


def test_moments_are_written_in_the_current_time_zone() -> None:
    with translation.override("en"), timezone.override("Europe/Madrid"):
        assert format_datetime(MOMENT) == "Sat 12 Dec 2026, 14:40"
        assert format_time(MOMENT) == "14:40"


def test_templates_write_the_same_with_the_named_formats_and_a_plain_value() -> None:
    source = (
        '{{ m|date:"DATETIME_FORMAT" }}|{{ m|date:"SHORT_DATETIME_FORMAT" }}|{{ m }}'
        '|{{ d|date:"DATE_FORMAT" }}'
    )
    with translation.override("en"), timezone.override("UTC"):
        expected = (
            f"{format_datetime(MOMENT)}|{format_datetime(MOMENT)}|{format_datetime(MOMENT)}|Sat 12 Dec 2026"
        )
        assert _render(source, m=MOMENT, d=MOMENT.date()) == expected
    with translation.override("es"), timezone.override("UTC"):
        assert (
            _render('{{ m|time:"TIME_FORMAT" }} {{ m|date:"DATE_FORMAT" }}', m=MOMENT)
            == "13:40 sáb 12 dic 2026"
        )


def test_date_inputs_read_and_write_iso_in_every_language() -> None:
    """<input type="date"> and type="datetime-local" only understand ISO text."""
    from django import forms

    class When(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    for language in ("en", "es"):
        with translation.override(language), timezone.override("UTC"):
            form = When(initial={"day": MOMENT.date(), "at": MOMENT})
            assert 'value="2026-12-12"' in str(form["day"])
            assert 'value="2026-12-12T13:40"' in str(form["at"])
            bound = When(data={"day": "2026-12-12", "at": "2026-12-12T13:40"})
            assert bound.is_valid(), bound.errors
            assert bound.cleaned_data["at"] == MOMENT


def test_measures_and_shares() -> None:
    assert format_decimal(0.5) == "0.50"
    assert format_decimal(0.1 + 0.2) == "0.30"
    assert format_decimal(Decimal("2.345"), decimals=1) == "2.3"
    assert format_percent(Decimal("0.2000")) == "20%"
    assert format_percent(1 / 3, decimals=1) == "33.3%"
    with translation.override("es"):
        assert format_decimal(0.5) == "0,50"
        assert format_percent(0.2).startswith("20")
    assert _render(
        "{% load numbers %}{{ a|decimal }}|{{ a|decimal:1 }}|{{ s|percent }}|{{ n|percent }}",
        a=2.25,
        s=0.2,
        n=None,
    ) == ("2.25|2.2|20%|")


# --- One way: templates name their formats ----------------------------------------------------

SOURCE = Path(__file__).resolve().parents[1] / "src" / "dualpower"
NAMED = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "TIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "c",
}
FORMAT_IN_TEMPLATE = re.compile(r"\|(date|time):([\"'])([^\"']*)\2")


def test_templates_write_dates_only_with_the_named_formats() -> None:
    """A hand-made format ("j M, H:i", "D j M Y") beside the named ones is how one page came to show
    "12/06/2026 1:40 p.m." next to "Sat 12 Dec"; ``date:'c'`` is for machines (<time datetime>)."""
    wrong = []
    for path in sorted(SOURCE.rglob("*.html")) + sorted(SOURCE.rglob("*.txt")):
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in FORMAT_IN_TEMPLATE.finditer(line):
                if match.group(3) not in NAMED:
                    wrong.append(f"{path.relative_to(SOURCE)}:{line_no}: {match.group(0)}")
            if "|floatformat" in line:
                wrong.append(f"{path.relative_to(SOURCE)}:{line_no}: floatformat (use numbers' decimal)")
    assert not wrong, "use the named formats (dualpower/formats):\n" + "\n".join(wrong)
