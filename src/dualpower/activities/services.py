"""Every write about activities as organisers run them: series and their dates, organisers,
places per role, cancelling and stopping.

Who may call each verb is decided in rules.py; the services keep the invariants and write the
audit log. Taking part (signing up, leaving, no-shows, feedback, reminders) is in signups.py;
trust roles and vouching are in trust.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dualpower.activities import recurrence
from dualpower.activities.models import (
    Activity,
    Organiser,
    Series,
    Slot,
    SlotTemplate,
    TrustRole,
)
from dualpower.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.members.models import Membership
from dualpower.node.models import Community
from dualpower.node.services import audit_record
from dualpower.notifications.services import notification_send

TITLE_MAX = 120
TEXT_MAX = 5000
PLACE_MAX = 120
LABEL_MAX = 60
NOTE_MAX = 2000
MAX_SLOTS = 12
MAX_CAPACITY = 500
MAX_WEEKS_AHEAD = 12
REMIND_BEFORE = dt.timedelta(hours=24)
# Leaving this close to the start tells the organisers, so they can find someone else.
LATE_LEAVE = dt.timedelta(hours=24)


@dataclass(frozen=True)
class SlotSpec:
    label: str
    capacity: int
    required_role: TrustRole | None = None


def local_today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def activity_url(activity: Activity) -> str:
    return f"/c/{activity.community.slug}/activities/{activity.pk}/"


def when(activity: Activity) -> str:
    return date_format(timezone.localtime(activity.starts_at), "DATETIME_FORMAT")


# --- validation -----------------------------------------------------------------------------


def _text(value: Any, *, field: str, limit: int, required: bool = False, what: str = "") -> str:
    text = str(value if value is not None else "").strip()
    if required and not text:
        raise InvalidInput(what or _("This is required."), field=field)
    if len(text) > limit:
        raise InvalidInput(_("At most %(n)d characters.") % {"n": limit}, field=field)
    return text


def _int(value: Any, *, field: str, low: int, high: int, message: str) -> int:
    if isinstance(value, bool):
        raise InvalidInput(message, field=field)
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise InvalidInput(message, field=field) from None
    if not low <= number <= high:
        raise InvalidInput(message, field=field)
    return number


def _member_of(community: Community, membership: Membership | None) -> Membership:
    if membership is None or membership.community_id != community.pk or not membership.is_active:
        raise PermissionDenied(_("Only people admitted to this community can do this."))
    return membership


def _takes_part(community: Community, membership: Membership | None) -> Membership:
    membership = _member_of(community, membership)
    if membership.role == Membership.Role.OBSERVER:
        raise PermissionDenied(_("Observers follow activities but do not take places in them."))
    return membership


def _clean_slots(community: Community, slots: Sequence[SlotSpec]) -> list[SlotSpec]:
    if not slots:
        raise InvalidInput(_("Add at least one kind of place, e.g. “packers: 2”."), field="slots")
    if len(slots) > MAX_SLOTS:
        raise InvalidInput(_("At most %(n)d kinds of place.") % {"n": MAX_SLOTS}, field="slots")
    cleaned: list[SlotSpec] = []
    seen: set[str] = set()
    for spec in slots:
        label = _text(
            spec.label,
            field="slots",
            limit=LABEL_MAX,
            required=True,
            what=_("Each kind of place needs a name."),
        )
        if label.lower() in seen:
            raise InvalidInput(_("“%(label)s” is listed twice.") % {"label": label}, field="slots")
        seen.add(label.lower())
        capacity = _int(
            spec.capacity,
            field="slots",
            low=1,
            high=MAX_CAPACITY,
            message=_("Places for “%(label)s” must be a whole number from 1 to %(n)d.")
            % {"label": label, "n": MAX_CAPACITY},
        )
        role = spec.required_role
        if role is not None and role.community_id != community.pk:
            raise InvalidInput(_("That trust role is not one of this community's."), field="slots")
        cleaned.append(SlotSpec(label=label, capacity=capacity, required_role=role))
    return cleaned


def _check_group(community: Community, group: WorkingGroup | None, by: Membership | None) -> None:
    if group is not None and group.community_id != community.pk:
        raise InvalidInput(_("That working group is not one of this community's."), field="group")
    if by is not None and by.role == Membership.Role.COORDINATOR:
        return
    # Conveners organise activities for their own groups; coordinators for anyone.
    convenes = (
        group is not None
        and GroupMembership.objects.filter(
            group=group, membership=by, is_convener=True, status=GroupMembership.Status.ACTIVE
        ).exists()
    )
    if not convenes:
        raise PermissionDenied(_("Choose a working group you convene: its activities are yours to organise."))


# --- series ---------------------------------------------------------------------------------


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
    title = _text(title, field="title", limit=TITLE_MAX, required=True, what=_("An activity needs a title."))
    description = _text(description, field="description", limit=TEXT_MAX)
    place = _text(place, field="place", limit=PLACE_MAX)
    _check_group(community, group, by)
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
        day_of_month = _int(
            month_day, field="month_day", low=1, high=28, message=_("Choose a day of the month from 1 to 28.")
        )
    duration = _int(
        duration_minutes,
        field="duration_minutes",
        low=1,
        high=24 * 60,
        message=_("How long it lasts: from 1 minute to 24 hours."),
    )
    ahead = _int(
        weeks_ahead,
        field="weeks_ahead",
        low=1,
        high=MAX_WEEKS_AHEAD,
        message=_("Plan from 1 to %(n)d weeks ahead.") % {"n": MAX_WEEKS_AHEAD},
    )
    specs = _clean_slots(community, slots)
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


@transaction.atomic
def series_update(*, series: Series, by: Membership | None, **changes: Any) -> Series:
    """Change what an activity is called, its description or place. Its schedule stays: to
    change when it happens, stop it and start a new one."""
    unknown = set(changes) - {"title", "description", "place"}
    if unknown:
        raise InvalidInput(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "title" in changes:
        changes["title"] = _text(
            changes["title"],
            field="title",
            limit=TITLE_MAX,
            required=True,
            what=_("An activity needs a title."),
        )
    if "description" in changes:
        changes["description"] = _text(changes["description"], field="description", limit=TEXT_MAX)
    if "place" in changes:
        changes["place"] = _text(changes["place"], field="place", limit=PLACE_MAX)
    changed = {k: v for k, v in changes.items() if getattr(series, k) != v}
    if not changed:
        return series
    before = {k: getattr(series, k) for k in changed}
    for key, value in changed.items():
        setattr(series, key, value)
    series.save(update_fields=list(changed))
    audit_record(
        community=series.community,
        actor=by,
        action="activities.series_update",
        target=series,
        summary=series.title,
        data={"before": before, "after": changed},
    )
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
        _cancel(activity, by=by)
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
    _takes_part(series.community, membership)
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
    return list(
        Membership.objects.filter(organiser_places__series=series, status=Membership.Status.ACTIVE).order_by(
            "pk"
        )
    )


# --- one occurrence -------------------------------------------------------------------------


def _locked_activity(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().select_related("series", "community").get(pk=activity.pk)


def _cancel(activity: Activity, *, by: Membership | None) -> None:
    Activity.objects.filter(pk=activity.pk).update(is_cancelled=True)
    people = list(Membership.objects.filter(signups__activity=activity))
    notification_send(
        recipients=people,
        community=activity.community,
        kind="activities.cancelled",
        title=_("Cancelled: %(title)s, %(when)s") % {"title": activity.series.title, "when": when(activity)},
        body=_("An activity you had a place in will not happen."),
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
    _cancel(activity, by=by)
    activity.refresh_from_db()
    return activity


@transaction.atomic
def slot_set_capacity(
    *, slot: Slot, capacity: int, by: Membership | None, now: dt.datetime | None = None
) -> Slot:
    """Change how many places one occurrence offers for one role; never below those signed up."""
    now = now or timezone.now()
    capacity = _int(
        capacity,
        field="capacity",
        low=1,
        high=MAX_CAPACITY,
        message=_("Places must be a whole number from 1 to %(n)d.") % {"n": MAX_CAPACITY},
    )
    slot = Slot.objects.select_for_update().select_related("activity__community").get(pk=slot.pk)
    if slot.activity.starts_at <= now:
        raise Conflict(_("This activity has already started."))
    if capacity < slot.taken:
        raise Conflict(
            _("%(n)d people have already signed up for “%(label)s”: places cannot go below that.")
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


# --- the clock ------------------------------------------------------------------------------


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
