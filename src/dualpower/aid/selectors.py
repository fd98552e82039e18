"""Every non-trivial read about mutual aid, and the one function that decides which fields of a
request a person sees (``request_view``): pages, the API and exports all go through it, so they can
never disagree about what is private."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

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
    Urgency,
)
from dualpower.aid.reasons import from_json, to_json
from dualpower.aid.roles import is_dispatcher_member, volunteer_categories
from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.members.models import Membership
from dualpower.web.prepared import Prepared

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


# A community's own categories, the SQL written once per process (the aid list reads them on
# every visit).
_own_categories = Prepared(
    lambda community: AidCategory.objects.filter(community_id=community), community=int
)


# Names other apps give the categories they add through aid (care's "Crisis response"), stored in
# English whoever's language made the row, and shown in the reader's language while unchanged. Aid
# cannot import those apps (they sit above it), so they register the names (register_category_name).
_APP_CATEGORY_NAMES: set[str] = set()


def register_category_name(name: str) -> None:
    """Declare ``name`` (an English msgid) as one an app writes when it adds a category."""
    _APP_CATEGORY_NAMES.add(name)


def categories_for(community: Community) -> list[tuple[str, str]]:
    """(key, name) of every category this community uses: built-in first, then its own."""
    out = [(key, _(name)) for key, name in BUILTIN_CATEGORIES]
    out += [
        (c.key, _(c.name) if c.name in _APP_CATEGORY_NAMES else c.name)
        for c in _own_categories(community=community.pk)
    ]
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


# --- a page of requests, its SQL written once per process ---------------------------------------
#
# The aid list, the dispatch board and the API read a page of requests and count them on every
# visit; building those two queries through the ORM cost more than the rest of the page's own
# work. Each shape of the question (a dispatcher's or another member's view, how many categories
# the member volunteers in, which filters are given) is a Prepared query, its values (the
# community, the member, the category, the urgency...) given at each call. A filter by
# neighbourhood (a text search, which Prepared cannot take) stays an ordinary queryset.


class RequestRows:
    """What the pages (``requests_window``) and the API's ``PageOf`` page through: ``count()``
    (the API's only: the pages run no count) and ``[a:b]`` are one query each, their SQL written
    once per process and shape."""

    def __init__(self, shape: tuple[Any, ...], values: dict[str, Any], community: Community) -> None:
        self.rows, self.counted = _request_shapes(shape)
        self.values = values
        self.community = community
        self._count: int | None = None

    def all(self) -> RequestRows:
        return self  # the API's pagination counts ``.all().count()``

    def count(self) -> int:
        if self._count is None:
            plan = self.counted.plan()
            params = list(plan.constants)
            for position, name in plan.slots:
                params[position] = plan.adapt[name](self.values[name])
            with connection.cursor() as cursor:
                # The prepared SQL (the ORM's, with placeholders) counted: values go as params.
                cursor.execute(f"SELECT COUNT(*) FROM ({plan.sql}) counted", params)  # noqa: S608
                self._count = int(cursor.fetchone()[0])
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[AidRequest]:
        start, stop = window.start or 0, window.stop
        if stop is None or window.step not in (None, 1) or start < 0 or stop < start:
            raise ValueError("RequestRows takes a window [start:stop]")
        found = self.rows(**self.values, limit=stop - start, offset=start)
        for r in found:
            r.community = self.community  # the caller's: not joined and converted again
        return found


_SHAPES_MAX = 1_000  # shapes are few (filters given × categories volunteered in); bounded anyway
_shapes: dict[tuple[Any, ...], tuple[Prepared[AidRequest], Prepared[AidRequest]]] = {}


def _request_shapes(shape: tuple[Any, ...]) -> tuple[Prepared[AidRequest], Prepared[AidRequest]]:
    """The prepared page of rows and the prepared query counted, for one shape of the question."""
    found = _shapes.get(shape)
    if found is None:
        dispatcher, volunteered, status, by_category, urgency = shape

        def build(**values: Any) -> QuerySet[AidRequest]:
            qs = AidRequest.objects.filter(community_id=values["community"])
            if not dispatcher:
                mine = Q(requester_id=values["membership"]) | Q(
                    pk__in=AidMatch.objects.filter(
                        volunteer_id=values["membership"], status__in=SEEN_MATCH
                    ).values("request_id")
                )
                categories = [values[f"volunteered{i}"] for i in range(volunteered)]
                seen = Q(privacy=Privacy.MEMBERS) | Q(privacy=Privacy.VOLUNTEERS, category__in=categories)
                qs = qs.filter(seen | mine)
            if status in ("open", "active"):
                qs = request_filtered(qs, status=status)
            elif status:
                qs = qs.filter(status=values["status"])
            if by_category:
                qs = qs.filter(category=values["category"])
            if urgency is not None:
                qs = qs.filter(urgency=urgency)  # of the shape: a few values, out of ids' range
            return qs

        kinds: dict[str, type] = {"community": int, "membership": int, "status": str, "category": str}
        kinds |= {f"volunteered{i}": str for i in range(volunteered)}
        rows: Prepared[AidRequest] = Prepared(
            lambda **v: build(**v).select_related("requester", "taken_by"), window=True, **kinds
        )
        # (mypy reads **kinds as possibly holding ``window``: it holds the values' names only)
        count_only = lambda **v: build(**v).order_by().only("pk")  # noqa: E731
        counted: Prepared[AidRequest] = Prepared(count_only, **kinds)  # type: ignore[arg-type]
        found = (rows, counted)
        if len(_shapes) >= _SHAPES_MAX:
            _shapes.clear()
        _shapes[shape] = found
    return found


def requests_page(
    *,
    community: Community,
    membership: Membership | None,
    status: str = "",
    category: str = "",
    neighbourhood: str = "",
    urgency: str = "",
) -> RequestRows | QuerySet[AidRequest]:
    """The requests ``membership`` may see (requests_visible), filtered (request_filtered), to
    page through: what the aid list, the dispatch board (``status="active"``) and the API show.
    Rows come with their requester and taken_by."""
    by_urgency = int(urgency) if urgency.isdigit() else None
    if (
        neighbourhood
        or membership is None
        or membership.community_id != community.pk
        or (by_urgency is not None and by_urgency not in Urgency.values)
    ):
        return request_filtered(
            requests_visible(community=community, membership=membership).select_related(
                "community", "requester", "taken_by"
            ),
            status=status,
            category=category,
            neighbourhood=neighbourhood,
            urgency=urgency,
        )
    dispatcher = is_dispatcher_member(membership)
    volunteered = [] if dispatcher else sorted(volunteer_categories(membership))
    kind = status if status in ("open", "active") else "one" if status in AidRequest.Status.values else ""
    values: dict[str, Any] = {
        "community": community.pk,
        "membership": membership.pk,
        "status": status,
        "category": category,
    }
    values |= {f"volunteered{i}": c for i, c in enumerate(volunteered)}
    shape = (dispatcher, len(volunteered), kind, bool(category), by_urgency)
    return RequestRows(shape, values, community)


def requests_window(
    rows: RequestRows | QuerySet[AidRequest], *, limit: int, offset: int = 0
) -> list[AidRequest]:
    """A window of ``requests_page``'s rows in one query (the pages, a page at a time: web.pages)."""
    return list(rows[offset : offset + limit])


# The names of urgencies and statuses per language: a list asked the model's get_*_display for
# each row, which rebuilds the field's choices every time.
_display_names: dict[str | None, tuple[dict[int, str], dict[str, str]]] = {}


def _names_of_choices() -> tuple[dict[int, str], dict[str, str]]:
    language = get_language()
    found = _display_names.get(language)
    if found is None:
        found = _display_names[language] = (
            {k: str(v) for k, v in Urgency.choices},
            {k: str(v) for k, v in AidRequest.Status.choices},
        )
    return found


def request_view(
    request: AidRequest,
    membership: Membership | None,
    *,
    names: Mapping[str, str] | None = None,
    detailed: set[int] | None = None,
    with_details: bool = True,
    unseal: Callable[[str], dict[str, str]] | None = None,
) -> dict[str, Any]:
    """The fields of ``request`` that ``membership`` may see. Call only after may_see_request.
    A list passes what it read once for all its rows (see request_views: the categories, the
    matches, the keys that ``unseal``); ``with_details=False``: a page that does not show the
    private details leaves them sealed."""
    if names is None:
        names = category_names(request.community)
    urgencies, statuses = _names_of_choices()
    out: dict[str, Any] = {
        "code": request.code,
        "category": request.category,
        "category_name": names.get(request.category, request.category),
        "description": request.description,
        "urgency": request.urgency,
        "urgency_name": urgencies.get(request.urgency, request.urgency),
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
        "status_name": statuses.get(request.status, request.status),
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
        details = (unseal or crypto.unseal)(request.sealed)
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
    opener = crypto.Opener()
    return [
        request_view(r, membership, names=names, detailed=detailed, with_details=with_details, unseal=opener)
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


_my_live_matches = Prepared(
    lambda membership: AidMatch.objects.filter(volunteer_id=membership, status__in=LIVE_MATCH).select_related(
        "request"
    ),
    membership=int,
)


def my_live_matches(membership: Membership) -> list[AidMatch]:
    """my_matches as a list, its SQL written once per process (the aid list shows them)."""
    return _my_live_matches(membership=membership.pk)


_waiting = Prepared(
    lambda community: (
        AidMatch.objects.filter(request__community_id=community, status=AidMatch.Status.PROPOSED)
        .select_related("request", "volunteer")
        .order_by("created_at")
    ),
    window=True,
    community=int,
)


def matches_waiting(*, community: Community, limit: int) -> list[AidMatch]:
    """The community's oldest ``limit`` matches waiting for confirmation, with their request and
    volunteer (the dispatch board), its SQL written once per process."""
    return _waiting(community=community.pk, limit=limit, offset=0)


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


def referrals_page(*, community: Community, limit: int, offset: int = 0) -> list[AidReferral]:
    """A window of ``referrals_recent`` in one query (the referrals page: web.pages)."""
    return list(referrals_recent(community=community)[offset : offset + limit])


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


def request_by_pk(*, pk: int) -> AidRequest:
    """A request by its row id, for an app that keeps a link to it (care's crisis calls)."""
    return AidRequest.objects.get(pk=pk)


def matches_of_volunteers(
    *, request_id: int, volunteer_ids: list[int], statuses: tuple[str, ...]
) -> list[AidMatch]:
    """The matches of these volunteers on a request, in these states (care's crisis pair)."""
    return list(
        AidMatch.objects.filter(
            request_id=request_id, volunteer_id__in=volunteer_ids, status__in=statuses
        ).select_related("volunteer", "request")
    )
