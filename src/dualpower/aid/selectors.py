"""Every non-trivial read about mutual aid, and the one function that decides which fields of a
request a person sees (``request_view``): pages, the API and exports all go through it, so they can
never disagree about what is private."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dualpower.aid import crypto
from dualpower.aid.models import (
    LIVE_MATCH,
    AidCategory,
    AidMatch,
    AidOffer,
    AidReferral,
    AidRequest,
    DispatcherRole,
    Privacy,
)
from dualpower.aid.reasons import from_json, to_json
from dualpower.aid.roles import is_dispatcher_member, volunteer_categories
from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.members.models import Membership

SEEN_MATCH = (*LIVE_MATCH, AidMatch.Status.FULFILLED)
# Details open to the volunteer only while the match is confirmed by both and not yet over.
DETAIL_MATCH = (AidMatch.Status.CONFIRMED, AidMatch.Status.IN_PROGRESS)

# Issue 6's list; a community adds its own (AidCategory).
BUILTIN_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("housing", gettext_noop("Housing and shelter")),
    ("food", gettext_noop("Food")),
    ("physical-health", gettext_noop("Physical health")),
    ("mental-health", gettext_noop("Mental health")),
    ("childcare", gettext_noop("Childcare")),
    ("elder-care", gettext_noop("Elder care")),
    ("education", gettext_noop("Education and skills")),
    ("transport", gettext_noop("Transport")),
    ("legal", gettext_noop("Legal support")),
    ("safety", gettext_noop("Safety accompaniment and community defence")),
    ("money", gettext_noop("Money")),
    ("goods", gettext_noop("Goods")),
    ("other", gettext_noop("Other")),
)


def categories_for(community: Community) -> list[tuple[str, str]]:
    """(key, name) of every category this community uses: built-in first, then its own."""
    out = [(key, _(name)) for key, name in BUILTIN_CATEGORIES]
    out += [(c.key, c.name) for c in AidCategory.objects.filter(community=community)]
    return out


def category_names(community: Community) -> dict[str, str]:
    """Every category's name by key, read once: what a list passes to each row it shows."""
    return dict(categories_for(community))


def category_name(community: Community, key: str) -> str:
    return category_names(community).get(key, key)


def period_start(period: str, now: datetime) -> datetime:
    local = timezone.localtime(now)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == AidOffer.Period.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


# The attribute offers_with_use() sets: the matches counted against each offer's capacity when it
# was read, which offer_remaining() then uses instead of counting again.
USED_NOW = "used_now"


def offer_remaining(offer: AidOffer, *, now: datetime | None = None) -> int | None:
    """How many more matches the offer can take now (this week or month if recurring); None when
    inexhaustible."""
    if offer.kind == AidOffer.Kind.INEXHAUSTIBLE or offer.capacity is None:
        return None
    counted = getattr(offer, USED_NOW, None)
    if counted is not None:
        return max(offer.capacity - counted, 0)
    used = AidMatch.objects.filter(offer=offer, status__in=SEEN_MATCH)
    if offer.kind == AidOffer.Kind.RECURRING:
        used = used.filter(created_at__gte=period_start(offer.period, now or timezone.now()))
    return max(offer.capacity - used.count(), 0)


def offers_with_use(qs: QuerySet[AidOffer], *, now: datetime | None = None) -> QuerySet[AidOffer]:
    """``qs`` with each offer's matches that count against its capacity now (all of them, or this
    week's or month's for a recurring offer) counted in the same query, for offer_remaining."""
    now = now or timezone.now()
    this_period = Q(kind=AidOffer.Kind.RECURRING) & (
        Q(period=AidOffer.Period.WEEK, matches__created_at__gte=period_start(AidOffer.Period.WEEK, now))
        | Q(period=AidOffer.Period.MONTH, matches__created_at__gte=period_start(AidOffer.Period.MONTH, now))
    )
    counted = Q(matches__status__in=SEEN_MATCH) & (~Q(kind=AidOffer.Kind.RECURRING) | this_period)
    return qs.annotate(**{USED_NOW: Count("matches", filter=counted)})


# --- who sees a request -------------------------------------------------------------------------


def _matched(membership: Membership, request: AidRequest, statuses: tuple[str, ...]) -> bool:
    return AidMatch.objects.filter(request=request, volunteer=membership, status__in=statuses).exists()


def may_see_request(membership: Membership | None, request: AidRequest) -> bool:
    if membership is None or membership.community_id != request.community_id:
        return False
    if is_dispatcher_member(membership) or request.requester_id == membership.pk:
        return True
    if request.privacy == Privacy.MEMBERS:
        return True
    if request.privacy == Privacy.VOLUNTEERS and request.category in volunteer_categories(membership):
        return True
    return _matched(membership, request, SEEN_MATCH)


def may_see_details(
    membership: Membership | None, request: AidRequest, *, detailed: set[int] | None = None
) -> bool:
    """Contact, address, health, immigration, safety notes: dispatchers, the person themselves, and
    the matched volunteer once both sides confirmed (until the match ends). ``detailed``: the ids
    of the requests where that match exists, when a list read them at once (_detail_matched)."""
    if membership is None or membership.community_id != request.community_id:
        return False
    if is_dispatcher_member(membership) or request.requester_id == membership.pk:
        return True
    if detailed is not None:
        return request.pk in detailed
    return _matched(membership, request, DETAIL_MATCH)


def _detail_matched(membership: Membership | None) -> set[int]:
    """Ids of the requests where ``membership`` is the volunteer of a match open to the details
    (a handful at most: one's own confirmed and running matches)."""
    if membership is None or is_dispatcher_member(membership):
        return set()  # a dispatcher sees every request's details anyway
    return set(
        AidMatch.objects.filter(volunteer=membership, status__in=DETAIL_MATCH)
        .order_by()
        .values_list("request_id", flat=True)
    )


def requests_visible(*, community: Community, membership: Membership | None) -> QuerySet[AidRequest]:
    qs = AidRequest.objects.filter(community=community)
    if membership is None or membership.community_id != community.pk:
        return qs.none()
    if is_dispatcher_member(membership):
        return qs
    mine = Q(requester=membership) | Q(
        pk__in=AidMatch.objects.filter(volunteer=membership, status__in=SEEN_MATCH).values("request_id")
    )
    seen = Q(privacy=Privacy.MEMBERS) | Q(
        privacy=Privacy.VOLUNTEERS, category__in=volunteer_categories(membership)
    )
    return qs.filter(seen | mine)


def request_filtered(
    qs: QuerySet[AidRequest],
    *,
    status: str = "",
    category: str = "",
    neighbourhood: str = "",
    urgency: str = "",
) -> QuerySet[AidRequest]:
    if status == "open":
        qs = qs.filter(status__in=[AidRequest.Status.OPEN, AidRequest.Status.MATCHED])
    elif status == "active":
        qs = qs.exclude(
            status__in=[AidRequest.Status.FULFILLED, AidRequest.Status.CANCELLED, AidRequest.Status.REFERRED]
        )
    elif status in AidRequest.Status.values:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if neighbourhood:
        qs = qs.filter(neighbourhood__icontains=neighbourhood)
    if urgency.isdigit():
        qs = qs.filter(urgency=int(urgency))
    return qs


def request_view(
    request: AidRequest,
    membership: Membership | None,
    *,
    names: Mapping[str, str] | None = None,
    detailed: set[int] | None = None,
    with_details: bool = True,
) -> dict[str, Any]:
    """The fields of ``request`` that ``membership`` may see. Call only after may_see_request.
    A list passes what it read once for all its rows (see request_views); ``with_details=False``:
    a page that does not show the private details leaves them sealed."""
    if names is None:
        names = category_names(request.community)
    out: dict[str, Any] = {
        "code": request.code,
        "category": request.category,
        "category_name": names.get(request.category, request.category),
        "description": request.description,
        "urgency": request.urgency,
        "urgency_name": request.get_urgency_display(),
        "quantity": request.quantity,
        "unit": request.unit,
        "quantity_committed": request.quantity_committed,
        "quantity_delivered": request.quantity_delivered,
        "quantity_open": request.quantity - request.quantity_committed,
        "window_start": request.window_start,
        "window_end": request.window_end,
        "languages": list(request.languages),
        "neighbourhood": request.neighbourhood,
        "privacy": request.privacy,
        "status": request.status,
        "status_name": request.get_status_display(),
        "created_at": request.created_at,
        "is_mine": membership is not None and request.requester_id == membership.pk,
    }
    dispatcher = is_dispatcher_member(membership)
    if dispatcher:
        out["contact_channel"] = request.contact_channel
        out["contact_language"] = request.contact_language
        out["taken_by"] = request.taken_by.display_name if request.taken_by is not None else ""
        out["stale_since"] = request.stale_since
        out["referred_to"] = request.referred_to
    if with_details and may_see_details(membership, request, detailed=detailed):
        details = crypto.unseal(request.sealed)
        if request.requester_id and "name" not in details:
            details["name"] = request.requester.display_name  # type: ignore[union-attr]
        out["details"] = details
        out["details_erased"] = request.erased_at is not None
        if not dispatcher:
            out["contact_channel"] = request.contact_channel
            out["contact_language"] = request.contact_language
    return out


def request_views(
    requests: Iterable[AidRequest],
    membership: Membership | None,
    *,
    community: Community,
    names: Mapping[str, str] | None = None,
    with_details: bool = True,
) -> list[dict[str, Any]]:
    """request_view of each of ``requests`` (of ``community``), in a bounded number of queries:
    the categories (unless the caller read them: ``names``) and the visitor's matches are read once
    for the whole list. The requests should come with their requester and taken_by
    (select_related)."""
    if names is None:
        names = category_names(community)
    detailed = _detail_matched(membership) if with_details else set()
    return [
        request_view(r, membership, names=names, detailed=detailed, with_details=with_details)
        for r in requests
    ]


def matches_visible(request: AidRequest, membership: Membership | None) -> list[AidMatch]:
    """Matches of a request: all of them for dispatchers and the requester, one's own otherwise."""
    qs = request.matches.select_related("volunteer", "offer")
    if membership is None:
        return []
    if is_dispatcher_member(membership) or request.requester_id == membership.pk:
        return list(qs)
    return list(qs.filter(volunteer=membership))


def match_view(match: AidMatch) -> dict[str, Any]:
    return {
        "id": match.pk,
        "request": match.request.code,
        "volunteer": match.volunteer.display_name,
        "status": match.status,
        "status_name": match.get_status_display(),
        "quantity": match.quantity,
        "delivered": match.delivered,
        # Worded in the active language (the page's, or the API request's Accept-Language).
        "explanation": match.explanation_text,
        "reason_codes": to_json(from_json(match.reasons)),
        "volunteer_confirmed": match.volunteer_confirmed_at is not None,
        "requester_confirmed": match.requester_confirmed_at is not None,
        "volunteer_feedback": match.volunteer_feedback,
        "requester_feedback": match.requester_feedback,
        "created_at": match.created_at,
    }


# --- offers -------------------------------------------------------------------------------------


def may_see_offer(membership: Membership | None, offer: AidOffer) -> bool:
    if membership is None or membership.community_id != offer.community_id:
        return False
    if offer.volunteer_id == membership.pk or is_dispatcher_member(membership):
        return True
    if offer.privacy == Privacy.MEMBERS:
        return True
    if offer.privacy == Privacy.VOLUNTEERS:
        return bool(set(offer.categories) & volunteer_categories(membership))
    return False


def offers_visible(*, community: Community, membership: Membership | None) -> list[AidOffer]:
    """The offers ``membership`` may see, with their volunteer and the use of their capacity."""
    if membership is None or membership.community_id != community.pk:
        return []
    qs = offers_with_use(AidOffer.objects.filter(community=community).select_related("volunteer"))
    return [o for o in qs if may_see_offer(membership, o)]


def offer_view(
    offer: AidOffer, *, now: datetime | None = None, names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """An offer as pages and the API show it; a list passes the category ``names`` it read once."""
    if names is None:
        names = category_names(offer.community)
    return {
        "id": offer.pk,
        "volunteer": offer.volunteer.display_name,
        "categories": list(offer.categories),
        "category_names": [names.get(c, c) for c in offer.categories],
        "description": offer.description,
        "kind": offer.kind,
        "kind_name": offer.get_kind_display(),
        "capacity": offer.capacity,
        "period": offer.period,
        "period_name": offer.get_period_display() if offer.period else "",
        "remaining": offer_remaining(offer, now=now),
        "skills": list(offer.skills),
        "languages": list(offer.languages),
        "neighbourhood": offer.neighbourhood,
        "availability": list(offer.availability),
        "privacy": offer.privacy,
        "status": offer.status,
        "status_name": offer.get_status_display(),
    }


def my_matches(membership: Membership) -> QuerySet[AidMatch]:
    return AidMatch.objects.filter(volunteer=membership, status__in=LIVE_MATCH).select_related("request")


def stale_requests(community: Community) -> QuerySet[AidRequest]:
    return AidRequest.objects.filter(community=community, stale_since__isnull=False)


def dispatcher_ids(*, community: Community) -> set[int]:
    """Membership ids of the community's dispatchers (for apps that tell them things, e.g. the
    inventory's low-stock alert)."""
    return set(DispatcherRole.objects.filter(community=community).values_list("membership_id", flat=True))


def request_by_code(*, community: Community, code: str) -> AidRequest | None:
    """The community's request with this code (any case, surrounding spaces ignored), or None."""
    return AidRequest.objects.filter(community=community, code__iexact=code.strip()).first()


def requests_in_category(*, community: Community, category: str) -> QuerySet[AidRequest]:
    """The community's requests in ``category``, oldest first."""
    return AidRequest.objects.filter(community=community, category=category).order_by("pk")


def request_for_viewer(*, community: Community, code: str, user: Any) -> AidRequest:
    """The request with this code that ``user`` may see, or NotFound: a request someone may not
    see answers as if it did not exist (its code says nothing)."""
    found = (
        AidRequest.objects.filter(community=community, code=code.upper())
        .select_related("community", "requester", "taken_by")
        .first()
    )
    if found is None or not user.has_perm("aid.view_request", found):
        raise NotFound(_("No such request here."))
    return found


# --- referrals between peer communities ----------------------------------------------------------


def referrals_waiting(*, community: Community, now: datetime | None = None) -> QuerySet[AidReferral]:
    """Referrals peers made to us that our dispatchers have not answered yet (not expired)."""
    return AidReferral.objects.filter(
        community=community,
        direction=AidReferral.Direction.IN,
        state=AidReferral.State.OFFERED,
        expires_at__gt=now or timezone.now(),
    ).select_related("actor")


def referrals_recent(*, community: Community) -> QuerySet[AidReferral]:
    """Every referral of the community, both ways, newest first (the caller takes a page)."""
    return AidReferral.objects.filter(community=community).select_related("actor", "request")


def referral_of(request: AidRequest) -> AidReferral | None:
    """The request's latest referral: to a peer (ours) or from one (received)."""
    return request.referrals.select_related("actor").order_by("-created_at", "-pk").first()


def referral_get(*, community: Community, pk: object) -> AidReferral:
    raw = str(pk)
    found = (
        AidReferral.objects.filter(community=community, pk=int(raw) if raw.isdigit() else 0)
        .select_related("actor", "community")
        .first()
    )
    if found is None:
        raise NotFound(_("No such referral here."))
    return found
