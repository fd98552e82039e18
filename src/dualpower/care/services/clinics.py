"""Free clinic days: the day at a site, its ordered stations, the volunteers' shifts by credential,
and the queue of people known by a short code moving station to station.

Nothing clinical is written: the queue holds a code, a station and times for the day only.
Closing the day (or the clock, the morning after) erases the queue and adds the number of people
to the week's count; screenings are counted by kind as they happen, never tied to a code.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.activities import services as activities
from dualpower.activities.selectors import trust_roles
from dualpower.care.models.clinics import ClinicDay, ClinicWeek, QueueEntry, ScreeningCount, Station
from dualpower.care.selectors.circles import care_settings
from dualpower.clean import clean_choice, clean_date, clean_int, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.models import Membership

SITE_MAX = 120
# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code called out in a waiting room must not be misheard.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 3
# The credentials a clinic day's places may require, as trust-role slugs of activities.
CREDENTIALS = ("nurse", "medic", "interpreter", "peer-supporter")
DEFAULT_STATIONS = tuple(Station.Kind.values)
MAX_PLACES = 50


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _same_community(community: Community, membership: Membership | None) -> None:
    if membership is not None and membership.community_id != community.pk:
        raise InvalidInput(_("That person is not a member of this community."))


@transaction.atomic
def clinic_day_create(
    *,
    community: Community,
    by: Membership | None,
    site: str,
    day: dt.date,
    stations: Sequence[str] = DEFAULT_STATIONS,
    start_time: dt.time = dt.time(9, 0),
    duration_minutes: int = 360,
    shifts: Mapping[str, int] | None = None,
    now: dt.datetime | None = None,
) -> ClinicDay:
    """Plan a clinic day at ``site`` with its stations in order and, with ``shifts`` (credential
    slug → places), the volunteers' shifts as an activity whose places require that credential."""
    now = now or timezone.now()
    _same_community(community, by)
    site = clean_text(site, field="site", label=_("The site"), limit=SITE_MAX, required=True)
    day = clean_date(day, field="day", label=_("The date"))
    if day < timezone.localdate(now):
        raise InvalidInput(_("The date is in the past."), field="day")
    kinds = [clean_choice(str(kind), Station.Kind, field="stations") for kind in stations]
    if not kinds:
        raise InvalidInput(_("Choose at least one station."), field="stations")
    if len(set(kinds)) != len(kinds):
        raise InvalidInput(_("Each station appears once."), field="stations")
    if ClinicDay.objects.filter(community=community, site__iexact=site, day=day).exists():
        raise Conflict(_("There is already a clinic day at this site on that date."), field="day")
    places = {
        str(slug): clean_int(n, field="shifts", label=_("The number of places"), low=0, high=MAX_PLACES)
        for slug, n in (shifts or {}).items()
    }
    shifts = {slug: n for slug, n in places.items() if n}
    series = None
    if shifts:
        roles = {role.slug: role for role in trust_roles(community=community).filter(slug__in=list(shifts))}
        missing = sorted(set(shifts) - set(roles))
        if missing:
            raise InvalidInput(
                _("This community has no trust role %(roles)s yet: create it under Activities first.")
                % {"roles": ", ".join(missing)},
                field="shifts",
            )
        series = activities.series_create(
            community=community,
            by=by,
            title=_("Clinic day: %(site)s") % {"site": site},
            starts_on=day,
            start_time=start_time,
            duration_minutes=duration_minutes,
            place=site,
            # The health group's activity: its conveners organise it (activities' own rule).
            group=care_settings(community=community).health_group,
            slots=[
                activities.SlotSpec(label=roles[slug].name, capacity=places, required_role=roles[slug])
                for slug, places in shifts.items()
            ],
            now=now,
        )
    try:
        with transaction.atomic():
            clinic = ClinicDay.objects.create(community=community, site=site, day=day, series=series)
    except IntegrityError:
        raise Conflict(_("There is already a clinic day at this site on that date."), field="day") from None
    Station.objects.bulk_create([Station(day=clinic, kind=kind, position=n) for n, kind in enumerate(kinds)])
    audit_record(community=community, actor=by, action="care.clinic_day_create", target=clinic, summary=site)
    return clinic


def _open(day: ClinicDay) -> None:
    if day.status != ClinicDay.Status.OPEN:
        raise Conflict(_("This clinic day is closed: its queue is gone."))


def _new_code(day: ClinicDay) -> str:
    taken = set(QueueEntry.objects.filter(day=day).values_list("code", flat=True))
    for _attempt in range(200):
        code = "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))
        if code not in taken:
            return code
    raise Conflict(_("The queue is full for today."))


@transaction.atomic
def queue_join(*, day: ClinicDay, by: Membership | None, now: dt.datetime | None = None) -> QueueEntry:
    """Someone arrives: they get a short code (on a slip) and wait at the first station."""
    now = now or timezone.now()
    day = ClinicDay.objects.select_for_update().get(pk=day.pk)
    _open(day)
    first = Station.objects.filter(day=day).order_by("position").first()
    if first is None:
        raise Conflict(_("This clinic day has no stations."))
    entry = QueueEntry.objects.create(
        day=day, code=_new_code(day), station=first, arrived_at=now, moved_at=now
    )
    # The audit log outlives the day: it never holds the code.
    audit_record(community=day.community, actor=by, action="care.queue_join", target=day, summary=day.site)
    return entry


def _entry(day: ClinicDay, code: object) -> QueueEntry:
    text = clean_text(code, field="code", label=_("The code"), limit=8, required=True).upper()
    found = QueueEntry.objects.filter(day=day, code=text).select_related("station").first()
    if found is None:
        raise InvalidInput(
            _("No one in today's queue has the code “%(code)s”.") % {"code": text}, field="code"
        )
    return found


@transaction.atomic
def queue_move(
    *, day: ClinicDay, code: str, to: Station, by: Membership | None, now: dt.datetime | None = None
) -> QueueEntry:
    """Send the person with ``code`` on to the next station. Stations are passed in order: a move
    to any other station is refused with a sentence and nothing changes. Two volunteers moving the
    same code at once: one conditional UPDATE wins, the other is told where the person is now."""
    now = now or timezone.now()
    _open(day)
    entry = _entry(day, code)
    if to.day_id != day.pk:
        raise InvalidInput(_("That station is not one of this clinic day's."), field="station")
    if entry.status != QueueEntry.Status.WAITING:
        raise Conflict(_("%(code)s has already left the clinic.") % {"code": entry.code}, field="code")
    if to.position != entry.station.position + 1:
        raise Conflict(
            _("%(code)s is at %(here)s: the next station is not %(there)s. Stations are passed in order.")
            % {"code": entry.code, "here": entry.station.get_kind_display(), "there": to.get_kind_display()},
            field="station",
        )
    if not QueueEntry.objects.filter(
        pk=entry.pk, station=entry.station, status=QueueEntry.Status.WAITING
    ).update(station=to, moved_at=now):
        entry.refresh_from_db()
        raise Conflict(
            _("%(code)s was just moved by someone else: they are now at %(here)s.")
            % {"code": entry.code, "here": entry.station.get_kind_display()},
            field="code",
        )
    entry.refresh_from_db()
    audit_record(
        community=day.community,
        actor=by,
        action="care.queue_move",
        target=day,
        summary=day.site,
    )
    return entry


@transaction.atomic
def queue_finish(
    *,
    day: ClinicDay,
    code: str,
    by: Membership | None,
    left_early: bool = False,
    now: dt.datetime | None = None,
) -> QueueEntry:
    """The person leaves the clinic: seen through, or left before the end."""
    now = now or timezone.now()
    _open(day)
    entry = _entry(day, code)
    status = QueueEntry.Status.LEFT if left_early else QueueEntry.Status.DONE
    if not QueueEntry.objects.filter(pk=entry.pk, status=QueueEntry.Status.WAITING).update(
        status=status, moved_at=now
    ):
        raise Conflict(_("%(code)s has already left the clinic.") % {"code": entry.code}, field="code")
    entry.refresh_from_db()
    audit_record(community=day.community, actor=by, action="care.queue_finish", target=day, summary=day.site)
    return entry


@transaction.atomic
def screening_record(
    *, day: ClinicDay, kind: str, positive: bool, by: Membership | None, count: int = 1
) -> ScreeningCount:
    """Count a screening done at the clinic, and whether it was positive: added to the week's
    count by kind, tied to no code and no person."""
    _open(day)
    kind = clean_choice(kind, ScreeningCount.Kind, field="kind")
    if not isinstance(positive, bool):
        raise InvalidInput(_("Say whether the screening was positive."), field="positive")
    week = monday(day.day)
    row, _made = ScreeningCount.objects.get_or_create(community=day.community, week=week, kind=kind)
    ScreeningCount.objects.filter(pk=row.pk).update(
        done=F("done") + count, positives=F("positives") + (count if positive else 0)
    )
    row.refresh_from_db()
    audit_record(
        community=day.community, actor=by, action="care.screening_record", target=day, summary=day.site
    )
    return row


def _close(day: ClinicDay, *, now: dt.datetime) -> int:
    seen = QueueEntry.objects.filter(day=day).count()
    QueueEntry.objects.filter(day=day).delete()
    week, _made = ClinicWeek.objects.get_or_create(community=day.community, week=monday(day.day))
    ClinicWeek.objects.filter(pk=week.pk).update(people_seen=F("people_seen") + seen)
    ClinicDay.objects.filter(pk=day.pk).update(
        status=ClinicDay.Status.CLOSED, closed_at=now, people_seen=seen
    )
    return seen


@transaction.atomic
def clinic_day_close(*, day: ClinicDay, by: Membership | None, now: dt.datetime | None = None) -> ClinicDay:
    """Close the day: the queue is erased; only the number of people seen stays, in the week's count."""
    now = now or timezone.now()
    day = ClinicDay.objects.select_for_update().get(pk=day.pk)
    _open(day)
    seen = _close(day, now=now)
    audit_record(
        community=day.community, actor=by, action="care.clinic_day_close", target=day, summary=str(seen)
    )
    day.refresh_from_db()
    return day


def close_past_days(now: dt.datetime) -> int:
    """The clock job: a clinic day left open after its date is closed (its queue erased)."""
    today = timezone.localdate(now)
    closed = 0
    for pk in ClinicDay.objects.filter(status=ClinicDay.Status.OPEN, day__lt=today).values_list(
        "pk", flat=True
    )[:200]:
        with transaction.atomic():
            day = ClinicDay.objects.select_for_update().get(pk=pk)
            if day.status != ClinicDay.Status.OPEN:
                continue
            seen = _close(day, now=now)
            audit_record(
                community=day.community,
                actor=None,
                action="care.clinic_day_close",
                target=day,
                summary=str(seen),
            )
            closed += 1
    return closed


def close_past_days_job(now: dt.datetime) -> str | None:
    """``care.clinic_days``: the clock's entry for ``close_past_days``."""
    closed = close_past_days(now)
    return f"{closed} clinic days closed" if closed else None
