"""Rapid response: an incident reported (hotline volunteer or member), verified by a verifier on
shift, and only then broadcast to the responders on call in its area; their answers; closing it
(or calling it a false alarm, quietly); the follow-up as aid requests by household code; and the
clock job that reduces a closed incident to a count and erases the rest.

The audit log is append-only and read by every member, so incident entries name no one (actor
None) and carry only the incident's random code: once the incident is erased they say that
something happened, not who reported, verified or answered it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower import holdings
from dualpower.aid import services as aid
from dualpower.aid.models import Urgency
from dualpower.clean import clean_choice, clean_datetime, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.defence.models.response import (
    STATE_ORDER,
    DefenceSettings,
    Incident,
    IncidentCount,
    Response,
)
from dualpower.defence.selectors import response as selectors
from dualpower.defence.services.response_bans import clean_caller, intake_check
from dualpower.defence.services.response_sealing import seal_bytes, seal_text
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send, notification_withdraw
from dualpower.notifications.text import text
from dualpower.uploads import PHOTO, upload_accept

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # as aid's: read over the phone without mishearing
MAX_SEEN = 2000
MAX_PHOTO = 5 * 1024 * 1024
# What a follow-up can ask the aid network for, and the aid category it goes in.
FOLLOW_UPS: dict[str, tuple[str, Any]] = {
    "bond": ("money", gettext_lazy("Bond")),
    "childcare": ("childcare", gettext_lazy("Childcare")),
    "accompaniment": ("safety", gettext_lazy("Accompaniment")),
    "legal": ("legal", gettext_lazy("Legal support")),
}


def incident_url(incident: Incident) -> str:
    return f"/c/{incident.community.slug}/defence/incidents/{incident.code}/"


def _new_code(community: Community) -> str:
    while True:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        code = f"{raw[:3]}-{raw[3:]}"
        if not Incident.objects.filter(community=community, code=code).exists():
            return code


def _area(community: Community, value: object) -> str:
    areas = selectors.areas_of(community=community)
    if not areas:
        raise InvalidInput(
            _("No area cells are set yet: ask the coordinators to name the neighbourhood cells first."),
            field="area",
        )
    if not isinstance(value, str) or value not in areas:
        raise InvalidInput(
            _("Choose the area from the list (a neighbourhood cell, never an address)."), field="area"
        )
    return value


def _photo_token(photo: Any) -> str:
    if photo is None:
        return ""
    upload_accept(
        photo,
        kinds=PHOTO,
        max_bytes=MAX_PHOTO,
        field="photo",
        wrong_type=_("The photo must be a JPEG, PNG or WebP picture."),
        too_large=_("The photo is too large (at most 5 MB)."),
    )
    photo.seek(0)
    return seal_bytes(photo.read())


@transaction.atomic
def incident_report(
    *,
    community: Community,
    by: Membership,
    kind: str,
    area: str,
    seen: str = "",
    seen_at: dt.datetime | str | None = None,
    photo: Any = None,
    caller: str = "",
    now: dt.datetime | None = None,
) -> Incident:
    """A hotline volunteer or a member reports what is happening. Nobody but the verifiers on shift
    is told: there is no broadcast before verification. ``caller``: the number a hotline call came
    from, kept only as a keyed hash (for the ban list and the rate limit, response_bans.py)."""
    now = now or timezone.now()
    caller_hash = intake_check(community=community, by=by, caller=clean_caller(caller), now=now)
    kind = clean_choice(kind, Incident.Kind, field="kind")
    area = _area(community, area)
    seen = clean_text(seen, field="seen", label=_("What was seen"), limit=MAX_SEEN)
    when = now if seen_at in (None, "") else clean_datetime(seen_at, field="seen_at", label=_("When"))
    if when > now + dt.timedelta(minutes=10):
        raise InvalidInput(_("That time is in the future."), field="seen_at")
    if when < now - dt.timedelta(days=2):
        raise InvalidInput(_("Report what is happening now or in the last two days."), field="seen_at")
    incident = Incident.objects.create(
        community=community,
        code=_new_code(community),
        kind=kind,
        area=area,
        seen_at=when,
        seen_sealed=seal_text(seen),
        photo_sealed=_photo_token(photo),
        reported_by=by,
        caller_hash=caller_hash,
    )
    audit_record(
        community=community,
        actor=None,
        action="defence.incident.report",
        target=incident,
        summary=incident.code,
    )
    notification_send(
        recipients=[m for m in selectors.verifiers_on_shift(community=community, at=now) if m.pk != by.pk],
        community=community,
        kind="defence.verify",
        title=text(gettext_lazy("A report waits for verification (%(code)s)"), code=incident.code),
        body=gettext_lazy("Open it to verify it or close it as a false alarm."),
        url=incident_url(incident),
    )
    return incident


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().select_related("community").get(pk=incident.pk)


def _verifier(by: Membership, now: dt.datetime) -> None:
    if not selectors.is_on_shift_verifier(by, at=now):
        raise PermissionDenied(_("Only a verifier on shift can verify a report or close it."))


@transaction.atomic
def incident_verify(*, incident: Incident, by: Membership, now: dt.datetime | None = None) -> Incident:
    """A verifier on shift confirms the report: the photo is deleted, and the responders on call in
    the incident's area (only they) are alerted."""
    now = now or timezone.now()
    _verifier(by, now)
    locked = _locked(incident)
    if locked.status != Incident.Status.REPORTED:
        raise Conflict(_("This report was already handled (%(s)s).") % {"s": locked.get_status_display()})
    locked.status = Incident.Status.VERIFIED
    locked.verified_by = by
    locked.verified_at = now
    locked.photo_sealed = ""
    locked.save(update_fields=["status", "verified_by", "verified_at", "photo_sealed"])
    holdings.erasure_flush()  # the photo's bytes leave the disk (and the WAL) with the commit
    on_call = [o for o in selectors.on_call_for(community=locked.community, area=locked.area, at=now)]
    Response.objects.bulk_create(
        [Response(incident=locked, membership=o.membership, role_slug=o.role_slug) for o in on_call]
    )
    audit_record(
        community=locked.community,
        actor=None,
        action="defence.incident.verify",
        target=locked,
        summary=locked.code,
        data={"alerted": len(on_call)},
    )
    notification_send(
        recipients=[o.membership for o in on_call],
        community=locked.community,
        kind="defence.alert",
        # No kind nor area in the message: it may travel by email through other servers.
        title=text(gettext_lazy("Alert in your area (%(code)s)"), code=locked.code),
        body=gettext_lazy("Observe and record, never confront. Open the alert and say if you are coming."),
        url=incident_url(locked),
    )
    return locked


@transaction.atomic
def incident_false_alarm(*, incident: Incident, by: Membership, now: dt.datetime | None = None) -> Incident:
    """Close a report as a false alarm, quietly: nobody is alerted, what was seen and the photo
    are erased at once, and it waits only to become a count."""
    now = now or timezone.now()
    _verifier(by, now)
    locked = _locked(incident)
    if locked.status != Incident.Status.REPORTED:
        raise Conflict(_("Only a report not yet verified can be closed as a false alarm."))
    locked.status = Incident.Status.FALSE_ALARM
    locked.closed_at = now
    locked.followup_done_at = now
    locked.seen_sealed = ""
    locked.photo_sealed = ""
    locked.save(update_fields=["status", "closed_at", "followup_done_at", "seen_sealed", "photo_sealed"])
    holdings.erasure_flush()
    audit_record(
        community=locked.community,
        actor=None,
        action="defence.incident.false_alarm",
        target=locked,
        summary=locked.code,
    )
    return locked


@transaction.atomic
def response_step(
    *, incident: Incident, by: Membership, state: str, now: dt.datetime | None = None
) -> Response:
    """An alerted responder says how far they are: acknowledged, on the way, arrived (forward only)."""
    state = clean_choice(state, [s for s in STATE_ORDER if s != Response.State.ALERTED], field="state")
    locked = _locked(incident)
    if locked.status != Incident.Status.VERIFIED:
        raise Conflict(_("This alert is over."))
    response = Response.objects.select_for_update().filter(incident=locked, membership=by).first()
    if response is None:
        raise PermissionDenied(_("You were not alerted for this incident."))
    if STATE_ORDER.index(state) <= STATE_ORDER.index(response.state):
        raise Conflict(_("You already said: %(s)s.") % {"s": response.get_state_display()})
    response.state = state
    response.save(update_fields=["state", "updated_at"])
    return response


@transaction.atomic
def incident_close(*, incident: Incident, by: Membership, now: dt.datetime | None = None) -> Incident:
    """A verifier on shift closes a verified incident: the alert is over. What was seen is kept until
    the follow-up is opened and the retention has passed, then erased by the clock."""
    now = now or timezone.now()
    _verifier(by, now)
    locked = _locked(incident)
    if locked.status != Incident.Status.VERIFIED:
        raise Conflict(_("Only a verified incident can be closed."))
    locked.status = Incident.Status.CLOSED
    locked.closed_at = now
    locked.save(update_fields=["status", "closed_at"])
    audit_record(
        community=locked.community,
        actor=None,
        action="defence.incident.close",
        target=locked,
        summary=locked.code,
    )
    return locked


@transaction.atomic
def incident_follow_up(
    *,
    incident: Incident,
    by: Membership,
    household: str = "",
    needs: list[str] | tuple[str, ...] = (),
    now: dt.datetime | None = None,
) -> Incident:
    """Open the household's follow-up as aid requests (bond, childcare, accompaniment, legal) by its
    household code, or say none is needed (no ``needs``). Only then can the incident be erased."""
    now = now or timezone.now()
    _verifier(by, now)
    locked = _locked(incident)
    if locked.status not in (Incident.Status.VERIFIED, Incident.Status.CLOSED):
        raise Conflict(_("A follow-up is for a verified incident."))
    if locked.followup_done_at is not None:
        raise Conflict(_("The follow-up of this incident is already opened."))
    chosen = [clean_choice(n, list(FOLLOW_UPS), field="needs") for n in needs or ()]
    codes: list[str] = []
    if chosen:
        household = household_code(household)
        for need in dict.fromkeys(chosen):
            category, label = FOLLOW_UPS[need]
            request = aid.request_intake(
                community=locked.community,
                dispatcher=by,
                contact_channel="in_person",
                category=category,
                description=_("%(need)s for household %(household)s, after an incident.")
                % {"need": label, "household": household},
                urgency=Urgency.HIGH,
                neighbourhood=locked.area,
            )
            codes.append(request.code)
    locked.followup_codes = codes
    locked.followup_done_at = now
    locked.save(update_fields=["followup_codes", "followup_done_at"])
    audit_record(
        community=locked.community,
        actor=None,
        action="defence.incident.follow_up",
        target=locked,
        summary=locked.code,
        data={"requests": len(codes)},
    )
    return locked


def household_code(value: object) -> str:
    """A household's code (letters, digits and -), never a name or an address."""
    code = clean_text(value, field="household", label=_("Household code"), limit=20, required=True)
    if not all(ch.isalnum() or ch == "-" for ch in code):
        raise InvalidInput(
            _("Use the household's code (letters, digits and -), never a name or an address."),
            field="household",
        )
    return code.upper()


def _monday(moment: dt.datetime) -> dt.date:
    day = timezone.localtime(moment).date()
    return day - dt.timedelta(days=day.weekday())


@transaction.atomic
def incident_reduce(*, incident: Incident) -> IncidentCount:
    """Reduce one closed incident to a count (week, area, kind) and delete everything else of it:
    what was seen, who reported, verified and answered it."""
    locked = _locked(incident)
    if locked.is_open or locked.followup_done_at is None:
        raise Conflict(_("An incident is forgotten only once it is closed and its follow-up opened."))
    count, _made = IncidentCount.objects.get_or_create(
        community=locked.community,
        week=_monday(locked.seen_at),
        area=locked.area,
        kind=locked.kind,
        false_alarm=locked.status == Incident.Status.FALSE_ALARM,
    )
    IncidentCount.objects.filter(pk=count.pk).update(count=F("count") + 1)
    # Blank the sealed columns before deleting, so the old values are overwritten in place too.
    Incident.objects.filter(pk=locked.pk).update(seen_sealed="", photo_sealed="")
    # The alerts and notices about it go too: a list of who was alerted, and when, is what a
    # seizure would otherwise still find.
    notification_withdraw(community=locked.community, url=incident_url(locked))
    locked.responses.all().delete()
    locked.delete()
    holdings.erasure_flush()
    count.refresh_from_db()
    return count


UNVERIFIED_EXPIRE = dt.timedelta(hours=24)


@transaction.atomic
def _expire_unverified(now: dt.datetime) -> int:
    """A report nobody verified within a day is closed as a false alarm (what was seen and the
    photo erased), so that it too is forgotten rather than kept forever."""
    stale = Incident.objects.select_for_update().filter(
        status=Incident.Status.REPORTED, created_at__lte=now - UNVERIFIED_EXPIRE
    )
    expired = stale.update(
        status=Incident.Status.FALSE_ALARM,
        closed_at=now,
        followup_done_at=now,
        seen_sealed="",
        photo_sealed="",
    )
    if expired:
        holdings.erasure_flush()
    return expired


def reduce_due(now: dt.datetime) -> int:
    """Clock job: reports left unverified for a day are closed as false alarms; every closed incident
    whose follow-up is opened and whose retention has passed becomes a count. Idempotent; cheap when
    nothing is due (a few queries, whatever the number of communities)."""
    _expire_unverified(now)
    done = 0
    custom = dict(DefenceSettings.objects.values_list("community_id", "retention_hours"))
    default_hours = DefenceSettings._meta.get_field("retention_hours").get_default()
    due = Incident.objects.filter(
        status__in=[Incident.Status.CLOSED, Incident.Status.FALSE_ALARM], followup_done_at__isnull=False
    ).only("pk", "community_id", "closed_at")
    for incident in due.filter(closed_at__lte=now).order_by("closed_at")[:500]:
        hours = custom.get(incident.community_id, default_hours)
        if incident.closed_at is not None and incident.closed_at + dt.timedelta(hours=hours) <= now:
            incident_reduce(incident=incident)
            done += 1
    return done


def reduce_job(now: dt.datetime) -> str | None:
    """The clock's entry (``defence.reduce_incidents``): what it did, for the clock's log."""
    done = reduce_due(now)
    return f"{done} incidents reduced to counts" if done else None
