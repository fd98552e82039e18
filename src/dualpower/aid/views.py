"""Pages for members: browse, ask for help, offer help, take on a request, the steps of a match.

parse → check rule → call service → template. Every page works without JavaScript (forms post and
the page reloads). A request someone may not see is "not found" to them.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.aid import crypto, lifecycle, selectors, services, stats
from dualpower.aid.forms import FiltersForm, OfferForm, RequestForm
from dualpower.aid.models import AidMatch, AidOffer, AidRequest
from dualpower.aid.roles import is_dispatcher_member
from dualpower.community.models import Community
from dualpower.errors import DomainError, NotFound
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web import charts
from dualpower.web.community import require_perm, with_community


def me_of(request: HttpRequest, community: Community) -> Membership:
    me = membership_for(request.user, community)
    assert me is not None  # every rule used here starts from being admitted
    return me


def get_request(
    request: HttpRequest, community: Community, code: str, perm: str = "aid.view_request"
) -> AidRequest:
    require_perm(request, "aid.view_requests", community)
    found = (
        AidRequest.objects.filter(community=community, code=code.upper())
        .select_related("community", "requester", "taken_by")
        .first()
    )
    if found is None or not request.user.has_perm("aid.view_request", found):
        raise NotFound(_("No such request here."))
    require_perm(request, perm, found)
    return found


def form_errors(form: Any, exc: DomainError) -> None:
    field = (exc.field or "").removeprefix("details.")
    form.add_error(field if field in form.fields else None, exc.detail)


def act(request: HttpRequest, action: Callable[[], Any], done: str, back: str) -> HttpResponse:
    """Run a service; report success or the refusal's sentence; go back to the page."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, done)
    return redirect(back)


@require_http_methods(["GET", "HEAD"])
@with_community
def request_list(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "aid.view_requests", community)
    me = membership_for(request.user, community)
    categories = services.categories_for(community)
    filters = FiltersForm(request.GET or {"status": "open"}, categories=categories)
    chosen = filters.cleaned_data if filters.is_valid() else {"status": "open"}
    qs = selectors.request_filtered(
        selectors.requests_visible(community=community, membership=me).select_related(
            "community", "requester"
        ),
        **{k: str(chosen.get(k) or "") for k in ("status", "category", "neighbourhood", "urgency")},
    )
    rows = [selectors.request_view(r, me) for r in qs[:200]]
    return render(
        request,
        "aid/list.html",
        {
            "rows": rows,
            "filters": filters,
            "dispatcher": is_dispatcher_member(me),
            "my_matches": list(selectors.my_matches(me)) if me else [],
        },
    )


def _request_form_page(request: HttpRequest, community: Community, *, intake: bool) -> HttpResponse:
    from dualpower.aid.forms import IntakeForm

    form_class = IntakeForm if intake else RequestForm
    form = form_class(request.POST or None, categories=services.categories_for(community))
    if request.method == "POST" and form.is_valid():
        me = me_of(request, community)
        try:
            data = form.service_kwargs()
            if intake:
                made = services.request_intake(community=community, dispatcher=me, **data)
            else:
                made = services.request_create(community=community, requester=me, **data)
        except DomainError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Request %(code)s was recorded. Its code stands for the person in every listing.")
                % {"code": made.code},
            )
            target = "aid:request_dispatch" if intake else "aid:request_detail"
            return redirect(target, community.slug, made.code)
    return render(
        request, "aid/request_form.html", {"form": form, "intake": intake}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def request_new(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "aid.add_request", community)
    return _request_form_page(request, community, intake=False)


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
                    "sides": lifecycle.side_of(m, me) if me else set(),
                    "can_act": user.has_perm("aid.act_on_match", m),
                }
                for m in matches
            ],
            "can_accept": user.has_perm("aid.accept_request", found),
            "can_cancel": user.has_perm("aid.cancel_request", found),
            "dispatcher": is_dispatcher_member(me),
            "detail_labels": DETAIL_LABELS,
        },
    )


DETAIL_LABELS = {
    "name": _("Name"),
    "contact": _("Contact details"),
    "address": _("Exact address"),
    "health": _("Health notes"),
    "immigration": _("Immigration notes"),
    "safety": _("Safety notes"),
}


@require_POST
@with_community
def request_accept(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    found = get_request(request, community, code, "aid.accept_request")
    me = me_of(request, community)
    offer = _fitting_offer(me, found)
    quantity = request.POST.get("quantity") or None
    back = f"/c/{community.slug}/aid/requests/{found.code}/"
    return act(
        request,
        lambda: lifecycle.match_accept(request=found, volunteer=me, quantity=quantity, offer=offer),
        _("Thank you! The person (or a dispatcher for them) will confirm."),
        back,
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
    return act(
        request,
        lambda: services.request_cancel(request=found, by=me, reason=reason),
        _("The request was cancelled."),
        f"/c/{community.slug}/aid/requests/{found.code}/",
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
    require_perm(request, "aid.view_requests", community)
    match = (
        AidMatch.objects.filter(pk=pk, request__community=community)
        .select_related("request", "request__community", "volunteer")
        .first()
    )
    if match is None or not request.user.has_perm("aid.view_match", match):
        raise NotFound(_("No such match here."))
    perm, done = STEPS[step]
    require_perm(request, perm, match)
    me = me_of(request, community)
    post = request.POST
    actions: dict[str, Callable[[], Any]] = {
        "confirm": lambda: lifecycle.match_confirm(match=match, by=me, side=post.get("side") or None),
        "start": lambda: lifecycle.match_start(match=match, by=me),
        "deliver": lambda: lifecycle.match_deliver(
            match=match, by=me, delivered=post.get("delivered") or None
        ),
        "release": lambda: lifecycle.match_release(match=match, by=me, reason=post.get("reason", "")),
        "feedback": lambda: lifecycle.match_feedback(match=match, by=me, text=post.get("text", "")),
    }
    return act(request, actions[step], _(done), f"/c/{community.slug}/aid/requests/{match.request.code}/")


@require_http_methods(["GET", "HEAD"])
@with_community
def offer_list(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "aid.view_requests", community)
    me = membership_for(request.user, community)
    offers = selectors.offers_visible(community=community, membership=me)
    return render(
        request,
        "aid/offers.html",
        {
            "rows": [
                {"offer": selectors.offer_view(o), "mine": me is not None and o.volunteer_id == me.pk}
                for o in offers
            ]
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def offer_new(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "aid.add_offer", community)
    form = OfferForm(request.POST or None, categories=services.categories_for(community))
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_create(
                community=community, volunteer=me_of(request, community), **form.service_kwargs()
            )
        except DomainError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Thank you! Your offer is listed; dispatchers may ask you to help."))
            return redirect("aid:offers", community.slug)
    return render(request, "aid/offer_form.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
@with_community
def offer_status(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    require_perm(request, "aid.view_requests", community)
    offer = AidOffer.objects.filter(pk=pk, community=community).first()
    if offer is None or not request.user.has_perm("aid.view_offer", offer):
        raise NotFound(_("No such offer here."))
    require_perm(request, "aid.change_offer", offer)
    me = me_of(request, community)
    status = request.POST.get("status", "")
    return act(
        request,
        lambda: services.offer_set_status(offer=offer, status=status, by=me),
        _("Offer updated."),
        f"/c/{community.slug}/aid/offers/",
    )


def charts_for(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "by_category": charts.bar_chart(
            data["by_category"],
            title=_("Open requests by category"),
            label_header=_("Category"),
            value_label=_("Open"),
        ),
        "by_urgency": charts.bar_chart(
            data["by_urgency"],
            title=_("Open requests by urgency"),
            label_header=_("Urgency"),
            value_label=_("Open"),
        ),
        "unmet": charts.line_chart(
            data["unmet_over_time"],
            title=_("Unmet needs over the last weeks"),
            label_header=_("Week"),
            value_label=_("Open requests"),
        ),
    }


@require_http_methods(["GET", "HEAD"])
@with_community
def summary(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "aid.view_summary", community)
    data = stats.public_summary(community)
    return render(request, "aid/summary.html", {"data": data, "charts": charts_for(data)})


EXPORT_COLUMNS = (
    "code",
    "category",
    "description",
    "urgency_name",
    "quantity",
    "unit",
    "quantity_committed",
    "quantity_delivered",
    "neighbourhood",
    "languages",
    "status",
    "created_at",
)


@require_http_methods(["GET", "HEAD"])
@with_community
def export_csv(request: HttpRequest, community: Community) -> HttpResponse:
    """The requests this person may see, with exactly the fields they may see (request_view)."""
    require_perm(request, "aid.view_requests", community)
    me = membership_for(request.user, community)
    qs = selectors.requests_visible(community=community, membership=me).select_related(
        "community", "requester", "taken_by"
    )
    views = [selectors.request_view(r, me) for r in qs]
    private = [f"private_{k}" for k in crypto.SENSITIVE_FIELDS]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="aid-{community.slug}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    any_private = any("details" in v for v in views)
    writer.writerow([*EXPORT_COLUMNS, *(private if any_private else [])])
    for v in views:
        row = [", ".join(v[c]) if isinstance(v[c], list) else v[c] for c in EXPORT_COLUMNS]
        if any_private:
            details = v.get("details") or {}
            row += [details.get(k, "") for k in crypto.SENSITIVE_FIELDS]
        writer.writerow([_safe_cell(c) for c in row])
    return response


def _safe_cell(value: Any) -> str:
    """No spreadsheet formulas from what people typed (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
