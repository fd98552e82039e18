"""The bridge between the aid tables and the pure matching engine (dualpower.core.matching).

Requests become Needs and active offers become Offers (with their remaining capacity); the engine
ranks and assigns; the results come back as model objects with the engine's reasons, as codes that
aid/reasons.py words in the reader's language when they are shown. Nothing is written here: a
dispatcher reviews suggestions and proposals, then confirms through services/matches.py.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.aid import reasons as aid_reasons
from dualpower.aid import services
from dualpower.aid.models import LIVE_MATCH, AidMatch, AidOffer, AidRequest, AidSettings
from dualpower.aid.selectors import SEEN_MATCH, offer_remaining, period_start
from dualpower.community.models import Community
from dualpower.core import matching
from dualpower.errors import DomainError
from dualpower.members.models import Membership

OPEN_STATUSES = (AidRequest.Status.OPEN, AidRequest.Status.MATCHED)


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def distances_for(community: Community, names: set[str]) -> matching.Distances:
    table = services.settings_for(community).distances or []
    pairs = [(_key(a), _key(b), float(km)) for a, b, km in table]
    return matching.Distances.of(pairs, neighbourhoods={_key(n) for n in names})


def _windows(request: AidRequest) -> tuple[matching.TimeWindow, ...]:
    if request.window_start is None or request.window_end is None:
        return ()
    span = (request.window_end - request.window_start).total_seconds() / 60
    if span >= matching.WEEK_MINUTES:
        return ()
    local = timezone.localtime(request.window_start)
    start = local.weekday() * 1440 + local.hour * 60 + local.minute
    end = start + max(int(span), 1)
    if end <= matching.WEEK_MINUTES:
        return (matching.TimeWindow(start, end),)
    return (
        matching.TimeWindow(start, matching.WEEK_MINUTES),
        matching.TimeWindow(0, end - matching.WEEK_MINUTES),
    )


def need_of(request: AidRequest) -> matching.Need:
    return matching.Need(
        id=request.code,
        category=request.category,
        neighbourhood=_key(request.neighbourhood),
        windows=_windows(request),
        languages=tuple(request.languages),
        urgency=matching.Urgency(request.urgency),
        quantity=max(request.quantity - request.quantity_committed, 1),
    )


def offer_of(offer: AidOffer, *, now: datetime) -> matching.Offer:
    return _engine_offer(
        offer.pk,
        offer.categories,
        offer.neighbourhood,
        offer.skills,
        offer.availability,
        offer.languages,
        offer.kind,
        offer_remaining(offer, now=now),
    )


def _engine_offer(
    pk: int,
    categories: list[str],
    neighbourhood: str,
    skills: list[str],
    availability: list[list[Any]],
    languages: list[str],
    kind: str,
    remaining: int | None,
) -> matching.Offer:
    return matching.Offer(
        id=str(pk),
        categories=tuple(categories),
        neighbourhood=_key(neighbourhood),
        skills=tuple(skills),
        windows=tuple(matching.TimeWindow.weekly(d, s, e) for d, s, e in availability),
        languages=tuple(languages),
        capacity=remaining,
        kind=matching.OfferKind(kind),
    )


@dataclass(frozen=True)
class Available:
    """The active offers of a community, read in a few queries as plain rows (a community may hold
    tens of thousands): the engine's offers, and who made each."""

    offers: tuple[matching.Offer, ...]
    volunteer_of: dict[str, int]


def available_offers(community: Community, *, now: datetime) -> Available:
    rows = list(
        AidOffer.objects.filter(
            community=community,
            status=AidOffer.Status.ACTIVE,
            volunteer__status=Membership.Status.ACTIVE,
        )
        .exclude(volunteer__role=Membership.Role.OBSERVER)
        .values_list(
            "pk",
            "volunteer_id",
            "categories",
            "neighbourhood",
            "skills",
            "availability",
            "languages",
            "kind",
            "capacity",
            "period",
        )
    )
    used = remaining_counts(community, now=now)
    offers, volunteer_of = [], {}
    for pk, volunteer_id, cats, nbh, skills, avail, langs, kind, capacity, period in rows:
        if kind == AidOffer.Kind.INEXHAUSTIBLE:
            remaining = None
        else:
            total, this_week, this_month = used.get(pk, (0, 0, 0))
            taken = (
                {"week": this_week, "month": this_month}.get(period, total) if kind == "recurring" else total
            )
            remaining = max((capacity or 0) - taken, 0)
        offers.append(_engine_offer(pk, cats, nbh, skills, avail, langs, kind, remaining))
        volunteer_of[str(pk)] = volunteer_id
    return Available(tuple(offers), volunteer_of)


def remaining_counts(community: Community, *, now: datetime) -> dict[int, tuple[int, int, int]]:
    """Per offer: matches counted against its capacity in all, this week, this month (one query)."""
    week, month = period_start(AidOffer.Period.WEEK, now), period_start(AidOffer.Period.MONTH, now)
    rows = (
        AidMatch.objects.filter(offer__community=community, status__in=SEEN_MATCH)
        .values("offer_id")
        .annotate(
            total=Count("id"),
            week=Count("id", filter=Q(created_at__gte=week)),
            month=Count("id", filter=Q(created_at__gte=month)),
        )
    )
    return {r["offer_id"]: (r["total"], r["week"], r["month"]) for r in rows}


@dataclass(frozen=True)
class Suggestion:
    offer: AidOffer
    score: float
    reasons: tuple[matching.Reason, ...]

    @property
    def explanation(self) -> str:
        """The reasons in the active language, read when the page is rendered."""
        return aid_reasons.explanation(self.reasons)


@dataclass(frozen=True)
class _Cached:
    key: tuple[Any, ...]
    built: float
    distances: matching.Distances
    index: matching.OfferIndex
    volunteer_of: dict[str, int]
    offers_per_volunteer: Counter[int]


# One prepared OfferIndex per community and process: building it for 100,000 offers takes a
# fraction of a second, ranking against it a few milliseconds. It is rebuilt when any offer or
# match changes (services bump AidSettings.generation), when a capacity period turns, and at least
# every CACHE_SECONDS (a volunteer who left the community drops out then at the latest).
_INDEXES: dict[int, _Cached] = {}
CACHE_SECONDS = 600.0


def _version(community: Community, now: datetime) -> tuple[Any, ...]:
    generation = AidSettings.objects.filter(community=community).values_list("generation", flat=True).first()
    return (generation, period_start(AidOffer.Period.WEEK, now), period_start(AidOffer.Period.MONTH, now))


def offer_index(community: Community, *, now: datetime) -> _Cached:
    key = _version(community, now)
    # Inside a transaction the rows read may never be committed (and a rollback would bring the
    # generation back to a value the cache already holds): build for this call only.
    shared = not transaction.get_connection().in_atomic_block
    cached = _INDEXES.get(community.pk) if shared else None
    if cached is not None and cached.key == key and time.monotonic() - cached.built < CACHE_SECONDS:
        return cached
    pool = available_offers(community, now=now)
    dist = distances_for(community, {o.neighbourhood for o in pool.offers})
    index = matching.OfferIndex.build(pool.offers, distances=dist)
    per_volunteer = Counter(pool.volunteer_of.values())
    fresh = _Cached(key, time.monotonic(), dist, index, pool.volunteer_of, per_volunteer)
    if shared:
        _INDEXES[community.pk] = fresh
    return fresh


def suggestions_for(request: AidRequest, *, limit: int = 5) -> list[Suggestion]:
    """The best offers for one request, explained; not its requester's own, nor volunteers already on it."""
    now = timezone.now()
    busy = set(
        AidMatch.objects.filter(request=request, status__in=LIVE_MATCH).values_list("volunteer_id", flat=True)
    )
    if request.requester_id is not None:
        busy.add(request.requester_id)
    prepared = offer_index(request.community, now=now)
    need = need_of(request)
    if need.neighbourhood in prepared.distances.neighbourhoods:
        # Ask for enough more to drop the busy volunteers' offers afterwards.
        extra = sum(prepared.offers_per_volunteer.get(v, 0) for v in busy if v is not None)
        found = matching.suggest(need, prepared.index, distances=prepared.distances, limit=limit + extra)
    else:  # a neighbourhood no offer is in: far from all, unless the table knows it
        offers = prepared.index.offers
        dist = distances_for(request.community, {request.neighbourhood} | {o.neighbourhood for o in offers})
        found = matching.suggest(need, offers, distances=dist, limit=limit + len(busy))
    found = [s for s in found if prepared.volunteer_of[s.offer_id] not in busy][:limit]
    by_id = AidOffer.objects.select_related("volunteer").in_bulk([int(s.offer_id) for s in found])
    return [Suggestion(by_id[int(s.offer_id)], s.score, s.reasons) for s in found]


@dataclass(frozen=True)
class Proposal:
    request: AidRequest
    offer: AidOffer
    reasons: tuple[matching.Reason, ...]

    @property
    def explanation(self) -> str:
        return aid_reasons.explanation(self.reasons)


@dataclass(frozen=True)
class BatchPlan:
    """Pairs to review, and each request left open with why (a reason to word at display time)."""

    proposals: tuple[Proposal, ...]
    unmatched: tuple[tuple[AidRequest, matching.Reason], ...]


def assign_all_open(community: Community) -> BatchPlan:
    """The minimum-cost assignment of every open request to the available offers, for review."""
    now = timezone.now()
    requests = [
        r
        for r in AidRequest.objects.filter(community=community, status__in=OPEN_STATUSES).select_related(
            "requester"
        )
        if r.quantity_committed < r.quantity
    ]
    pool = available_offers(community, now=now)
    by_code = {r.code: r for r in requests}
    dist = distances_for(
        community, {r.neighbourhood for r in requests} | {o.neighbourhood for o in pool.offers}
    )
    result = matching.assign_all([need_of(r) for r in requests], pool.offers, distances=dist)
    by_id = AidOffer.objects.select_related("volunteer").in_bulk([int(p.helper_id) for p in result.pairs])
    proposals = []
    unmatched = [(by_code[u.need_id], u.reason) for u in result.unmatched]
    for pair in result.pairs:
        request, offer = by_code[pair.need_id], by_id[int(pair.helper_id)]
        if offer.volunteer_id == request.requester_id:
            unmatched.append((request, matching.Reason(aid_reasons.SELF_ONLY)))
            continue
        proposals.append(Proposal(request, offer, pair.reasons))
    return BatchPlan(tuple(proposals), tuple(unmatched))


def batch_propose(
    *, community: Community, pairs: list[tuple[str, int]], by: Membership
) -> tuple[list[AidMatch], list[tuple[str, str]]]:
    """Propose the reviewed pairs (request code, offer id); each one on its own, so one that has
    become impossible meanwhile (someone took the request) is reported, not fatal to the rest."""
    made: list[AidMatch] = []
    failed: list[tuple[str, str]] = []
    for code, offer_id in pairs:
        request = AidRequest.objects.filter(community=community, code=code).first()
        offer = AidOffer.objects.filter(community=community, pk=offer_id).select_related("volunteer").first()
        if request is None or offer is None:
            failed.append((code, _("not found")))
            continue
        try:
            with transaction.atomic():
                made.append(
                    services.match_propose(
                        request=request,
                        volunteer=offer.volunteer,
                        offer=offer,
                        by=by,
                        reasons=reasons_for(request, offer),
                    )
                )
        except DomainError as exc:
            failed.append((code, exc.detail))
    return made, failed


def reasons_for(request: AidRequest, offer: AidOffer) -> tuple[matching.Reason, ...]:
    """The engine's reasons for proposing ``offer`` for ``request``; none when it would not suggest it
    (or cannot rank, a neighbourhood missing from the distance table for instance)."""
    try:
        for s in suggestions_for(request, limit=50):
            if s.offer.pk == offer.pk:
                return s.reasons
    except ValueError:
        pass
    return ()
