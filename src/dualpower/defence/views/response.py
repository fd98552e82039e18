"""Rapid response pages: the hub (report, my alerts, the dispatcher's open incidents, what is left of
closed ones), the one-minute report form, an incident with the steps each person may take, the
verifier's view of the photo, the on-call profile, the settings and the rota's phone list.

parse → check rule → call service → template. An incident someone may not see is "not found".
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.defence.forms.response import FollowUpForm, ProfileForm, ReportForm, SettingsForm
from dualpower.defence.models.response import LAWYER, LEGAL_OBSERVER, RESPONDER, Incident, Response
from dualpower.defence.selectors import response as selectors
from dualpower.defence.services import response_incidents as incidents
from dualpower.defence.services import response_settings as settings_services
from dualpower.defence.services.response_sealing import open_bytes, open_text
from dualpower.errors import NotFound
from dualpower.groups.selectors import groups_of
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.uploads import sniff
from dualpower.web.actions import form_action, post_action
from dualpower.web.pages import page_of
from dualpower.web.permissions import check

ROLE_LABELS = {
    RESPONDER: gettext_lazy("Responder"),
    LEGAL_OBSERVER: gettext_lazy("Legal observer"),
    LAWYER: gettext_lazy("Lawyer"),
}


def _me(request: HttpRequest, community: Community) -> Membership:
    me = membership_for(request.user, community)
    assert me is not None  # every rule used here starts from being admitted
    return me


def _incident(
    request: HttpRequest, community: Community, code: str, perm: str = "defence.view_incident"
) -> Incident:
    check(request, "defence.view", community)
    found = selectors.incident_get(community=community, code=code)
    if found is None or not request.user.has_perm("defence.view_incident", found):
        raise NotFound(_("No such incident, or it is not yours to see."))
    check(request, perm, found)
    return found


@require_http_methods(["GET", "HEAD"])
@with_community
def hub(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "defence.view", community)
    me = _me(request, community)
    user = request.user
    dispatcher = user.has_perm("defence.dispatch", community)
    # Only the verifier on shift reads the open incidents, a page at a time (web.pages).
    open_incidents = (
        page_of(
            lambda limit, offset: selectors.incidents_open_page(
                community=community, limit=limit, offset=offset
            ),
            raw=request.GET.get("incidents"),
        )
        if dispatcher
        else None
    )
    return render(
        request,
        "defence/response/hub.html",
        {
            "can_report": user.has_perm("defence.report_incident", community),
            "dispatcher": dispatcher,
            "open": open_incidents.rows if open_incidents is not None else [],
            "open_page": open_incidents,
            "alerts": list(selectors.my_alerts(membership=me)),
            "reports": list(selectors.my_reports(membership=me).filter(status__in=["reported", "verified"])),
            "counts": list(selectors.counts_of(community=community)),
            "settings": selectors.settings_of(community=community),
            "can_manage": user.has_perm("defence.manage", community),
            "can_ban": user.has_perm("defence.ban_reporters", community),
            "can_phones": user.has_perm("defence.view_phones", community),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def report(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "defence.report_incident", community)
    form = ReportForm(
        request.POST or None, request.FILES or None, areas=selectors.areas_of(community=community)
    )
    me = _me(request, community)
    return form_action(
        request,
        form=form,
        run=lambda _data: incidents.incident_report(
            community=community, by=me, **form.service_kwargs(timezone.now())
        ),
        success=lambda made: reverse("defence:incident", args=[community.slug, made.code]),
        message=lambda made: (
            _("Report %(code)s sent to the verifiers on shift. Nobody else is alerted until it is verified.")
            % {"code": made.code}
        ),
        template="defence/response/report.html",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def incident(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    found = _incident(request, community, code)
    me = _me(request, community)
    user = request.user
    verifier = user.has_perm("defence.verify", found)
    follow = FollowUpForm(request.POST or None)
    if request.method == "POST":
        check(request, "defence.verify", found)
        return form_action(
            request,
            form=follow,
            run=lambda data: incidents.incident_follow_up(
                incident=found, by=me, household=data.get("household") or "", needs=data.get("needs") or []
            ),
            success=request.path,
            message=_("The follow-up is opened."),
            template="defence/response/incident.html",
            context=_incident_context(request, found, me, verifier),
            form_name="follow",
        )
    return render(
        request,
        "defence/response/incident.html",
        {**_incident_context(request, found, me, verifier), "follow": follow},
    )


def _incident_context(
    request: HttpRequest, found: Incident, me: Membership, verifier: bool
) -> dict[str, object]:
    mine = selectors.response_of(incident=found, membership=me)
    return {
        "incident": found,
        "verifier": verifier,
        # What was seen: to the verifiers on shift and the responders alerted.
        "seen": open_text(found.seen_sealed) if verifier or mine is not None else "",
        "has_photo": bool(found.photo_sealed) and verifier,
        "responses": [
            {"response": r, "role": ROLE_LABELS.get(r.role_slug, r.role_slug)}
            for r in (selectors.responses_of(incident=found) if verifier else [])
        ],
        "mine": mine,
        "next_states": _next_states(mine)
        if mine is not None and found.status == Incident.Status.VERIFIED
        else [],
    }


def _next_states(mine: Response) -> list[tuple[str, str]]:
    order = [s for s in Response.State]
    at = order.index(Response.State(mine.state))
    return [(s.value, str(s.label)) for s in order[at + 1 :]]


@require_http_methods(["GET", "HEAD"])
@with_community
def photo(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    found = _incident(request, community, code, "defence.verify")
    data = open_bytes(found.photo_sealed)
    kind = sniff(data[:16]) if data else None
    if kind is None:
        raise NotFound(_("This report has no photo (it is deleted once the report is verified)."))
    answer = HttpResponse(data, content_type=kind.content_type)
    answer["Cache-Control"] = "no-store"
    answer["X-Content-Type-Options"] = "nosniff"
    return answer


@require_POST
@with_community
def step(request: HttpRequest, community: Community, code: str, action: str) -> HttpResponse:
    found = _incident(request, community, code)
    me = _me(request, community)
    back = reverse("defence:incident", args=[community.slug, found.code])
    if action in ("verify", "false-alarm", "close"):
        check(request, "defence.verify", found)
        run = {
            "verify": lambda: incidents.incident_verify(incident=found, by=me),
            "false-alarm": lambda: incidents.incident_false_alarm(incident=found, by=me),
            "close": lambda: incidents.incident_close(incident=found, by=me),
        }[action]
        messages = {
            "verify": _("Verified: the responders on call in the area are alerted."),
            "false-alarm": _("Closed quietly as a false alarm. Nobody was alerted."),
            "close": _("The incident is closed."),
        }
        target = reverse("defence:hub", args=[community.slug]) if action == "false-alarm" else back
        return post_action(request, run=run, back=back, message=messages[action], success=lambda _r: target)
    check(request, "defence.respond", found)
    return post_action(
        request,
        run=lambda: incidents.response_step(incident=found, by=me, state=str(request.POST.get("state", ""))),
        back=back,
        message=lambda r: _("Thank you. The dispatcher sees: %(s)s.") % {"s": r.get_state_display()},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def profile(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "defence.set_profile", community)
    me = _me(request, community)
    current = selectors.profile_of(membership=me)
    initial = {
        "areas": current.areas if current else [],
        "phone": open_text(current.phone_sealed) if current else "",
    }
    form = ProfileForm(request.POST or None, initial=initial, areas=selectors.areas_of(community=community))
    return form_action(
        request,
        form=form,
        run=lambda data: settings_services.on_call_profile_set(
            membership=me, areas=list(data.get("areas") or []), phone=data.get("phone") or ""
        ),
        success=reverse("defence:hub", args=[community.slug]),
        message=_("Saved. You are alerted for these areas when you hold a place on the responders' rota."),
        template="defence/response/profile.html",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def settings_page(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "defence.manage", community)
    me = _me(request, community)
    current = selectors.settings_of(community=community)
    groups = {g.pk: g for g in groups_of(community=community)}
    form = SettingsForm(
        request.POST or None,
        initial={"areas": "\n".join(current.areas or []), "group": str(current.group_id or "")},
        groups=[(pk, g.name) for pk, g in groups.items()],
    )
    return form_action(
        request,
        form=form,
        run=lambda data: settings_services.defence_settings_update(
            community=community,
            by=me,
            areas=data.get("areas") or "",
            group=groups.get(int(data["group"])) if data.get("group") else None,
        ),
        success=request.path,
        message=_("Saved."),
        template="defence/response/settings.html",
        context={"current": current},
    )


@require_POST
@with_community
def rota_start(request: HttpRequest, community: Community, which: str) -> HttpResponse:
    check(request, "defence.manage", community)
    me = _me(request, community)
    return post_action(
        request,
        run=lambda: settings_services.rota_start(community=community, by=me, which=which),
        back=reverse("defence:settings", args=[community.slug]),
        message=_("The rota is started: people holding the role can now take its places."),
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def phones(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "defence.view_phones", community)
    rows = [
        {"profile": p, "phone": open_text(p.phone_sealed)} for p in selectors.profiles_of(community=community)
    ]
    return render(request, "defence/response/phones.html", {"rows": rows})
