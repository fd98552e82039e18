"""Changing when a regular activity happens (its days, start time, length, last date) without
losing the people who signed up.

Modelled on Karrot's activity series: when a series' rule changes, coming dates that no longer
fit are deleted only if nobody joined them; the others stay as they were. Here the people in them
are also told, so nobody turns up at a time the organisers forgot they had moved away from.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.activities import recurrence
from dualpower.activities.models import Activity, Series
from dualpower.activities.selectors import signed_up_people
from dualpower.activities.services.occurrences import activity_url, local_today, series_refit
from dualpower.clean import clean_int
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text


class _Keep(enum.Enum):
    KEEP = "keep"


# "Not given": distinct from None, which for ``ends_on`` means "until stopped".
KEEP = _Keep.KEEP


@dataclass(frozen=True)
class ScheduleChange:
    series: Series
    removed: int  # coming dates deleted: they no longer fit and nobody had signed up
    kept: tuple[Activity, ...]  # coming dates that no longer fit but stay: people had signed up
    added: int  # dates the new schedule made


def _clean_schedule(
    series: Series,
    *,
    weekdays: Sequence[object] | _Keep,
    month_day: object,
    start_time: object,
    duration_minutes: object,
    ends_on: object,
    now: dt.datetime,
) -> dict[str, Any]:
    """The schedule fields asked for, checked; each refusal names its field."""
    asked: dict[str, Any] = {}
    if weekdays is not KEEP:
        if series.repeat != Series.Repeat.WEEKLY:
            raise InvalidInput(
                _("Only an activity that repeats every week has days of the week."), field="weekdays"
            )
        try:
            asked["weekdays"] = list(recurrence.clean_weekdays(weekdays))
        except (TypeError, ValueError):
            raise InvalidInput(
                _("Days of the week are numbers from 0 (Monday) to 6 (Sunday)."), field="weekdays"
            ) from None
        if not asked["weekdays"]:
            raise InvalidInput(_("Choose the days of the week it happens on."), field="weekdays")
    if month_day is not KEEP:
        if series.repeat != Series.Repeat.MONTHLY:
            raise InvalidInput(
                _("Only an activity that repeats every month has a day of the month."), field="month_day"
            )
        asked["month_day"] = clean_int(
            month_day,
            field="month_day",
            label=_("The day of the month"),
            low=1,
            high=28,
        )
    if start_time is not KEEP:
        if not isinstance(start_time, dt.time):
            raise InvalidInput(_("Give the time it starts."), field="start_time")
        asked["start_time"] = start_time.replace(second=0, microsecond=0, tzinfo=None)
    if duration_minutes is not KEEP:
        asked["duration_minutes"] = clean_int(
            duration_minutes,
            field="duration_minutes",
            label=_("The length in minutes"),
            low=1,
            high=24 * 60,
        )
    if ends_on is not KEEP:
        if ends_on is not None:
            if not isinstance(ends_on, dt.date) or isinstance(ends_on, dt.datetime):
                raise InvalidInput(_("Give the last date, or leave it empty."), field="ends_on")
            if ends_on < series.starts_on:
                raise InvalidInput(_("The last date comes before the first."), field="ends_on")
            if ends_on < local_today(now):
                raise InvalidInput(_("The last date is in the past."), field="ends_on")
        asked["ends_on"] = ends_on
    return asked


def _as_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.time) else value


@transaction.atomic
def series_reschedule(
    *,
    series: Series,
    by: Membership | None,
    weekdays: Sequence[object] | _Keep = KEEP,
    month_day: int | _Keep | None = KEEP,
    start_time: dt.time | _Keep = KEEP,
    duration_minutes: int | _Keep = KEEP,
    ends_on: dt.date | _Keep | None = KEEP,
    now: dt.datetime | None = None,
) -> ScheduleChange:
    """Change when a regular activity happens: its days, start time, length or last date.

    Past and started dates are never touched. Coming dates that no longer fit the schedule are
    deleted if nobody signed up; dates people signed up for are kept as they were, and those
    people are told (a date someone planned their week around is not moved or dropped behind
    their back; organisers can still cancel it). The new schedule's dates are made up to the
    usual horizon. Arguments not given stay as they are; ``ends_on=None`` means until stopped.
    """
    now = now or timezone.now()
    series = Series.objects.select_for_update(of=("self",)).select_related("community").get(pk=series.pk)
    if not series.is_active:
        raise Conflict(_("This activity has been stopped; its schedule cannot change."))
    if series.repeat == Series.Repeat.ONCE:
        raise Conflict(
            _("A one-off activity has no schedule to change: cancel its date and start a new one.")
        )
    asked = _clean_schedule(
        series,
        weekdays=weekdays,
        month_day=month_day,
        start_time=start_time,
        duration_minutes=duration_minutes,
        ends_on=ends_on,
        now=now,
    )
    changed = {k: v for k, v in asked.items() if getattr(series, k) != v}
    if not changed:
        return ScheduleChange(series=series, removed=0, kept=(), added=0)
    before = {k: _as_json(getattr(series, k)) for k in changed}
    for key, value in changed.items():
        setattr(series, key, value)
    series.save(update_fields=list(changed))
    refit = series_refit(series=series, now=now)
    told = 0
    for activity in refit.kept:
        if activity.is_cancelled:
            continue  # already told it will not happen
        told += notification_send(
            recipients=signed_up_people(activity=activity),
            community=series.community,
            kind="activities.kept",
            title=notice_text(
                gettext_lazy("Still on: %(title)s, %(when)s"), title=series.title, when=activity.starts_at
            ),
            body=gettext_lazy(
                "The schedule of this activity changed, but the date you have a place in stays as it "
                "was. If you can no longer come, give your place back."
            ),
            url=activity_url(activity),
        )
    audit_record(
        community=series.community,
        actor=by,
        action="activities.series_reschedule",
        target=series,
        summary=series.title,
        data={
            "before": before,
            "after": {k: _as_json(v) for k, v in changed.items()},
            "removed": refit.removed,
            "kept": [a.pk for a in refit.kept],
            "added": refit.added,
            "told": told,
        },
    )
    series.refresh_from_db()
    return ScheduleChange(series=series, removed=refit.removed, kept=tuple(refit.kept), added=refit.added)
