"""Pages for dispatchers: the dispatch board, phone intake, suggestions per request, the batch
"assign all" to review, the working group's dashboard, and the network's settings."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from dualpower.aid import engine, selectors, services, stats
from dualpower.aid.models import AidOffer, AidRequest, DispatcherRole
from dualpower.aid.views._common import DETAIL_LABELS, charts_for, get_request, me_of, request_form_page
from dualpower.aid.views.referrals import referral_context
from dualpower.assemblies.forms import LONG_LIST
from dualpower.clean import clean_amount
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import DomainError, InvalidInput, NotAuthenticated
from dualpower.formatting import format_number
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.members.selectors import members_of
from dualpower.web import charts
from dualpower.web.actions import attach_error, post_action, render_form
from dualpower.web.fragments import Later
from dualpower.web.pages import PER_PAGE, page_number, page_of
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD"])
@with_community
def dispatch(request: HttpRequest, community: Community) -> HttpResponse:
    me = membership_for(request.user, community)
    check(request, "aid.dispatch", community)
    number = page_number(request.GET.get("page"))
    # Two kept fragments (web/fragments.py): the page of requests, keyed by the dispatcher (a row
    # marks their own requests) and the page's number; the matches waiting, the same for every
    # dispatcher. While the data is unchanged neither is read again.
    return render(
        request,
        "aid/dispatch.html",
        {
            "board": Later(_board, community, me, number),
            "visitor": getattr(me, "pk", None),
            "number": number,
            "waiting": Later(_waiting, community),
        },
    )


def _board(community: Community, me: Membership | None, number: int) -> dict[str, Any]:
    # A page of each list at a time: its queries and size do not grow with the requests. A
    # dispatcher sees every request: the requests not closed are the "active" ones.
    live = selectors.requests_page(community=community, membership=me, status="active")
    page = page_of(
        lambda limit, offset: selectors.requests_window(live, limit=limit, offset=offset),
        raw=str(number),
    )
    return {
        # The board shows no private details: they stay sealed (no decryption for each row).
        "open_rows": selectors.request_views(page.rows, me, community=community, with_details=False),
        "page": page,
    }


def _waiting(community: Community) -> dict[str, Any]:
    shown = selectors.matches_waiting(community=community, limit=PER_PAGE + 1)
    return {"shown": shown[:PER_PAGE], "more": len(shown) > PER_PAGE}


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def intake(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "aid.dispatch", community)
    return request_form_page(request, community, intake=True)


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def request_dispatch(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    """One request for a dispatcher: its details, the engine's suggestions, propose, refer, close."""
    check(request, "aid.dispatch", community)
    found = get_request(request, community, code)
    me = me_of(request, community)
    back = f"/c/{community.slug}/aid/dispatch/requests/{found.code}/"
    if request.method == "POST":
        what = request.POST.get("action", "")
        if what == "propose":
            raw = request.POST.get("offer", "")
            offer = AidOffer.objects.filter(community=community, pk=int(raw) if raw.isdigit() else 0).first()

            def propose() -> Any:
                if offer is None:
                    raise InvalidInput(_("Choose one of the suggested offers."), field="offer")
                # The reasons are worked out again here rather than taken from the form, so what is
                # stored is the engine's word, kept as codes to read in any language later.
                return services.match_propose(
                    request=found,
                    volunteer=offer.volunteer,
                    offer=offer,
                    by=me,
                    reasons=engine.reasons_for(found, offer),
                )

            return post_action(
                request,
                run=propose,
                message=_("Proposed. The volunteer and the person helped confirm next."),
                back=back,
            )
        if what in CLOSING:
            typed = request.POST.get(CLOSING[what][0], "")
            try:
                CLOSING[what][1](found, me, typed)
            except DomainError as exc:
                if isinstance(exc, NotAuthenticated):
                    raise
                # The same page, the step still open with what was typed and the error beside it.
                failed = {"action": what, "error": exc.detail, "value": typed}
                return _dispatch_page(request, found, me, failed=failed, status=400)
            messages.success(request, str(CLOSING[what][2]))
            return redirect(back)
        messages.error(request, _("Unknown action."))
        return redirect(back)
    return _dispatch_page(request, found, me)


# The steps that close a request: the field they read, the service call, the sentence on success.
CLOSING: dict[str, tuple[str, Callable[[AidRequest, Membership, str], Any], Any]] = {
    "refer": (
        "to",
        lambda req, me, typed: services.request_refer(request=req, to=typed, by=me),
        gettext_lazy("Referred."),
    ),
    "close": (
        "reason",
        lambda req, me, typed: services.request_close_fulfilled(request=req, by=me, reason=typed),
        gettext_lazy("Closed as fulfilled."),
    ),
    "cancel": (
        "reason",
        lambda req, me, typed: services.request_cancel(request=req, by=me, reason=typed),
        gettext_lazy("Cancelled."),
    ),
}


def _dispatch_page(
    request: HttpRequest,
    found: AidRequest,
    me: Membership,
    *,
    failed: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    suggestions: list[Any] = []
    problem = ""
    fully_committed = found.quantity_committed >= found.quantity
    if not found.is_closed and not fully_committed:
        try:
            suggestions = engine.suggestions_for(found)
        except ValueError as exc:  # a neighbourhood missing from the distance table, for instance
            problem = str(exc)
    matches = selectors.matches_visible(found, me)
    return render(
        request,
        "aid/request_dispatch.html",
        {
            "req": selectors.request_view(found, me),
            "request_obj": found,
            "suggestions": suggestions,
            "problem": problem,
            "fully_committed": fully_committed,
            "failed": failed or {},
            "matches": [{"match": m, "sides": services.side_of(m, me), "can_act": True} for m in matches],
            "detail_labels": _labels(),
            "can_refer_to_peer": request.user.has_perm("aid.refer_to_peer", found),
            **referral_context(found),
        },
        status=status,
    )


def _labels() -> dict[str, str]:
    return DETAIL_LABELS


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def assign_all(request: HttpRequest, community: Community) -> HttpResponse:
    """GET computes the optimal assignment for review; POST proposes the pairs the dispatcher kept."""
    check(request, "aid.dispatch", community)
    if request.method == "POST":
        pairs = []
        for raw in request.POST.getlist("pair"):
            code, _sep, offer_id = raw.partition(":")
            if offer_id.isdigit():
                pairs.append((code, int(offer_id)))
        if not pairs:
            messages.error(request, _("Tick at least one proposal to confirm."))
            return redirect("aid:assign", community.slug)
        made, failed = engine.batch_propose(community=community, pairs=pairs, by=me_of(request, community))
        if made:
            messages.success(
                request,
                ngettext(
                    "%(n)d match proposed; the volunteer is asked to confirm.",
                    "%(n)d matches proposed; volunteers are asked to confirm.",
                    len(made),
                )
                % {"n": len(made)},
            )
        for code, why in failed:
            messages.error(request, _("%(code)s: %(why)s") % {"code": code, "why": why})
        return redirect("aid:dispatch", community.slug)
    problem = ""
    try:
        plan = engine.assign_all_open(community)
    except ValueError as exc:
        plan, problem = engine.BatchPlan((), ()), str(exc)
    return render(request, "aid/assign.html", {"plan": plan, "problem": problem})


@require_http_methods(["GET", "HEAD"])
@with_community
def dashboard(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "aid.dispatch", community)
    data = stats.dispatcher_dashboard(community)
    extra = charts_for(data)
    extra["by_neighbourhood"] = charts.bar_chart(
        data["by_neighbourhood"],
        title=_("Open requests by neighbourhood"),
        label_header=_("Neighbourhood"),
        value_label=_("Open"),
    )
    hours = {
        "first_response": _hours_text(data["median_first_response_hours"]),
        "fulfilment": _hours_text(data["median_fulfilment_hours"]),
    }
    return render(request, "aid/dashboard.html", {"data": data, "charts": extra, "hours": hours})


def _hours_text(hours: float | None) -> str:
    """A median in hours as people read it: "1 hour", "2.5 hours" ("" when there is none)."""
    if hours is None:
        return ""
    shown = format_number(Decimal(str(hours)), decimals=0 if float(hours).is_integer() else 1)
    return ngettext("%(h)s hour", "%(h)s hours", 1 if hours == 1 else 2) % {"h": shown}


class SettingsForm(forms.Form):
    retention_days = forms.IntegerField(
        label=gettext_lazy("Days private details are kept after a request closes"),
        min_value=0,
        max_value=3650,
    )
    stale_days = forms.IntegerField(
        label=gettext_lazy("Days without news before a request is flagged as stale"),
        min_value=1,
        max_value=365,
    )
    distances = forms.CharField(
        label=gettext_lazy("Distances between neighbourhoods"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    new_category = forms.CharField(label=gettext_lazy("Add a category"), required=False, max_length=80)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The example distance is written the reader's way ("1.5" / "1,5"), as it is read back.
        self.fields["distances"].help_text = _(
            "One pair a line: Riverside; Old Market; %(km)s (km). Adjoining pairs are enough."
        ) % {"km": format_number(Decimal("1.5"), grouping=False)}


class DispatcherForm(forms.Form):
    """Whom to make a dispatcher: a picker of names; past ``LONG_LIST`` names a search narrows it
    first (a "Search" button, no JavaScript), as the proposal form's pickers do."""

    membership = forms.TypedChoiceField(label=gettext_lazy("Make a dispatcher"), coerce=int)

    def __init__(self, *args: Any, candidates: list[Membership], find: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.searchable = len(candidates) > LONG_LIST
        self.find = find.strip()
        shown = candidates
        if self.searchable and self.find:
            shown = [m for m in candidates if self.find.casefold() in m.display_name.casefold()]
        field = cast(forms.ChoiceField, self.fields["membership"])
        field.choices = [("", _("Choose a person…")), *((m.pk, m.display_name) for m in shown)]
        if self.searchable and self.find and not shown:
            field.help_text = _("Nobody's name contains “%(find)s”: search again.") % {"find": self.find}
        elif self.searchable and self.find:
            field.help_text = ngettext(
                "%(n)d name contains “%(find)s”.", "%(n)d names contain “%(find)s”.", len(shown)
            ) % {"n": len(shown), "find": self.find}


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def network_settings(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "aid.change_settings", community)
    current = services.settings_for(community)
    me = me_of(request, community)
    can_grant = request.user.has_perm("aid.manage_dispatchers", community)
    dispatchers = list(DispatcherRole.objects.filter(community=community).select_related("membership"))
    candidates = list(
        members_of(community=community)
        .exclude(role=Membership.Role.OBSERVER)
        .exclude(pk__in=[d.membership_id for d in dispatchers])
    )
    what = request.POST.get("action", "settings") if request.method == "POST" else ""
    grant_form = DispatcherForm(
        candidates=candidates, find=request.POST.get("find", "") if what == "search" else ""
    )
    initial = {
        "retention_days": current.retention_days,
        "stale_days": current.stale_days,
        "distances": "\n".join(f"{a}; {b}; {_km_text(km)}" for a, b, km in current.distances),
    }
    form = SettingsForm(initial=initial)
    if what == "search":
        # Only narrows the picker: nothing is written, the page comes back with the names found.
        check(request, "aid.manage_dispatchers", community)
    elif request.method == "POST":
        if what in ("grant", "revoke"):
            check(request, "aid.manage_dispatchers", community)
            raw = request.POST.get("membership", "")
            # Any membership of this community, also one that has left (to revoke their role).
            target = community.memberships.filter(pk=int(raw) if raw.isdigit() else 0).first()

            def change() -> None:
                if target is None:
                    raise InvalidInput(_("Choose a member."), field="membership")
                if what == "grant":
                    services.dispatcher_grant(community=community, membership=target, by=me)
                else:
                    services.dispatcher_revoke(community=community, membership=target, by=me)

            return post_action(
                request,
                run=change,
                message=_("Dispatchers updated."),
                back=f"/c/{community.slug}/aid/dispatch/settings/",
            )
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                services.aid_settings_update(
                    community=community,
                    by=me,
                    retention_days=form.cleaned_data["retention_days"],
                    stale_days=form.cleaned_data["stale_days"],
                    distances=_parse_distances(form.cleaned_data["distances"]),
                )
                if form.cleaned_data["new_category"]:
                    services.aid_category_add(
                        community=community, name=form.cleaned_data["new_category"], by=me
                    )
            except DomainError as exc:
                attach_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("aid:settings", community.slug)
    return render_form(
        request,
        "aid/settings.html",
        form,
        {"grant_form": grant_form, "dispatchers": dispatchers, "can_grant": can_grant},
    )


def _parse_distances(text: str) -> list[list[Any]]:
    out: list[list[Any]] = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        if len(parts) != 3:
            raise InvalidInput(
                _("Line %(n)d: write two neighbourhoods and a distance, separated by semicolons.") % {"n": n},
                field="distances",
            )
        km = clean_amount(
            parts[2],
            field="distances",
            label=_("The distance on line %(n)d") % {"n": n},
            decimals=KM_DECIMALS,
        )
        out.append([parts[0], parts[1], float(Decimal(km).scaleb(-KM_DECIMALS))])
    return out


KM_DECIMALS = 3  # distances are read to the metre


def _km_text(km: object) -> str:
    """A stored distance in km as the reader writes it back in the form: 1.5 → "1.5" / "1,5"."""
    value = Decimal(str(km)).normalize()
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_number(value, decimals=places, grouping=False)
