"""The dates of an activity: making them ahead of time from its series, calling one off, and
changing how many places one date offers.

A series' dates come from ``recurrence`` (pure date arithmetic); here they become occurrences
with their slots, idempotently, so the clock can run ``generate_all`` on every tick.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dualpower.activities import recurrence
from dualpower.activities.models import Activity, Series, SignUp, Slot
from dualpower.activities.selectors import signed_up_people
from dualpower.activities.services._common import MAX_CAPACITY
from dualpower.clean import clean_int
from dualpower.community.services import audit_record
from dualpower.errors import Conflict
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text


def local_today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def activity_url(activity: Activity) -> str:
    return f"/c/{activity.community.slug}/activities/{activity.pk}/"


def when(activity: Activity) -> str:
    return date_format(timezone.localtime(activity.starts_at), "DATETIME_FORMAT")


# --- the dates of a series ----------------------------------------------------------------


def _rule(series: Series) -> recurrence.Rule:
    return recurrence.Rule(
        repeat=series.repeat,
        starts_on=series.starts_on,
        ends_on=series.ends_on,
        weekdays=tuple(series.weekdays or ()),
        month_day=series.month_day,
    )


def _aware(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at), timezone.get_default_timezone())


@transaction.atomic
def series_generate(*, series: Series, now: dt.datetime | None = None) -> int:
    """Make the occurrences of ``series`` up to its horizon; return how many were new.

    Idempotent: an occurrence is unique by its start, so running twice (or on two clocks) makes
    nothing twice, and an occurrence organisers cancelled stays cancelled.
    """
    now = now or timezone.now()
    series = Series.objects.select_for_update().get(pk=series.pk)
    if not series.is_active:
        return 0
    today = local_today(now)
    horizon = today + dt.timedelta(weeks=series.weeks_ahead)
    if series.repeat == Series.Repeat.ONCE:
        horizon = max(horizon, series.starts_on)
    first = (
        today if series.generated_until is None else max(today, series.generated_until + dt.timedelta(days=1))
    )
    templates = list(series.slot_templates.all())
    made = 0
    for day in recurrence.dates_between(_rule(series), first, horizon):
        starts_at = _aware(day, series.start_time)
        if starts_at <= now:
            continue
        activity, created = Activity.objects.get_or_create(
            series=series,
            starts_at=starts_at,
            defaults={
                "community_id": series.community_id,
                "ends_at": starts_at + dt.timedelta(minutes=series.duration_minutes),
            },
        )
        if created:
            Slot.objects.bulk_create(
                Slot(
                    activity=activity,
                    label=t.label,
                    capacity=t.capacity,
                    required_role_id=t.required_role_id,
                    position=t.position,
                )
                for t in templates
            )
            made += 1
    if series.generated_until is None or series.generated_until < horizon:
        Series.objects.filter(pk=series.pk).update(generated_until=horizon)
    return made


def occurrence_fits(activity: Activity, series: Series | None = None) -> bool:
    """Whether ``activity`` is a date its series' schedule makes today: the right day, start and
    length. After a schedule change, dates kept because people had signed up do not fit."""
    series = series or activity.series
    day = timezone.localtime(activity.starts_at, timezone.get_default_timezone()).date()
    if next(recurrence.dates_between(_rule(series), day, day), None) is None:
        return False
    # Compared through _aware, as generated, so a start in a DST gap still matches itself.
    starts_at = _aware(day, series.start_time)
    return activity.starts_at == starts_at and activity.ends_at == starts_at + dt.timedelta(
        minutes=series.duration_minutes
    )


@dataclass
class Refit:
    """What a schedule change did to a series' coming dates."""

    removed: int = 0
    kept: list[Activity] = field(default_factory=list)
    added: int = 0


def series_refit(*, series: Series, now: dt.datetime) -> Refit:
    """Bring the coming dates of ``series`` in line with its (changed) schedule, inside the
    caller's transaction, with the series row already locked.

    As Karrot does when a series' rule changes: a coming date that no longer fits is deleted if
    nobody has signed up for it; one with sign-ups is never moved or deleted behind people's backs
    but kept as it was (the caller tells them). Dates that have started are not looked at.
    """
    result = Refit()
    coming = list(Activity.objects.select_for_update().filter(series=series, starts_at__gt=now))
    # Locking the slots too makes a sign-up racing this change wait, then find its slot gone (and
    # be refused) instead of landing in a date being deleted.
    list(Slot.objects.select_for_update().filter(activity__in=[a.pk for a in coming]).values_list("pk"))
    taken = set(
        SignUp.objects.filter(activity__in=[a.pk for a in coming]).values_list("activity_id", flat=True)
    )
    stale: list[int] = []
    for activity in coming:
        if occurrence_fits(activity, series):
            continue
        if activity.pk in taken:
            result.kept.append(activity)
        else:
            stale.append(activity.pk)
    if stale:
        Activity.objects.filter(pk__in=stale).delete()
    result.removed = len(stale)
    # Regenerate from today: dates already there are found by their start, not made twice.
    Series.objects.filter(pk=series.pk).update(generated_until=None)
    result.added = series_generate(series=series, now=now)
    return result


def generate_all(now: dt.datetime) -> int:
    """Keep every active series generated up to its horizon. Cheap when nothing is due: a series
    already generated to today's horizon is skipped by the query."""
    today = local_today(now)
    made = 0
    for series in Series.objects.filter(is_active=True).only("pk", "weeks_ahead", "generated_until"):
        if series.generated_until is not None and series.generated_until >= today + dt.timedelta(
            weeks=series.weeks_ahead
        ):
            continue
        made += series_generate(series=series, now=now)
    return made


# --- one occurrence -------------------------------------------------------------------------


def _locked_activity(activity: Activity) -> Activity:
    return (
        Activity.objects.select_for_update(of=("self",))
        .select_related("series", "community")
        .get(pk=activity.pk)
    )


def cancel_one(activity: Activity, *, by: Membership | None) -> None:
    Activity.objects.filter(pk=activity.pk).update(is_cancelled=True)
    people = signed_up_people(activity=activity)
    notification_send(
        recipients=people,
        community=activity.community,
        kind="activities.cancelled",
        title=notice_text(
            gettext_lazy("Cancelled: %(title)s, %(when)s"),
            title=activity.series.title,
            when=activity.starts_at,
        ),
        body=gettext_lazy("An activity you had a place in will not happen."),
        url=activity_url(activity),
    )
    audit_record(
        community=activity.community,
        actor=by,
        action="activities.activity_cancel",
        target=activity,
        summary=str(activity),
        data={"told": len(people)},
    )


@transaction.atomic
def activity_cancel(*, activity: Activity, by: Membership | None, now: dt.datetime | None = None) -> Activity:
    """Call off one occurrence before it starts; the people signed up are told."""
    now = now or timezone.now()
    activity = _locked_activity(activity)
    if activity.is_cancelled:
        raise Conflict(_("This activity is already cancelled."))
    if activity.starts_at <= now:
        raise Conflict(_("This activity has already started; it cannot be cancelled now."))
    cancel_one(activity, by=by)
    activity.refresh_from_db()
    return activity


@transaction.atomic
def slot_set_capacity(
    *, slot: Slot, capacity: int, by: Membership | None, now: dt.datetime | None = None
) -> Slot:
    """Change how many places one occurrence offers for one role; never below those signed up."""
    now = now or timezone.now()
    capacity = clean_int(
        capacity,
        field="capacity",
        label=_("Places"),
        low=1,
        high=MAX_CAPACITY,
    )
    slot = Slot.objects.select_for_update(of=("self",)).select_related("activity__community").get(pk=slot.pk)
    if slot.activity.starts_at <= now:
        raise Conflict(_("This activity has already started."))
    if capacity < slot.taken:
        raise Conflict(
            ngettext(
                "%(n)d person has already signed up for “%(label)s”: places cannot go below that.",
                "%(n)d people have already signed up for “%(label)s”: places cannot go below that.",
                slot.taken,
            )
            % {"n": slot.taken, "label": slot.label}
        )
    before = slot.capacity
    Slot.objects.filter(pk=slot.pk, taken__lte=capacity).update(capacity=capacity)
    slot.refresh_from_db()
    audit_record(
        community=slot.activity.community,
        actor=by,
        action="activities.slot_capacity",
        target=slot.activity,
        summary=slot.label,
        data={"slot": slot.pk, "before": before, "after": capacity},
    )
    return slot
