"""The warm line and crisis response.

The warm line's log keeps when a call came, how long it lasted and one topic tag: no caller, no
number, no notes. A crisis call dispatches a pair — a medic and a peer supporter on the crisis
team's shift now — never the police by default; the pair acknowledges, arrives and closes the call
with an outcome category; if the person wants one, the follow-up becomes a care circle.

A crisis call goes through the mutual aid dispatch: dispatching makes an aid request (category
"Crisis response", by code, no caller identity; the rough place sealed in its private details) and
proposes the pair as its two matches, so dispatchers see it on aid's dispatch board. Each step of
the pair moves the request on in the same transaction (acknowledged: both matches confirmed;
arrived: started; closed: delivered, or cancelled when nobody was found or help was declined).
The outcome category stays here.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from dualpower.activities.models import Series
from dualpower.activities.selectors import on_shift
from dualpower.aid import selectors as aid_selectors
from dualpower.aid import services as aid
from dualpower.aid.models import LIVE_MATCH, AidMatch, AidRequest, Urgency
from dualpower.care.models.circles import Circle
from dualpower.care.models.clinics import CareRota, CrisisCall, WarmLineCall
from dualpower.care.services.circles import circle_open
from dualpower.clean import clean_choice, clean_datetime, clean_int, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text

MEDIC_ROLE = "medic"
PEER_ROLE = "peer-supporter"
AREA_MAX = 80  # as an aid request's neighbourhood
CRISIS_CATEGORY = "crisis-response"
# The category's name as stored, in English (its key is made from it); shown translated.
CRISIS_LABEL = gettext_noop("Crisis response")
# Outcomes where nobody was helped: the aid request is cancelled rather than met.
UNMET_OUTCOMES = ("no_contact", "declined")
OPEN_STATUSES = (CrisisCall.Status.DISPATCHED, CrisisCall.Status.ACKNOWLEDGED, CrisisCall.Status.ARRIVED)


@transaction.atomic
def rota_set(*, community: Community, kind: str, series: Series, by: Membership | None) -> CareRota:
    """Name the activity whose shifts staff the warm line or the crisis team."""
    kind = clean_choice(kind, CareRota.Kind, field="kind")
    if series.community_id != community.pk:
        raise InvalidInput(_("That activity is not one of this community's."), field="series")
    rota, _made = CareRota.objects.update_or_create(
        community=community, kind=kind, defaults={"series": series}
    )
    audit_record(community=community, actor=by, action="care.rota_set", target=rota, summary=kind)
    return rota


@transaction.atomic
def call_log(
    *,
    community: Community,
    by: Membership | None,
    started_at: dt.datetime,
    duration_minutes: int,
    topic: str,
    now: dt.datetime | None = None,
) -> WarmLineCall:
    """Log a warm-line call: its time, length and topic tag, and nothing else."""
    now = now or timezone.now()
    started = clean_datetime(started_at, field="started_at", label=_("When the call started"))
    if started > now + dt.timedelta(minutes=5):
        raise InvalidInput(_("The call cannot start in the future."), field="started_at")
    if started < now - dt.timedelta(days=7):
        raise InvalidInput(_("Log calls within a week."), field="started_at")
    minutes = clean_int(
        duration_minutes, field="duration_minutes", label=_("The length in minutes"), low=1, high=600
    )
    topic = clean_choice(topic, WarmLineCall.Topic, field="topic")
    # The minute only: a precise second would help match a call to a phone bill.
    started = started.replace(second=0, microsecond=0)
    call = WarmLineCall.objects.create(
        community=community, started_at=started, duration_minutes=minutes, topic=topic
    )
    audit_record(community=community, actor=by, action="care.call_log", target=None)
    return call


def _busy_ids(community: Community) -> set[int]:
    busy = CrisisCall.objects.filter(community=community, status__in=OPEN_STATUSES)
    return {pk for pair in busy.values_list("medic_id", "peer_id") for pk in pair if pk is not None}


def _pick(
    community: Community, *, at: dt.datetime, role: str, series: Series | None, avoid: set[int]
) -> Membership | None:
    for place in on_shift(community=community, at=at, series=series, role_slugs={role}):
        if place.membership_id not in avoid:
            return place.membership
    return None


def call_url(call: CrisisCall) -> str:
    return f"/c/{call.community.slug}/care/crisis/{call.pk}/"


def _crisis_names() -> set[str]:
    """The crisis category's name as each of the node's languages writes it, in lower case."""
    names = {CRISIS_LABEL.lower()}
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            names.add(_(CRISIS_LABEL).lower())
    return names


def _crisis_category(community: Community, by: Membership) -> str:
    """The aid category crisis calls are filed under (its key), added through aid when missing.
    Found by key, or by its name in any of the node's languages (a row made before names were
    stored in English, or one a coordinator added by hand). Made, it is named in English whoever
    sends the first call: aid shows it in each reader's language (registrations.py registers the
    name), so the stored name does not depend on who happened to be first."""
    names = _crisis_names()
    for key, name in aid.categories_for(community):
        if key == CRISIS_CATEGORY or name.lower() in names:
            return key
    return aid.aid_category_add(community=community, name=CRISIS_LABEL, by=by).key


def _aid_request(community: Community, by: Membership, area: str, situation: str) -> AidRequest:
    """The call's aid request: by code, no caller identity; only dispatchers see it. Its text is
    the situation, as the sender would have typed it in their language; the rough place is only in
    the sealed details (erased with them, as aid erases every closed request's), so its listed
    neighbourhood is a dash, the same in every language."""
    return aid.request_intake(
        community=community,
        dispatcher=by,
        contact_channel=AidRequest.Channel.IN_PERSON,
        details={"address": area},
        category=_crisis_category(community, by),
        description=str(CrisisCall.Situation(situation).label),
        urgency=Urgency.CRITICAL,
        quantity=2,
        neighbourhood="—",
        privacy="dispatchers",
    )


@transaction.atomic
def crisis_dispatch(
    *,
    community: Community,
    by: Membership | None,
    situation: str,
    area: str,
    now: dt.datetime | None = None,
) -> CrisisCall:
    """Send a pair to a crisis: a medic and a peer supporter on the crisis team's shift now and not
    already out on a call, through the aid dispatch (a request, the pair proposed as its matches,
    the sender speaking for the person). Nobody else is called: not the police, not an ambulance
    (the pair, with the person, decide that on the spot). No pair on shift: refused with a
    sentence, nothing written."""
    now = now or timezone.now()
    situation = clean_choice(situation, CrisisCall.Situation, field="situation")
    area = clean_text(area, field="area", label=_("Where (roughly)"), limit=AREA_MAX, required=True)
    rota = (
        CareRota.objects.filter(community=community, kind=CareRota.Kind.CRISIS)
        .select_related("series")
        .first()
    )
    series = rota.series if rota is not None else None
    busy = _busy_ids(community)
    medic = _pick(community, at=now, role=MEDIC_ROLE, series=series, avoid=busy)
    if medic is None:
        raise Conflict(_("No medic of the crisis team is on shift and free right now."))
    peer = _pick(community, at=now, role=PEER_ROLE, series=series, avoid=busy | {medic.pk})
    if peer is None:
        raise Conflict(_("No peer supporter of the crisis team is on shift and free right now."))
    if by is None or by.community_id != community.pk:
        raise PermissionDenied(_("Only a member of this community can send a crisis pair."))
    request = _aid_request(community, by, area, situation)
    for volunteer in (medic, peer):
        aid.match_propose(request=request, volunteer=volunteer, by=by, quantity=1, requester_confirmed=True)
    call = CrisisCall.objects.create(
        community=community,
        code=request.code,
        situation=situation,
        area=area,
        medic=medic,
        peer=peer,
        dispatched_by=by,
        dispatched_at=now,
        aid_request=request,
    )
    audit_record(community=community, actor=by, action="care.crisis_dispatch", target=call, summary=call.code)
    notification_send(
        recipients=[medic, peer],
        community=community,
        kind="care.crisis_dispatch",
        title=notice_text(gettext_lazy("Crisis call %(code)s: you are sent, with a partner"), code=call.code),
        body=gettext_lazy("Open the call to see where and acknowledge it."),
        url=call_url(call),
    )
    return call


def _matches(call: CrisisCall, *statuses: str) -> list[AidMatch]:
    """The pair's live matches on the call's aid request (none for calls from before)."""
    if call.aid_request_id is None:
        return []
    return aid_selectors.matches_of_volunteers(
        request_id=call.aid_request_id,
        volunteer_ids=[pk for pk in (call.medic_id, call.peer_id) if pk],
        statuses=statuses or tuple(LIVE_MATCH),
    )


def _confirm(call: CrisisCall) -> None:
    # Each match is confirmed by its own volunteer: the pair answers as one.
    for match in _matches(call, AidMatch.Status.PROPOSED):
        aid.match_confirm(match=match, by=match.volunteer, side=aid.VOLUNTEER)


def _start(call: CrisisCall) -> None:
    _confirm(call)
    for match in _matches(call, AidMatch.Status.CONFIRMED):
        aid.match_start(match=match, by=match.volunteer)


def _close_request(call: CrisisCall, *, outcome: str, by: Membership) -> None:
    if call.aid_request_id is None:
        return
    request = aid_selectors.request_by_pk(pk=call.aid_request_id)
    if request.is_closed:
        return  # a dispatcher closed it on aid's pages already
    if outcome in UNMET_OUTCOMES:
        aid.request_cancel(request=request, by=by, reason=str(CrisisCall.Outcome(outcome).label))
        return
    _confirm(call)
    for match in _matches(call, AidMatch.Status.CONFIRMED, AidMatch.Status.IN_PROGRESS):
        aid.match_deliver(match=match, delivered=1, by=match.volunteer)
    request.refresh_from_db()
    if not request.is_closed:  # one of the pair's matches was released on aid's pages
        aid.request_close_fulfilled(request=request, by=by, reason=str(CrisisCall.Outcome(outcome).label))


def _locked(call: CrisisCall) -> CrisisCall:
    return CrisisCall.objects.select_for_update().select_related("community").get(pk=call.pk)


def _of_pair(call: CrisisCall, by: Membership) -> None:
    if by.pk not in (call.medic_id, call.peer_id):
        raise PermissionDenied(_("Only the pair sent to this call can do this."))


@transaction.atomic
def crisis_acknowledge(*, call: CrisisCall, by: Membership, now: dt.datetime | None = None) -> CrisisCall:
    """The pair is on its way (either of them says so for both)."""
    now = now or timezone.now()
    call = _locked(call)
    _of_pair(call, by)
    if call.status != CrisisCall.Status.DISPATCHED:
        raise Conflict(_("This call was already acknowledged."))
    call.status, call.acknowledged_at = CrisisCall.Status.ACKNOWLEDGED, now
    call.save(update_fields=["status", "acknowledged_at"])
    _confirm(call)
    audit_record(
        community=call.community, actor=by, action="care.crisis_acknowledge", target=call, summary=call.code
    )
    return call


@transaction.atomic
def crisis_arrive(*, call: CrisisCall, by: Membership, now: dt.datetime | None = None) -> CrisisCall:
    now = now or timezone.now()
    call = _locked(call)
    _of_pair(call, by)
    if call.status not in (CrisisCall.Status.DISPATCHED, CrisisCall.Status.ACKNOWLEDGED):
        raise Conflict(_("The pair has already arrived or the call is closed."))
    call.status, call.arrived_at = CrisisCall.Status.ARRIVED, now
    call.acknowledged_at = call.acknowledged_at or now
    call.save(update_fields=["status", "arrived_at", "acknowledged_at"])
    _start(call)
    audit_record(
        community=call.community, actor=by, action="care.crisis_arrive", target=call, summary=call.code
    )
    return call


@transaction.atomic
def crisis_close(
    *,
    call: CrisisCall,
    by: Membership,
    outcome: str,
    follow_up: bool = False,
    person: Membership | None = None,
    now: dt.datetime | None = None,
) -> CrisisCall:
    """Close the call with its outcome category. With ``follow_up`` (the person wants one), a care
    circle is opened: for ``person`` if they are a member (they run it), otherwise under the call's
    code, run by whoever closes the call until they hand it on."""
    now = now or timezone.now()
    call = _locked(call)
    _of_pair(call, by)
    if call.status == CrisisCall.Status.CLOSED:
        raise Conflict(_("This call is already closed."))
    outcome = clean_choice(outcome, CrisisCall.Outcome, field="outcome")
    if follow_up:
        circle = circle_open(
            community=call.community,
            opened_by=by,
            person=person,
            person_code="" if person is not None else call.code,
            kind=Circle.Kind.MENTAL_HEALTH,
            title=_("Follow-up after crisis call %(code)s") % {"code": call.code},
        )
        call.follow_up_circle = circle
        outcome = CrisisCall.Outcome.CARE_CIRCLE
    call.status, call.closed_at, call.outcome = CrisisCall.Status.CLOSED, now, outcome
    call.save(update_fields=["status", "closed_at", "outcome", "follow_up_circle"])
    _close_request(call, outcome=outcome, by=by)
    audit_record(community=call.community, actor=by, action="care.crisis_close", target=call, summary=outcome)
    return call
