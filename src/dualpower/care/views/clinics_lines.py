"""Pages for the warm line (who answers now, the call log, counts by week) and crisis response
(dispatching a pair, the pair's steps, outcomes by category)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.activities.selectors import series_get, series_of
from dualpower.aid.roles import is_dispatcher_user
from dualpower.care.forms.clinics import CallForm, CloseCallForm, DispatchForm
from dualpower.care.models.clinics import CrisisCall, WarmLineCall
from dualpower.care.selectors import clinics as selectors
from dualpower.care.services import clinics_lines as services
from dualpower.care.views.clinics_nav import nav
from dualpower.clean import clean_int_or_none
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput, NotFound
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check


def _rota_choices(request: HttpRequest, community: Community) -> list[tuple[int, str]]:
    """The running activities a rota may be (for the health group's picker)."""
    if not request.user.has_perm("care.set_rota", community):
        return []
    running = series_of(community=community).filter(is_active=True).order_by("title", "id")
    return [(s.pk, s.title) for s in running[:200]]


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def warm_line(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "care.view_warm_line", community)
    logs = request.user.has_perm("care.log_call", community)
    if request.method == "POST":
        check(request, "care.log_call", community)
    rota = selectors.rota_of(community=community, kind="warm_line")
    context = {
        "rota": rota,
        "on_now": selectors.on_the_line(community=community),
        "weeks": selectors.call_counts(community=community),
        "topics": WarmLineCall.Topic.choices,
        "logs": logs,
        "rota_choices": _rota_choices(request, community),
        **nav(request, community),
    }
    if not logs:
        return render(request, "care/clinics/warm_line.html", {**context, "form": None})
    me = membership_for(request.user, community)
    now = timezone.localtime().replace(second=0, microsecond=0)
    return form_action(
        request,
        form=CallForm(request.POST or None, initial={"started_at": now}),
        run=lambda data: services.call_log(community=community, by=me, **data),
        success=reverse("care:warm_line", args=[community.slug]),
        message=_("The call is logged: its time, length and topic only."),
        template="care/clinics/warm_line.html",
        context=context,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def crisis(request: HttpRequest, community: Community) -> HttpResponse:
    me = membership_for(request.user, community)
    if not request.user.has_perm("care.view_crisis", community):
        # The pair sent to a call sees their own calls here, even off shift.
        mine = list(selectors.crisis_calls_of(membership=me).filter(community=community)[:50]) if me else []
        if not mine:
            check(request, "care.view_crisis", community)
        return render(request, "care/clinics/crisis.html", {"calls": mine, "form": None, "mine_only": True})
    if request.method == "POST":
        check(request, "care.dispatch_crisis", community)
    context = {
        "calls": list(selectors.crisis_calls(community=community)[:50]),
        "team": selectors.on_the_crisis_team(community=community),
        "outcomes": selectors.outcome_counts(community=community),
        "outcome_labels": CrisisCall.Outcome.choices,
        "rota": selectors.rota_of(community=community, kind="crisis"),
        "rota_choices": _rota_choices(request, community),
    }
    return form_action(
        request,
        form=DispatchForm(request.POST or None),
        run=lambda data: services.crisis_dispatch(community=community, by=me, **data),
        success=lambda call: reverse("care:crisis_call", args=[community.slug, call.pk]),
        message=lambda call: _("A pair is sent (call %(code)s).") % {"code": call.code},
        template="care/clinics/crisis.html",
        context=context,
    )


def _call(request: HttpRequest, community: Community, pk: int) -> CrisisCall:
    call = selectors.crisis_call_get(community=community, pk=pk)
    if not request.user.has_perm("care.view_crisis_call", call):
        check(request, "care.view_clinics", community)  # an outsider is refused as such
        raise NotFound(_("This community has no crisis call %(id)s.") % {"id": pk})
    return call


@require_http_methods(["GET", "HEAD"])
@with_community
def crisis_call(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    call = _call(request, community, pk)
    responds = request.user.has_perm("care.respond_crisis", call)
    return render(
        request,
        "care/clinics/crisis_call.html",
        {
            "call": call,
            "responds": responds,
            # Aid's page of the request is for its dispatchers (who see every request's details).
            "aid_link": call.aid_request_id is not None and is_dispatcher_user(request.user, community),
            "close_form": CloseCallForm() if responds and call.status != CrisisCall.Status.CLOSED else None,
        },
    )


@require_POST
@with_community
def crisis_step(request: HttpRequest, community: Community, pk: int, step: str) -> HttpResponse:
    call = _call(request, community, pk)
    check(request, "care.respond_crisis", call)
    me = membership_for(request.user, community)
    assert me is not None  # respond_crisis holds only for a member of the pair
    back = reverse("care:crisis_call", args=[community.slug, call.pk])
    if step == "acknowledge":
        return post_action(
            request,
            run=lambda: services.crisis_acknowledge(call=call, by=me),
            back=back,
            message=_("On the way."),
        )
    if step == "arrive":
        return post_action(
            request, run=lambda: services.crisis_arrive(call=call, by=me), back=back, message=_("Arrived.")
        )
    if step == "close":
        outcome = request.POST.get("outcome", "")
        follow_up = request.POST.get("follow_up") in ("on", "1", "true")
        return post_action(
            request,
            run=lambda: services.crisis_close(call=call, by=me, outcome=outcome, follow_up=follow_up),
            back=back,
            message=_("The call is closed."),
        )
    raise NotFound(_("No such step."))


@require_POST
@with_community
def rota_set(request: HttpRequest, community: Community) -> HttpResponse:
    """The health group names the activity whose shifts staff the warm line or the crisis team."""
    check(request, "care.view_warm_line", community)
    check(request, "care.set_rota", community)
    kind = request.POST.get("kind", "")
    back = reverse("care:crisis" if kind == "crisis" else "care:warm_line", args=[community.slug])
    series_id = clean_int_or_none(request.POST.get("series"), field="series", label=_("The activity"), low=1)
    me = membership_for(request.user, community)

    def run() -> object:
        if series_id is None:
            raise InvalidInput(_("Choose the activity whose shifts staff it."), field="series")
        series = series_get(community=community, pk=series_id)
        return services.rota_set(community=community, kind=kind, series=series, by=me)

    return post_action(request, run=run, back=back, message=_("The rota is set."))
