"""API for mutual aid: parse → check rule → call service → schema.

Every path is inside one community: /communities/{slug}/aid/... A request someone may not see is
"not found" to them, so the API never confirms that a dispatcher-only request exists.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from dualpower.aid import engine, reasons, selectors, services, stats
from dualpower.aid.models import AidMatch, AidOffer, AidRequest
from dualpower.aid.schemas import (
    AcceptIn,
    AidFeedbackIn,
    AidSummaryOut,
    BatchIn,
    BatchOut,
    ConfirmIn,
    DashboardOut,
    DeliverIn,
    DetailsIn,
    IntakeIn,
    MatchOut,
    OfferIn,
    OfferOut,
    OfferStatusIn,
    PlanOut,
    ProposeIn,
    ReasonIn,
    ReferIn,
    RequestIn,
    RequestOut,
    SuggestionOut,
)
from dualpower.api_prepared import served_as_prepared
from dualpower.api_tools import AUTH_OPTIONAL, PageOf, paginate
from dualpower.community.models import Community
from dualpower.community.selectors import community_for_visitor
from dualpower.errors import InvalidInput, NotFound
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.fragments import kept_answer
from dualpower.web.permissions import check

router = Router(tags=["mutual aid"])

AID = "/communities/{slug}/aid"
REQUEST = AID + "/requests/{code}"
MATCH = AID + "/matches/{match_id}"
OFFER = AID + "/offers/{offer_id}"


class RequestFilters(Schema):
    status: str = ""
    category: str = ""
    neighbourhood: str = ""
    urgency: str = ""


FILTERS = Query(...)


def _community(request: HttpRequest, slug: str, perm: str = "aid.view_requests") -> Community:
    # With the visitor's membership in the same query, where the permission check finds it.
    community = community_for_visitor(slug=slug, user=getattr(request, "user", None))
    check(request, perm, community)
    return community


def _me(request: HttpRequest, community: Community) -> Membership:
    me = membership_for(request.user, community)
    assert me is not None  # every rule here starts from being admitted
    return me


def _request(request: HttpRequest, slug: str, code: str, perm: str = "aid.view_request") -> AidRequest:
    found = selectors.request_for_viewer(community=_community(request, slug), code=code, user=request.user)
    check(request, perm, found)
    return found


def _view(req: AidRequest, request: HttpRequest) -> dict[str, Any]:
    fresh = AidRequest.objects.select_related("community", "requester", "taken_by").get(pk=req.pk)
    return selectors.request_view(fresh, membership_for(request.user, fresh.community))


def _match(request: HttpRequest, slug: str, match_id: int, perm: str) -> AidMatch:
    community = _community(request, slug)
    found = (
        AidMatch.objects.filter(pk=match_id, request__community=community)
        .select_related("request", "request__community", "volunteer")
        .first()
    )
    if found is None or not request.user.has_perm("aid.view_match", found):
        raise NotFound(_("No such match here."))
    check(request, perm, found)
    return found


def _offer(request: HttpRequest, slug: str, offer_id: int, perm: str = "aid.view_offer") -> AidOffer:
    community = _community(request, slug)
    found = AidOffer.objects.filter(pk=offer_id, community=community).select_related("volunteer").first()
    if found is None or not request.user.has_perm("aid.view_offer", found):
        raise NotFound(_("No such offer here."))
    check(request, perm, found)
    return found


# --- requests -----------------------------------------------------------------------------------


# RequestOut's fields in its order; those a visitor may not see are None, as the schema's defaults.
_REQUEST_FIELDS = tuple(RequestOut.model_fields)


# The community read (with the visitor's membership) by the list's kept answer, for the list
# itself: read once a request.
_READ = "_aid_community"


def _kept_answer(func: Callable[..., Any]) -> Callable[..., Any]:
    """A page of the requests list kept as its JSON (web.fragments.kept_answer) while the data is
    unchanged, keyed by the visitor's membership (which requests and which fields they may see:
    a dispatcher, the person who asked and the matched volunteer see private details) and the
    address's parameters (filters, limit, offset). The permission check runs on every request."""

    @functools.wraps(func)
    def operation(request: HttpRequest, slug: str, **kwargs: Any) -> Any:
        community = _community(request, slug)
        setattr(request, _READ, community)
        me = membership_for(request.user, community)
        return kept_answer(
            key=("aid.api.requests", community.pk, getattr(me, "pk", None), request.GET.urlencode()),
            answer=lambda: func(request, slug=slug, **kwargs),
        )

    return operation


@router.get(AID + "/requests", response=list[RequestOut], auth=AUTH_OPTIONAL)
@_kept_answer
@served_as_prepared
@paginate
def request_list(request: HttpRequest, slug: str, filters: RequestFilters = FILTERS) -> Any:
    community = getattr(request, _READ, None) or _community(request, slug)
    me = membership_for(request.user, community)
    qs = selectors.requests_page(community=community, membership=me, **filters.dict())

    def page(rows: list[AidRequest]) -> list[dict[str, Any]]:
        # Written as RequestOut dumps them and served without validating them again (api_prepared);
        # the list's test compares the two.
        views = selectors.request_views(rows, me, community=community)
        return [{f: view.get(f) for f in _REQUEST_FIELDS} for view in views]

    return PageOf(qs, page)


@router.post(AID + "/requests", response={201: RequestOut})
def request_create(request: HttpRequest, slug: str, payload: RequestIn) -> Status[dict[str, Any]]:
    community = _community(request, slug, "aid.add_request")
    made = services.request_create(community=community, requester=_me(request, community), **payload.dict())
    return Status(201, _view(made, request))


@router.post(AID + "/intake", response={201: RequestOut})
def request_intake(request: HttpRequest, slug: str, payload: IntakeIn) -> Status[dict[str, Any]]:
    community = _community(request, slug, "aid.dispatch")
    made = services.request_intake(community=community, dispatcher=_me(request, community), **payload.dict())
    return Status(201, _view(made, request))


@router.get(REQUEST, response=RequestOut, auth=AUTH_OPTIONAL)
def request_detail(request: HttpRequest, slug: str, code: str) -> dict[str, Any]:
    return _view(_request(request, slug, code), request)


@router.put(REQUEST + "/details", response=RequestOut)
def request_details(request: HttpRequest, slug: str, code: str, payload: DetailsIn) -> dict[str, Any]:
    found = _request(request, slug, code, "aid.change_details")
    services.request_update_details(request=found, details=payload.details, by=_me(request, found.community))
    return _view(found, request)


@router.post(REQUEST + "/accept", response={201: MatchOut})
def request_accept(request: HttpRequest, slug: str, code: str, payload: AcceptIn) -> Status[dict[str, Any]]:
    found = _request(request, slug, code, "aid.accept_request")
    me = _me(request, found.community)
    offer = None
    if payload.offer is not None:
        offer = AidOffer.objects.filter(pk=payload.offer, community=found.community, volunteer=me).first()
        if offer is None:
            raise InvalidInput(_("That is not one of your offers."), field="offer")
    match = services.match_accept(request=found, volunteer=me, quantity=payload.quantity, offer=offer)
    return Status(201, selectors.match_view(match))


@router.post(REQUEST + "/cancel", response=RequestOut)
def request_cancel(request: HttpRequest, slug: str, code: str, payload: ReasonIn) -> dict[str, Any]:
    found = _request(request, slug, code, "aid.cancel_request")
    services.request_cancel(request=found, by=_me(request, found.community), reason=payload.reason)
    return _view(found, request)


@router.post(REQUEST + "/refer", response=RequestOut)
def request_refer(request: HttpRequest, slug: str, code: str, payload: ReferIn) -> dict[str, Any]:
    found = _request(request, slug, code, "aid.refer_request")
    services.request_refer(request=found, to=payload.to, by=_me(request, found.community))
    return _view(found, request)


@router.post(REQUEST + "/close", response=RequestOut)
def request_close(request: HttpRequest, slug: str, code: str, payload: ReasonIn) -> dict[str, Any]:
    found = _request(request, slug, code, "aid.close_request")
    services.request_close_fulfilled(request=found, by=_me(request, found.community), reason=payload.reason)
    return _view(found, request)


@router.get(REQUEST + "/matches", response=list[MatchOut], auth=AUTH_OPTIONAL)
def request_matches(request: HttpRequest, slug: str, code: str) -> list[dict[str, Any]]:
    found = _request(request, slug, code)
    return [
        selectors.match_view(m)
        for m in selectors.matches_visible(found, membership_for(request.user, found.community))
    ]


@router.get(REQUEST + "/suggestions", response=list[SuggestionOut])
def request_suggestions(request: HttpRequest, slug: str, code: str) -> list[dict[str, Any]]:
    found = _request(request, slug, code)
    check(request, "aid.dispatch", found.community)
    # Reasons in words follow the request's language (LocaleMiddleware: Accept-Language, the
    # language cookie); the codes beside them are the same in every language.
    names = selectors.category_names(found.community)
    return [
        {
            "offer": selectors.offer_view(s.offer, names=names),
            "score": round(s.score, 4),
            "reasons": reasons.render_all(s.reasons),
            "reason_codes": reasons.to_json(s.reasons),
        }
        for s in engine.suggestions_for(found)
    ]


@router.post(REQUEST + "/matches", response={201: MatchOut})
def request_propose(request: HttpRequest, slug: str, code: str, payload: ProposeIn) -> Status[dict[str, Any]]:
    found = _request(request, slug, code)
    check(request, "aid.dispatch", found.community)
    offer = (
        AidOffer.objects.filter(pk=payload.offer, community=found.community)
        .select_related("volunteer")
        .first()
    )
    if offer is None:
        raise InvalidInput(_("No such offer in this community."), field="offer")
    match = services.match_propose(
        request=found,
        volunteer=offer.volunteer,
        offer=offer,
        by=_me(request, found.community),
        quantity=payload.quantity,
        reasons=engine.reasons_for(found, offer),
    )
    return Status(201, selectors.match_view(match))


# --- matches ------------------------------------------------------------------------------------


@router.get(MATCH, response=MatchOut)
def match_detail(request: HttpRequest, slug: str, match_id: int) -> dict[str, Any]:
    return selectors.match_view(_match(request, slug, match_id, "aid.view_match"))


@router.post(MATCH + "/confirm", response=MatchOut)
def match_confirm(request: HttpRequest, slug: str, match_id: int, payload: ConfirmIn) -> dict[str, Any]:
    match = _match(request, slug, match_id, "aid.confirm_match")
    if payload.side not in (None, services.VOLUNTEER, services.REQUESTER):
        raise InvalidInput(_("The side is volunteer or requester."), field="side")
    done = services.match_confirm(match=match, by=_me(request, match.request.community), side=payload.side)
    return selectors.match_view(done)


@router.post(MATCH + "/start", response=MatchOut)
def match_start(request: HttpRequest, slug: str, match_id: int) -> dict[str, Any]:
    match = _match(request, slug, match_id, "aid.act_on_match")
    return selectors.match_view(services.match_start(match=match, by=_me(request, match.request.community)))


@router.post(MATCH + "/deliver", response=MatchOut)
def match_deliver(request: HttpRequest, slug: str, match_id: int, payload: DeliverIn) -> dict[str, Any]:
    match = _match(request, slug, match_id, "aid.act_on_match")
    done = services.match_deliver(
        match=match, delivered=payload.delivered, by=_me(request, match.request.community)
    )
    return selectors.match_view(done)


@router.post(MATCH + "/release", response=MatchOut)
def match_release(request: HttpRequest, slug: str, match_id: int, payload: ReasonIn) -> dict[str, Any]:
    match = _match(request, slug, match_id, "aid.act_on_match")
    done = services.match_release(
        match=match, by=_me(request, match.request.community), reason=payload.reason
    )
    return selectors.match_view(done)


@router.post(MATCH + "/feedback", response=MatchOut)
def match_feedback(request: HttpRequest, slug: str, match_id: int, payload: AidFeedbackIn) -> dict[str, Any]:
    match = _match(request, slug, match_id, "aid.feedback_match")
    done = services.match_feedback(match=match, by=_me(request, match.request.community), text=payload.text)
    return selectors.match_view(done)


# --- offers -------------------------------------------------------------------------------------


@router.get(AID + "/offers", response=list[OfferOut], auth=AUTH_OPTIONAL)
@paginate
def offer_list(request: HttpRequest, slug: str) -> Any:
    community = _community(request, slug)
    names = selectors.category_names(community)
    return [
        selectors.offer_view(o, names=names)
        for o in selectors.offers_visible(
            community=community, membership=membership_for(request.user, community)
        )
    ]


@router.post(AID + "/offers", response={201: OfferOut})
def offer_create(request: HttpRequest, slug: str, payload: OfferIn) -> Status[dict[str, Any]]:
    community = _community(request, slug, "aid.add_offer")
    offer = services.offer_create(community=community, volunteer=_me(request, community), **payload.dict())
    return Status(201, selectors.offer_view(offer))


@router.get(OFFER, response=OfferOut, auth=AUTH_OPTIONAL)
def offer_detail(request: HttpRequest, slug: str, offer_id: int) -> dict[str, Any]:
    return selectors.offer_view(_offer(request, slug, offer_id))


@router.post(OFFER + "/status", response=OfferOut)
def offer_status(request: HttpRequest, slug: str, offer_id: int, payload: OfferStatusIn) -> dict[str, Any]:
    offer = _offer(request, slug, offer_id, "aid.change_offer")
    done = services.offer_set_status(offer=offer, status=payload.status, by=_me(request, offer.community))
    return selectors.offer_view(done)


# --- dispatch -----------------------------------------------------------------------------------


@router.get(AID + "/assign", response=PlanOut)
def assign_plan(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The batch "assign all": a minimum-cost assignment to review; nothing is written."""
    community = _community(request, slug, "aid.dispatch")
    plan = engine.assign_all_open(community)
    return {
        "proposals": [
            {
                "request": p.request.code,
                "offer": p.offer.pk,
                "volunteer": p.offer.volunteer.display_name,
                "reasons": reasons.render_all(p.reasons),
                "reason_codes": reasons.to_json(p.reasons),
            }
            for p in plan.proposals
        ],
        "unmatched": [
            {"request": r.code, "reason": reasons.render(why), "reason_code": why.as_dict()}
            for r, why in plan.unmatched
        ],
    }


@router.post(AID + "/assign", response=BatchOut)
def assign_confirm(request: HttpRequest, slug: str, payload: BatchIn) -> dict[str, Any]:
    community = _community(request, slug, "aid.dispatch")
    made, failed = engine.batch_propose(
        community=community, pairs=[(p.request, p.offer) for p in payload.pairs], by=_me(request, community)
    )
    return {
        "proposed": [selectors.match_view(m) for m in made],
        "failed": [{"request": code, "reason": why} for code, why in failed],
    }


@router.get(AID + "/summary", response=AidSummaryOut, auth=AUTH_OPTIONAL)
def summary(request: HttpRequest, slug: str) -> dict[str, Any]:
    return stats.public_summary(_community(request, slug, "aid.view_summary"))


@router.get(AID + "/dashboard", response=DashboardOut)
def dashboard(request: HttpRequest, slug: str) -> dict[str, Any]:
    return stats.dispatcher_dashboard(_community(request, slug, "aid.dispatch"))
