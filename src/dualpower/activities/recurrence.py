"""When a series happens: pure date arithmetic, no Django, no database.

Dates are local to the community (the node's time zone); the services turn them into aware
datetimes. Monthly series use a day of the month up to 28 so that every month has it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Rule:
    repeat: str  # "once" | "weekly" | "monthly"
    starts_on: date
    ends_on: date | None = None
    weekdays: tuple[int, ...] = ()  # Monday = 0
    month_day: int | None = None


def dates_between(rule: Rule, first: date, last: date) -> Iterator[date]:
    """Every date of ``rule`` within [first, last], in order."""
    first = max(first, rule.starts_on)
    if rule.ends_on is not None:
        last = min(last, rule.ends_on)
    if first > last:
        return
    if rule.repeat == "once":
        if first <= rule.starts_on <= last:
            yield rule.starts_on
        return
    if rule.repeat == "weekly":
        days = set(rule.weekdays)
        day = first
        while day <= last:
            if day.weekday() in days:
                yield day
            day += timedelta(days=1)
        return
    if rule.repeat == "monthly" and rule.month_day:
        year, month = first.year, first.month
        while True:
            day = date(year, month, rule.month_day)
            if day > last:
                return
            if day >= first:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return


def clean_weekdays(values: Sequence[object]) -> tuple[int, ...]:
    """Weekday numbers 0–6, sorted, without repeats; anything else raises ValueError."""
    out: set[int] = set()
    for value in values:
        if isinstance(value, bool):
            raise ValueError(value)
        number = int(str(value))
        if not 0 <= number <= 6:
            raise ValueError(value)
        out.add(number)
    return tuple(sorted(out))
