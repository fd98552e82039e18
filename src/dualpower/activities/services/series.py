"""Series of activities as organisers run them: creating and changing a series, its organisers,
and stopping it. Who may call each verb is decided in rules.py; the services keep the invariants
and write the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypedDict, Unpack

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.activities import recurrence
from dualpower.activities.models import Organiser, Series, SlotTemplate
from dualpower.activities.services._common import (
    MAX_WEEKS_AHEAD,
    PLACE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    SlotSpec,
    check_group,
    clean_slots,
    takes_part,
)
from dualpower.activities.services.occurrences import cancel_one, local_today, series_generate
from dualpower.clean import clean_int, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record, changes_save
from dualpower.errors import Conflict, InvalidInput, NotFound
from dualpower.groups.models import WorkingGroup
from dualpower.members.models import Membership


@transaction.atomic
def series_create(
    *,
    community: Community,
    by: Membership | None,
    title: str,
    starts_on: dt.date,
    start_time: dt.time,
    slots: Sequence[SlotSpec],
    description: str = "",
    place: str = "",
    group: WorkingGroup | None = None,
    repeat: str = Series.Repeat.ONCE,
    weekdays: Sequence[object] = (),
    month_day: int | None = None,
    ends_on: dt.date | None = None,
    duration_minutes: int = 120,
    weeks_ahead: int = 4,
    now: dt.datetime | None = None,
) -> Series:
    """Start a one-off or recurring activity; its creator organises it. Occurrences are made
    for the coming weeks at once, and the clock keeps making them."""
    now = now or timezone.now()
    title = clean_text(
        title,
        field="title",
        label=_("An activity's title"),
        limit=TITLE_MAX,
        required=True,
    )
    description = clean_text(
        description,
        field="description",
        label=_("The description"),
        limit=TEXT_MAX,
    )
    place = clean_text(
        place,
        field="place",
        label=_("The place"),
        limit=PLACE_MAX,
    )
    check_group(community, group, by)
    if repeat not in Series.Repeat.values:
        raise InvalidInput(_("Choose once, every week or every month."), field="repeat")
    if not isinstance(starts_on, dt.date) or not isinstance(start_time, dt.time):
        raise InvalidInput(_("Give the first date and the time it starts."), field="starts_on")
    if starts_on < local_today(now):
        raise InvalidInput(_("The first date is in the past."), field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(_("The last date comes before the first."), field="ends_on")
    days: tuple[int, ...] = ()
    if repeat == Series.Repeat.WEEKLY:
        try:
            days = recurrence.clean_weekdays(weekdays)
        except (TypeError, ValueError):
            raise InvalidInput(
                _("Days of the week are numbers from 0 (Monday) to 6 (Sunday)."), field="weekdays"
            ) from None
        if not days:
            raise InvalidInput(_("Choose the days of the week it happens on."), field="weekdays")
    day_of_month = None
    if repeat == Series.Repeat.MONTHLY:
        day_of_month = clean_int(
            month_day,
            field="month_day",
            label=_("The day of the month"),
            low=1,
            high=28,
        )
    duration = clean_int(
        duration_minutes,
        field="duration_minutes",
        label=_("The length in minutes"),
        low=1,
        high=24 * 60,
    )
    ahead = clean_int(
        weeks_ahead,
        field="weeks_ahead",
        label=_("How many weeks to plan ahead"),
        low=1,
        high=MAX_WEEKS_AHEAD,
    )
    specs = clean_slots(community, slots)
    series = Series.objects.create(
        community=community,
        title=title,
        description=description,
        place=place,
        group=group,
        repeat=repeat,
        weekdays=list(days),
        month_day=day_of_month,
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=start_time,
        duration_minutes=duration,
        weeks_ahead=ahead,
    )
    SlotTemplate.objects.bulk_create(
        SlotTemplate(
            series=series, label=s.label, capacity=s.capacity, required_role=s.required_role, position=i
        )
        for i, s in enumerate(specs)
    )
    if by is not None:
        Organiser.objects.create(series=series, membership=by)
    audit_record(
        community=community,
        actor=by,
        action="activities.series_create",
        target=series,
        summary=title,
        data={"repeat": repeat, "slots": [{"label": s.label, "capacity": s.capacity} for s in specs]},
    )
    series_generate(series=series, now=now)
    return series


class SeriesChanges(TypedDict, total=False):
    """What ``series_update`` may change (the schedule changes with ``series_reschedule``)."""

    title: str
    description: str
    place: str


@transaction.atomic
def series_update(*, series: Series, by: Membership | None, **changes: Unpack[SeriesChanges]) -> Series:
    """Change what an activity is called, its description or place. Its schedule changes with
    ``series_reschedule``."""
    unknown = set(changes) - {"title", "description", "place"}
    if unknown:
        raise InvalidInput(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "title" in changes:
        changes["title"] = clean_text(
            changes["title"],
            field="title",
            label=_("An activity's title"),
            limit=TITLE_MAX,
            required=True,
        )
    if "description" in changes:
        changes["description"] = clean_text(
            changes["description"],
            field="description",
            label=_("The description"),
            limit=TEXT_MAX,
        )
    if "place" in changes:
        changes["place"] = clean_text(
            changes["place"],
            field="place",
            label=_("The place"),
            limit=PLACE_MAX,
        )
    changed = changes_save(
        target=series,
        changes=changes,
        community=series.community,
        actor=by,
        action="activities.series_update",
        summary=str(changes.get("title", series.title)),
    )
    if not changed:
        return series
    return series


@transaction.atomic
def series_stop(*, series: Series, by: Membership | None, now: dt.datetime | None = None) -> int:
    """Stop a series: no more occurrences; the future ones are cancelled and the people signed
    up are told. Past occurrences, their sign-ups and feedback stay. Returns how many were cancelled."""
    now = now or timezone.now()
    series = Series.objects.select_for_update().get(pk=series.pk)
    if not series.is_active:
        raise Conflict(_("This activity has already been stopped."))
    series.is_active = False
    series.save(update_fields=["is_active"])
    cancelled = 0
    for activity in series.activities.filter(starts_at__gt=now, is_cancelled=False):
        cancel_one(activity, by=by)
        cancelled += 1
    audit_record(
        community=series.community,
        actor=by,
        action="activities.series_stop",
        target=series,
        summary=series.title,
        data={"cancelled": cancelled},
    )
    return cancelled


@transaction.atomic
def organiser_add(*, series: Series, membership: Membership, by: Membership | None) -> Organiser:
    takes_part(series.community, membership)
    try:
        with transaction.atomic():
            place = Organiser.objects.create(series=series, membership=membership)
    except IntegrityError:
        raise Conflict(
            _("%(name)s already organises this activity.") % {"name": membership.display_name}
        ) from None
    audit_record(
        community=series.community,
        actor=by,
        action="activities.organiser_add",
        target=series,
        summary=membership.display_name,
        data={"membership": membership.pk},
    )
    return place


@transaction.atomic
def organiser_remove(*, series: Series, membership: Membership, by: Membership | None) -> None:
    """An activity keeps at least one organiser, so someone answers for it."""
    places = list(Organiser.objects.select_for_update().filter(series=series))
    mine = next((p for p in places if p.membership_id == membership.pk), None)
    if mine is None:
        raise NotFound(_("%(name)s does not organise this activity.") % {"name": membership.display_name})
    if len(places) == 1 and series.is_active:
        raise Conflict(_("An activity needs an organiser: add another before this one steps down."))
    mine.delete()
    audit_record(
        community=series.community,
        actor=by,
        action="activities.organiser_remove",
        target=series,
        summary=membership.display_name,
        data={"membership": membership.pk},
    )


def organisers_of(series: Series) -> list[Membership]:
    places = Organiser.objects.filter(series=series, membership__status=Membership.Status.ACTIVE)
    return [o.membership for o in places.select_related("membership").order_by("membership_id")]
