"""The life of a match: proposed → confirmed by both → in progress → fulfilled → feedback; or released.

A request's quantity is shared out among its matches. Committing a quantity is one conditional
UPDATE on the request row ("only if what is committed plus this still fits in what was asked, and
the request is not closed"), so two volunteers accepting the same request at the same moment cannot
both win: the database serialises the two updates and the second finds nothing left (409).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

import dualpower.aid.services._clean as validation
from dualpower.aid import notify
from dualpower.aid.models import CLOSED_STATUSES, LIVE_MATCH, AidMatch, AidOffer, AidRequest
from dualpower.aid.reasons import to_json
from dualpower.aid.roles import is_dispatcher_member
from dualpower.aid.selectors import offer_remaining
from dualpower.aid.services._common import matching_changed, touch
from dualpower.clean import clean_text
from dualpower.community.services import audit_record
from dualpower.core.matching import Reason
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.models import Membership

VOLUNTEER = "volunteer"
REQUESTER = "requester"


def _refresh_status(request: AidRequest) -> None:
    """A request's status follows its furthest-along live match, unless it is closed."""
    if request.status in CLOSED_STATUSES:
        return
    live = set(request.matches.filter(status__in=LIVE_MATCH).values_list("status", flat=True))
    if AidMatch.Status.IN_PROGRESS in live:
        request.status = AidRequest.Status.IN_PROGRESS
    elif AidMatch.Status.CONFIRMED in live:
        request.status = AidRequest.Status.CONFIRMED
    elif AidMatch.Status.PROPOSED in live:
        request.status = AidRequest.Status.MATCHED
    else:
        request.status = AidRequest.Status.OPEN


def _commit(request: AidRequest, quantity: int) -> AidRequest:
    """Take ``quantity`` of the request, or say why not. Nothing is written when refused."""
    if quantity > request.quantity:
        raise InvalidInput(
            _("This request asks for %(n)d; you cannot commit more than that.") % {"n": request.quantity},
            field="quantity",
        )
    taken = (
        AidRequest.objects.filter(pk=request.pk, quantity_committed__lte=F("quantity") - quantity)
        .exclude(status__in=CLOSED_STATUSES)
        .update(quantity_committed=F("quantity_committed") + quantity)
    )
    fresh = AidRequest.objects.get(pk=request.pk)
    if taken:
        return fresh
    if fresh.status in CLOSED_STATUSES:
        raise Conflict(
            _("This request is closed (%(s)s); it takes no more matches.") % {"s": fresh.get_status_display()}
        )
    left = fresh.quantity - fresh.quantity_committed
    if left == 0:
        raise Conflict(_("Someone else has already taken this request. Thank you for offering!"))
    raise Conflict(_("Only %(n)d of this request is still open; commit that much or less.") % {"n": left})


def _check_offer(
    offer: AidOffer | None, volunteer: Membership, request: AidRequest, *, now: datetime
) -> None:
    if offer is None:
        return
    if offer.volunteer_id != volunteer.pk or offer.community_id != request.community_id:
        raise InvalidInput(_("That offer is not this volunteer's."), field="offer")
    if offer.status != AidOffer.Status.ACTIVE:
        raise Conflict(_("That offer is paused or withdrawn."))
    if request.category not in offer.categories:
        raise InvalidInput(_("That offer does not cover this request's category."), field="offer")
    left = offer_remaining(offer, now=now)
    if left is not None and left < 1:
        raise Conflict(_("That offer has no capacity left for this period."))


def _create_match(
    *,
    request: AidRequest,
    volunteer: Membership,
    offer: AidOffer | None,
    quantity: int,
    by: Membership,
    explanation: str,
    reasons: Sequence[Reason],
    volunteer_confirmed: bool,
    requester_confirmed: bool,
) -> AidMatch:
    now = timezone.now()
    if volunteer.community_id != request.community_id or not volunteer.is_active:
        raise InvalidInput(_("Only active members of this community can volunteer."), field="volunteer")
    if volunteer.role == Membership.Role.OBSERVER:
        raise PermissionDenied(_("Observers cannot take on requests."))
    if request.requester_id == volunteer.pk:
        raise InvalidInput(_("You cannot take on your own request."), field="volunteer")
    if request.status in CLOSED_STATUSES:
        raise Conflict(
            _("This request is closed (%(s)s); it takes no more matches.")
            % {"s": request.get_status_display()}
        )
    if AidMatch.objects.filter(request=request, volunteer=volunteer, status__in=LIVE_MATCH).exists():
        raise Conflict(_("%(name)s is already matched to this request.") % {"name": volunteer.display_name})
    _check_offer(offer, volunteer, request, now=now)
    fresh = _commit(request, quantity)
    try:
        with transaction.atomic():
            match = AidMatch.objects.create(
                request=fresh,
                offer=offer,
                volunteer=volunteer,
                proposed_by=by,
                quantity=quantity,
                explanation=explanation[:500],
                reasons=to_json(reasons),
                volunteer_confirmed_at=now if volunteer_confirmed else None,
                requester_confirmed_at=now if requester_confirmed else None,
            )
    except IntegrityError:
        raise Conflict(
            _("%(name)s is already matched to this request.") % {"name": volunteer.display_name}
        ) from None
    matching_changed(fresh.community)
    if fresh.first_response_at is None:
        fresh.first_response_at = now
    touch(fresh, now=now)
    _refresh_status(fresh)
    fresh.save(update_fields=["first_response_at", "updated_at", "stale_since", "status"])
    return match


@transaction.atomic
def match_accept(
    *,
    request: AidRequest,
    volunteer: Membership,
    quantity: int | str | None = None,
    offer: AidOffer | None = None,
) -> AidMatch:
    """A volunteer takes on a request (all that is left of it, or ``quantity``). The requester side
    still confirms before any private detail is shown."""
    remaining = request.quantity - request.quantity_committed
    qty = validation.quantity(quantity) if quantity not in (None, "") else max(remaining, 1)
    match = _create_match(
        request=request,
        volunteer=volunteer,
        offer=offer,
        quantity=qty,
        by=volunteer,
        explanation="",
        reasons=(),
        volunteer_confirmed=True,
        requester_confirmed=False,
    )
    audit_record(
        community=request.community,
        actor=volunteer,
        action="aid.match.accept",
        target=match,
        summary=request.code,
    )
    notify.requester_side(match, gettext_lazy("A volunteer offered to help with your request"))
    return match


@transaction.atomic
def match_propose(
    *,
    request: AidRequest,
    volunteer: Membership,
    by: Membership,
    offer: AidOffer | None = None,
    quantity: int | str | None = None,
    explanation: str = "",
    reasons: Sequence[Reason] = (),
    requester_confirmed: bool = False,
) -> AidMatch:
    """A dispatcher proposes a volunteer (from a suggestion or a batch). Both sides then confirm
    (``requester_confirmed``: the sender speaks for the person, as care's crisis dispatch does).

    ``reasons`` are the engine's, stored as codes so every reader gets them in their language;
    ``explanation`` is an optional note in the dispatcher's own words."""
    remaining = request.quantity - request.quantity_committed
    qty = validation.quantity(quantity) if quantity not in (None, "") else max(remaining, 1)
    match = _create_match(
        request=request,
        volunteer=volunteer,
        offer=offer,
        quantity=qty,
        by=by,
        explanation=explanation,
        reasons=reasons,
        volunteer_confirmed=False,
        requester_confirmed=requester_confirmed,
    )
    audit_record(
        community=request.community, actor=by, action="aid.match.propose", target=match, summary=request.code
    )
    notify.volunteer(match, gettext_lazy("You were asked to help with a request"))
    return match


def _locked(match: AidMatch) -> AidMatch:
    """The match, locked for this transaction. Its request is locked first: every writer takes the
    request, then its matches, then the settings row, so two writers never wait on each other."""
    list(AidRequest.objects.select_for_update().filter(pk=match.request_id).values_list("pk", flat=True))
    return (
        AidMatch.objects.select_for_update(of=("self",))
        .select_related("request", "volunteer")
        .get(pk=match.pk)
    )


def side_of(match: AidMatch, who: Membership) -> set[str]:
    """Which side(s) of the match ``who`` may confirm for: the volunteer their own; the requester
    theirs; a dispatcher the requester's side of a request taken without an account."""
    sides = set()
    if match.volunteer_id == who.pk:
        sides.add(VOLUNTEER)
    own = match.request.requester_id == who.pk
    taken_for_them = match.request.requester_id is None and is_dispatcher_member(who)
    if own or taken_for_them:
        sides.add(REQUESTER)
    return sides


@transaction.atomic
def match_confirm(*, match: AidMatch, by: Membership, side: str | None = None) -> AidMatch:
    match = _locked(match)
    if match.status != AidMatch.Status.PROPOSED:
        raise Conflict(
            _("This match is not waiting for confirmation (%(s)s).") % {"s": match.get_status_display()}
        )
    sides = side_of(match, by)
    if side is not None:
        if side not in sides:
            raise PermissionDenied(_("You cannot confirm for that side of this match."))
        sides = {side}
    if not sides:
        raise PermissionDenied(
            _("Only the volunteer and the person helped (or a dispatcher for them) confirm.")
        )
    now = timezone.now()
    if VOLUNTEER in sides and match.volunteer_confirmed_at is None:
        match.volunteer_confirmed_at = now
    if REQUESTER in sides and match.requester_confirmed_at is None:
        match.requester_confirmed_at = now
    if match.volunteer_confirmed_at and match.requester_confirmed_at:
        match.status = AidMatch.Status.CONFIRMED
    match.updated_at = now
    match.save()
    request = match.request
    touch(request, now=now)
    _refresh_status(request)
    request.save(update_fields=["updated_at", "stale_since", "status"])
    audit_record(
        community=request.community,
        actor=by,
        action="aid.match.confirm",
        target=match,
        summary=request.code,
        data={"sides": sorted(sides)},
    )
    if match.status == AidMatch.Status.CONFIRMED:
        notify.volunteer(
            match, gettext_lazy("Your match is confirmed: the details are on the request's page")
        )
        notify.requester_side(match, gettext_lazy("Your request's match is confirmed"))
    elif VOLUNTEER in sides:
        notify.requester_side(match, gettext_lazy("A volunteer confirmed they can help"))
    else:
        notify.volunteer(match, gettext_lazy("The request you were matched to confirmed"))
    return match


def _may_act(match: AidMatch, by: Membership) -> None:
    if match.volunteer_id != by.pk and not is_dispatcher_member(by):
        raise PermissionDenied(_("Only the matched volunteer or a dispatcher can do this."))


@transaction.atomic
def match_start(*, match: AidMatch, by: Membership) -> AidMatch:
    match = _locked(match)
    _may_act(match, by)
    if match.status != AidMatch.Status.CONFIRMED:
        raise Conflict(_("Only a match confirmed by both sides can start."))
    now = timezone.now()
    match.status = AidMatch.Status.IN_PROGRESS
    match.updated_at = now
    match.save(update_fields=["status", "updated_at"])
    request = match.request
    touch(request, now=now)
    _refresh_status(request)
    request.save(update_fields=["updated_at", "stale_since", "status"])
    audit_record(
        community=request.community, actor=by, action="aid.match.start", target=match, summary=request.code
    )
    return match


@transaction.atomic
def match_deliver(*, match: AidMatch, delivered: int | str | None, by: Membership) -> AidMatch:
    """The volunteer (or a dispatcher) records what was delivered and closes the match as fulfilled.
    Delivering less than committed gives the rest back to the request, which stays open for it."""
    match = _locked(match)
    _may_act(match, by)
    if match.status not in (AidMatch.Status.CONFIRMED, AidMatch.Status.IN_PROGRESS):
        raise Conflict(_("Only a confirmed match can be marked fulfilled."))
    qty = validation.quantity(delivered if delivered not in (None, "") else match.quantity, field="delivered")
    if qty > match.quantity:
        raise InvalidInput(
            ngettext(
                "%(n)d was committed; you cannot deliver more than that in this match.",
                "%(n)d were committed; you cannot deliver more than that in this match.",
                match.quantity,
            )
            % {"n": match.quantity},
            field="delivered",
        )
    now = timezone.now()
    match.delivered = qty
    match.status = AidMatch.Status.FULFILLED
    match.updated_at = match.ended_at = now
    match.save(update_fields=["delivered", "status", "updated_at", "ended_at"])
    AidRequest.objects.filter(pk=match.request_id).update(
        quantity_delivered=F("quantity_delivered") + qty,
        quantity_committed=F("quantity_committed") - (match.quantity - qty),
    )
    request = AidRequest.objects.select_for_update().get(pk=match.request_id)
    touch(request, now=now)
    if request.quantity_delivered >= request.quantity and request.status not in CLOSED_STATUSES:
        request.status = AidRequest.Status.FULFILLED
        request.fulfilled_at = request.closed_at = now
    else:
        _refresh_status(request)
    request.save()
    audit_record(
        community=request.community,
        actor=by,
        action="aid.match.fulfil",
        target=match,
        summary=request.code,
        data={"delivered": qty, "committed": match.quantity},
    )
    notify.requester_side(match, gettext_lazy("Your request was marked as delivered; tell us how it went"))
    return match


@transaction.atomic
def match_release(*, match: AidMatch, by: Membership, reason: str = "") -> AidMatch:
    """A volunteer who cannot make it (or a dispatcher) releases the match: the request reopens."""
    reason = clean_text(reason, field="reason", label=_("Reason"), limit=300)
    match = _locked(match)
    _may_act(match, by)
    if match.status not in LIVE_MATCH:
        raise Conflict(_("This match has already ended (%(s)s).") % {"s": match.get_status_display()})
    now = timezone.now()
    match.status = AidMatch.Status.RELEASED
    match.updated_at = match.ended_at = now
    match.save(update_fields=["status", "updated_at", "ended_at"])
    AidRequest.objects.filter(pk=match.request_id).update(
        quantity_committed=F("quantity_committed") - match.quantity
    )
    request = AidRequest.objects.select_for_update().get(pk=match.request_id)
    touch(request, now=now)
    _refresh_status(request)
    request.save()
    # The settings row is always locked last (after the request), so two writers never deadlock.
    matching_changed(request.community)
    audit_record(
        community=request.community,
        actor=by,
        action="aid.match.release",
        target=match,
        summary=request.code,
        data={"reason": reason} if reason else None,
    )
    notify.requester_side(match, gettext_lazy("A volunteer could not make it; your request is open again"))
    notify.dispatchers(request, gettext_lazy("A match was released; the request is open again"))
    return match


@transaction.atomic
def match_feedback(*, match: AidMatch, by: Membership, text: str) -> AidMatch:
    text = clean_text(text, field="text", label=_("Feedback"), limit=1000, required=True)
    match = _locked(match)
    if match.status != AidMatch.Status.FULFILLED:
        raise Conflict(_("Feedback is given once the match is fulfilled."))
    sides = side_of(match, by)
    if not sides:
        raise PermissionDenied(_("Only the volunteer and the person helped give feedback."))
    if VOLUNTEER in sides:
        match.volunteer_feedback = text
    if REQUESTER in sides:
        match.requester_feedback = text
    match.updated_at = timezone.now()
    match.save()
    audit_record(
        community=match.request.community,
        actor=by,
        action="aid.match.feedback",
        target=match,
        summary=match.request.code,
    )
    return match
