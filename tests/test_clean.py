"""dualpower.clean: values at the boundary refused with a sentence on their field, never guessed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import models
from django.utils import translation

from dualpower.clean import (
    MAX_AMOUNT,
    clean_amount,
    clean_choice,
    clean_date,
    clean_datetime,
    clean_int,
    clean_int_or_none,
    clean_minutes,
    clean_text,
)
from dualpower.errors import InvalidInput


def refusal(call: object, *args: object, **kwargs: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value


# --- text ------------------------------------------------------------------------------------


def test_text_is_stripped_and_none_is_empty() -> None:
    assert clean_text("  Food bank \n", field="name", label="A name", limit=20) == "Food bank"
    assert clean_text(None, field="name", label="A name", limit=20) == ""


def test_required_text_says_what_is_needed_on_its_field() -> None:
    error = refusal(clean_text, "   ", field="name", label="A co-op's name", limit=20, required=True)
    assert error.field == "name" and error.detail == "A co-op's name is needed."
    assert error.status == 400 and error.code == "invalid"


def test_text_past_its_limit_says_the_limit() -> None:
    error = refusal(clean_text, "x" * 21, field="purpose", label="A purpose", limit=20)
    assert error.field == "purpose" and error.detail == "A purpose has at most 20 characters."
    assert clean_text("x" * 20, field="purpose", label="A purpose", limit=20) == "x" * 20


def test_text_keeps_line_breaks_and_tabs_but_refuses_other_control_characters() -> None:
    assert clean_text("a\n\tb\r\nc", field="f", label="Notes", limit=50) == "a\n\tb\r\nc"
    assert "NUL" in refusal(clean_text, "a\x00b", field="f", label="Notes", limit=50).detail
    for character in ("\x07", "\x1b", "\x7f", "\x85"):
        error = refusal(clean_text, f"a{character}b", field="f", label="Notes", limit=50)
        assert error.detail == "Notes may not contain control characters." and error.field == "f"


def test_only_text_is_text() -> None:
    for value in (12, 1.5, ["a"], {"a": 1}, True):
        assert (
            refusal(clean_text, value, field="f", label="A title", limit=50).detail == "A title must be text."
        )


def test_a_lazy_translation_is_text() -> None:
    from django.utils.translation import gettext_lazy

    assert clean_text(gettext_lazy("Members"), field="f", label="A title", limit=50) == "Members"


def test_sentences_follow_the_active_language() -> None:
    with translation.override("es"):
        error = refusal(clean_text, "", field="f", label="El nombre", limit=5, required=True)
    assert error.detail == "Falta El nombre."


# --- whole numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"), [(3, 3), ("3", 3), (" 42 ", 42), ("-2", -2), ("+7", 7), (0, 0)]
)
def test_whole_numbers_from_ints_and_ascii_digits(value: object, expected: int) -> None:
    assert clean_int(value, field="n", label="The size") == expected


@pytest.mark.parametrize("value", [True, 1.0, 2.5, "2.5", "1,000", "٣", "", None, "seven", [1]])
def test_anything_else_is_not_a_whole_number(value: object) -> None:
    error = refusal(clean_int, value, field="n", label="The size")
    assert error.detail == "The size must be a whole number." and error.field == "n"


def test_bounds_are_inclusive_and_the_sentence_gives_the_range() -> None:
    assert clean_int("500", field="n", label="The size", low=1, high=500) == 500
    for value in (0, 501, "x"):
        error = refusal(clean_int, value, field="n", label="The size", low=1, high=500)
        assert error.detail == "The size must be a whole number from 1 to 500."


def test_one_bound_alone() -> None:
    assert refusal(clean_int, -1, field="n", label="A count", low=0).detail == "A count cannot be negative."
    assert refusal(clean_int, 1, field="n", label="A count", low=2).detail == "A count must be at least 2."
    assert refusal(clean_int, 9, field="n", label="A count", high=8).detail == "A count must be at most 8."


def test_an_optional_number_may_be_left_out() -> None:
    assert clean_int_or_none(None, field="n", label="A count") is None
    assert clean_int_or_none("  ", field="n", label="A count") is None
    assert clean_int_or_none("4", field="n", label="A count", low=0) == 4


# --- money ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.50", 1250),
        ("12", 1200),
        ("1,250.50", 125050),
        ("1,250", 125000),
        ("0.5", 50),
        (".5", 50),
        ("1,234,567.89", 123456789),
        (" 7 ", 700),
        ("+3", 300),
    ],
)
def test_amounts_typed_in_english(text: str, expected: int) -> None:
    with translation.override("en"):
        assert clean_amount(text, field="amount", label="The amount") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12,50", 1250), ("1\u00a0250,50", 125050), ("1 250,50", 125050), ("1250,5", 125050), ("3", 300)],
)
def test_amounts_typed_in_spanish_use_its_separators(text: str, expected: int) -> None:
    with translation.override("es"):
        assert clean_amount(text, field="amount", label="El importe") == expected


@pytest.mark.parametrize(
    "text", ["12,50", "1.250,50", "1,25", "12.5.0", "12 50", "1e3", "twelve", "٣", "--1", "-"]
)
def test_what_does_not_follow_the_language_is_refused_never_guessed(text: str) -> None:
    with translation.override("en"):
        error = refusal(clean_amount, text, field="amount", label="The amount")
    assert error.field == "amount"
    assert error.detail == "The amount must be written as a number, such as 1,250.50."


def test_spanish_reads_the_point_as_no_separator_of_its_own() -> None:
    with translation.override("es"):
        error = refusal(clean_amount, "12.50", field="amount", label="El importe")
    assert error.field == "amount" and "1\u00a0250,50" in error.detail


def test_too_many_decimals_are_refused_not_rounded() -> None:
    error = refusal(clean_amount, "12.505", field="amount", label="The amount")
    assert error.detail == "The amount has at most 2 decimal places."
    assert clean_amount("12.500", field="amount", label="The amount") == 1250
    assert clean_amount("0.0001", field="amount", label="The amount", decimals=4) == 1
    assert (
        refusal(clean_amount, "1.5", field="a", label="Hours", decimals=0).detail
        == "Hours must be a whole number."
    )


def test_negative_and_huge_amounts() -> None:
    assert refusal(clean_amount, "-1", field="a", label="A price").detail == "A price cannot be negative."
    assert clean_amount("-1.25", field="a", label="A change", allow_negative=True) == -125
    assert clean_amount(str(MAX_AMOUNT // 100), field="a", label="A price") == MAX_AMOUNT
    assert (
        refusal(clean_amount, str(MAX_AMOUNT), field="a", label="A price").detail == "A price is too large."
    )


def test_an_int_is_whole_units_and_empty_text_is_missing() -> None:
    assert clean_amount(5, field="a", label="A price") == 500
    assert refusal(clean_amount, "", field="a", label="A price").detail == "A price is needed."
    assert refusal(clean_amount, True, field="a", label="A price").field == "a"
    assert refusal(clean_amount, 1.5, field="a", label="A price").field == "a"


def test_what_the_formatter_writes_reads_back() -> None:
    from dualpower.formatting import format_amount

    for language in ("en", "es"):
        with translation.override(language):
            for units in (0, 5, 1250, 125050, 123456789):
                for grouping in (True, False):
                    text = format_amount(units, grouping=grouping)
                    assert clean_amount(text, field="a", label="A price") == units


# --- dates, choices ---------------------------------------------------------------------------


def test_dates() -> None:
    assert clean_date(date(2026, 3, 31), field="d", label="The day") == date(2026, 3, 31)
    assert clean_date(" 2026-03-31 ", field="d", label="The day") == date(2026, 3, 31)
    for value in ("2026-02-30", "31/03/2026", "", None, datetime(2026, 3, 31, tzinfo=UTC), 20260331):
        error = refusal(clean_date, value, field="d", label="The day")
        assert error.field == "d" and error.detail == "The day must be a date such as 2026-03-31."


def test_datetimes_must_say_their_time_zone() -> None:
    moment = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)
    assert clean_datetime(moment, field="t", label="The start") == moment
    assert clean_datetime("2026-12-06T18:00:00+00:00", field="t", label="The start") == moment
    naive = refusal(clean_datetime, "2026-12-06T18:00", field="t", label="The start")
    assert naive.detail == "Give the times with their time zone." and naive.field == "t"
    assert refusal(clean_datetime, datetime(2026, 12, 6), field="t", label="The start").field == "t"
    assert (
        "must be a date and time" in refusal(clean_datetime, "tomorrow", field="t", label="The start").detail
    )


class Colour(models.TextChoices):
    RED = "red", "Red"
    BLUE = "blue", "Blue"


def test_choices() -> None:
    assert clean_choice("red", Colour, field="c") == "red"
    assert clean_choice("b", ["a", "b"], field="c") == "b"
    error = refusal(clean_choice, "green", Colour, field="c")
    assert error.detail == "Choose one of: red, blue." and error.field == "c"


# --- time (a time bank counts minutes) --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1:30", 90),
        ("1h30", 90),
        ("1h", 60),
        ("2 h 05", 125),
        ("90m", 90),
        ("45 min", 45),
        ("1.5", 90),
        ("0.25", 15),
        ("2", 120),
        (3, 180),
        ("1,000", 60000),
    ],
)
def test_times_typed_as_hours(text: object, expected: int) -> None:
    assert clean_minutes(text, field="t", label="The time") == expected


def test_times_in_spanish_take_its_decimal_comma() -> None:
    with translation.override("es"):
        assert clean_minutes("1,5", field="t", label="El tiempo") == 90


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("1:75", "Minutes go up to 59: write 1:30 for an hour and a half."),
        ("0.01", "The time is counted in whole minutes: a quarter of an hour is 15 minutes."),
        ("soon", "The time must be written as hours, such as 1.5 or 1:30."),
        ("-1:00", "The time cannot be negative."),
        ("", "The time is needed."),
    ],
)
def test_times_refused(text: str, sentence: str) -> None:
    error = refusal(clean_minutes, text, field="t", label="The time")
    assert error.detail == sentence and error.field == "t"


def test_a_negative_time_when_allowed() -> None:
    assert clean_minutes("-1:30", field="t", label="A correction", allow_negative=True) == -90
