"""Pages for members about requests: browse, ask for help, take one on, cancel, and the steps of a
match.

parse → check rule → call service → template. Every page works without JavaScript (forms post and
the page reloads). A request someone may not see is "not found" to them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.aid import selectors, services
from dualpower.aid.forms import FiltersForm
from dualpower.aid.models import AidMatch, AidOffer, AidRequest
from dualpower.aid.roles import is_dispatcher_member
from dualpower.aid.views._common import (
    DETAIL_LABELS,
    get_request,
    me_of,
    request_form_page,
)
from dualpower.aid.views.referrals import referral_context
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.actions import post_action
from dualpower.web.fragments import Later
from dualpower.web.kept_forms import form_fields_html
from dualpower.web.pages import kept_query, page_of
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD"])
@with_community
def request_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "aid.view_requests", community)
    me = membership_for(request.user, community)
    # The page's content is a kept fragment (web/fragments.py) keyed by the visitor's membership
    # (which requests they see, which are theirs, their matches, whether they dispatch) and the
    # address's parameters (filters, page): while the data is unchanged nothing below is read.
    return render(
        request,
        "aid/list.html",
        {
            "content": Later(_list_content, request, community, me),
            "visitor": getattr(me, "pk", None),
            "query": request.GET.urlencode(),
        },
    )


def _list_content(request: HttpRequest, community: Community, me: Membership | None) -> dict[str, Any]:
    categories = services.categories_for(community)
    chosen, filter_errors, filters_html = _filters(request, categories)
    found = selectors.requests_page(community=community, membership=me, **chosen)
    # A page at a time (web.pages): one query of the window, no count.
    page = page_of(
        lambda limit, offset: selectors.requests_window(found, limit=limit, offset=offset),
        raw=request.GET.get("page"),
    )
    # The list shows no private details: they stay sealed (no decryption for each row).
    rows = selectors.request_views(
        page.rows, me, community=community, names=dict(categories), with_details=False
    )
    return {
        "rows": rows,
        "page": page,
        # How many: known without a count when the list fits on its first page.
        "total": len(page.rows) if page.number == 1 and page.next is None else None,
        # The filters again, for the links to the other pages (the page number replaced).
        "pager_query": kept_query(request.GET),
        "filtered": any(chosen[k] for k in ("category", "neighbourhood", "urgency"))
        or chosen["status"] != "open",
        "filter_errors": filter_errors,
        "filters_html": filters_html,
        "dispatcher": is_dispatcher_member(me),
        "my_matches": selectors.my_live_matches(me) if me else [],
    }


FILTERS = ("status", "category", "neighbourhood", "urgency")
# The filter form's outcome (the filters chosen, whether it has errors, its fields' HTML) kept per
# process under the language, the categories offered and the values asked for: building and
# validating the form on every visit cost more than the rest of the list's own work.
_KEPT_MAX = 1_000  # the values are the visitor's (a query string): many keys, bounded
_kept_filters: dict[tuple[Any, ...], tuple[dict[str, str], bool, SafeString]] = {}


def _filters(
    request: HttpRequest, categories: list[tuple[str, str]]
) -> tuple[dict[str, str], bool, SafeString]:
    """The filters chosen (each as text, "" when not), whether the form has errors, its HTML."""
    # With no filter chosen (also on page 2 of the unfiltered list) the list shows open requests.
    given = any(k in request.GET for k in FILTERS)
    key = (get_language(), tuple(categories), given, tuple(tuple(request.GET.getlist(k)) for k in FILTERS))
    found = _kept_filters.get(key)
    if found is None:
        filters = FiltersForm(request.GET if given else {"status": "open"}, categories=categories)
        cleaned = filters.cleaned_data if filters.is_valid() else {"status": "open"}
        chosen = {k: str(cleaned.get(k) or "") for k in FILTERS}
        html = form_fields_html(filters, depends_on=tuple(categories))
        if len(_kept_filters) >= _KEPT_MAX:
            _kept_filters.clear()
        found = _kept_filters[key] = (chosen, bool(filters.errors), html)
    return found


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def request_new(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "aid.add_request", community)
    return request_form_page(request, community, intake=False)


@require_http_methods(["GET", "HEAD"])
@with_community
def request_detail(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    found = get_request(request, community, code)
    me = membership_for(request.user, community)
    matches = selectors.matches_visible(found, me)
    user = request.user
    return render(
        request,
        "aid/request_detail.html",
        {
            "req": selectors.request_view(found, me),
            "request_obj": found,
            "matches": [
                {
                    "match": m,
                    "sides": services.side_of(m, me) if me else set(),
                    "can_act": user.has_perm("aid.act_on_match", m),
                }
                for m in matches
            ],
            "can_accept": user.has_perm("aid.accept_request", found),
            "can_cancel": user.has_perm("aid.cancel_request", found),
            "dispatcher": is_dispatcher_member(me),
            "detail_labels": DETAIL_LABELS,
            # The person who asked, and dispatchers, see where a referred request went.
            **(
                referral_context(found)
                if found.requester_id == getattr(me, "pk", None) or is_dispatcher_member(me)
                else {}
            ),
        },
    )


@require_POST
@with_community
def request_accept(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    found = get_request(request, community, code, "aid.accept_request")
    me = me_of(request, community)
    offer = _fitting_offer(me, found)
    quantity = request.POST.get("quantity") or None
    back = f"/c/{community.slug}/aid/requests/{found.code}/"
    return post_action(
        request,
        run=lambda: services.match_accept(request=found, volunteer=me, quantity=quantity, offer=offer),
        message=_("Thank you! The person (or a dispatcher for them) will confirm."),
        back=back,
    )


def _fitting_offer(me: Membership, found: AidRequest) -> AidOffer | None:
    """The volunteer's active offer for this category with capacity left, to count against it."""
    for offer in AidOffer.objects.filter(
        community=found.community, volunteer=me, status=AidOffer.Status.ACTIVE
    ):
        if found.category in offer.categories:
            left = selectors.offer_remaining(offer)
            if left is None or left > 0:
                return offer
    return None


@require_POST
@with_community
def request_cancel(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    found = get_request(request, community, code, "aid.cancel_request")
    me = me_of(request, community)
    reason = request.POST.get("reason", "")
    return post_action(
        request,
        run=lambda: services.request_cancel(request=found, by=me, reason=reason),
        message=_("The request was cancelled."),
        back=f"/c/{community.slug}/aid/requests/{found.code}/",
    )


STEPS: dict[str, tuple[str, str]] = {
    "confirm": ("aid.confirm_match", gettext_noop("Confirmed.")),
    "start": ("aid.act_on_match", gettext_noop("Marked as in progress.")),
    "deliver": ("aid.act_on_match", gettext_noop("Marked as fulfilled. Thank you!")),
    "release": ("aid.act_on_match", gettext_noop("Released: the request is open again.")),
    "feedback": ("aid.feedback_match", gettext_noop("Thank you for your feedback.")),
}


@require_POST
@with_community
def match_step(request: HttpRequest, community: Community, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise NotFound(_("No such step."))
    check(request, "aid.view_requests", community)
    match = (
        AidMatch.objects.filter(pk=pk, request__community=community)
        .select_related("request", "request__community", "volunteer")
        .first()
    )
    if match is None or not request.user.has_perm("aid.view_match", match):
        raise NotFound(_("No such match here."))
    perm, done = STEPS[step]
    check(request, perm, match)
    me = me_of(request, community)
    post = request.POST
    actions: dict[str, Callable[[], Any]] = {
        "confirm": lambda: services.match_confirm(match=match, by=me, side=post.get("side") or None),
        "start": lambda: services.match_start(match=match, by=me),
        "deliver": lambda: services.match_deliver(
            match=match, by=me, delivered=post.get("delivered") or None
        ),
        "release": lambda: services.match_release(match=match, by=me, reason=post.get("reason", "")),
        "feedback": lambda: services.match_feedback(match=match, by=me, text=post.get("text", "")),
    }
    return post_action(
        request,
        run=actions[step],
        message=_(done),
        back=f"/c/{community.slug}/aid/requests/{match.request.code}/",
    )
