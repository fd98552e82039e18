"""Pages for sortition panels: parse → check rule → call service → template.

Every form posts and the page reloads: no JavaScript is needed for any step.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.members.roles import membership_for, membership_required
from dualpower.panels import selectors, services
from dualpower.panels.forms import CloseForm, PanelForm, SeedForm, VolunteerForm, quotas_text
from dualpower.panels.models import Panel
from dualpower.web.actions import form_action, post_action
from dualpower.web.pages import page_of
from dualpower.web.permissions import check

GET = ["GET", "HEAD"]


def _panel(request: HttpRequest, community: Community, pk: int, perm: str = "panels.view_panel") -> Panel:
    check(request, "panels.view_panel", community)
    panel = selectors.panel_get(community=community, pk=pk)
    check(request, perm, panel)
    return panel


@require_http_methods(GET)
@with_community
def panel_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "panels.view_panel", community)
    panels = selectors.panels_of(community=community).order_by("-created_at", "-id")
    page = page_of(lambda limit, offset: panels[offset : offset + limit], raw=request.GET.get("page"))
    return render(
        request,
        "panels/list.html",
        {
            "panels": page.rows,
            "page": page,
            "can_add": request.user.has_perm("panels.add_panel", community),
        },
    )


def _assembly_url(panel: Panel) -> str:
    if panel.assembly is None:
        return ""
    try:
        return panel.assembly.get_absolute_url()
    except NoReverseMatch:  # the assemblies pages are not there yet
        return ""


def _detail_context(request: HttpRequest, panel: Panel, **extra: Any) -> dict[str, Any]:
    me = membership_for(request.user, panel.community)
    quotas = services.quotas_of(panel)
    context = {
        "panel": panel,
        "quota_table": selectors.quota_table(panel),
        "chances": selectors.chances(panel),
        "mine": selectors.volunteer_of(panel=panel, membership=me),
        "can_volunteer": request.user.has_perm("panels.volunteer", panel),
        "runs": request.user.has_perm("panels.run_draw", panel),
        "can_change": request.user.has_perm("panels.change_panel", panel),
        "volunteer_form": VolunteerForm(quotas=quotas),
        "close_form": CloseForm(),
        "seed_form": SeedForm(),
        "members": list(selectors.selected_members(panel)) if panel.state == Panel.State.DRAWN else [],
        "assembly_url": _assembly_url(panel),
    }
    context.update(extra)
    return context


@require_http_methods(GET)
@with_community
def panel_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    panel = _panel(request, community, pk)
    return render(request, "panels/detail.html", _detail_context(request, panel))


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def panel_create(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "panels.add_panel", community)
    return form_action(
        request,
        form=PanelForm(request.POST or None),
        run=lambda data: _on_quotas(
            lambda: services.panel_create(
                community=community,
                title=data["title"],
                purpose=data["purpose"],
                size=data["size"],
                objective=data["objective"],
                features=data["quotas"],
                by=membership_for(request.user, community),
            )
        ),
        success=_panel_url,
        message=_("The panel is open for volunteers."),
        template="panels/form.html",
        context={"panel": None},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def panel_edit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    panel = _panel(request, community, pk, "panels.change_panel")
    initial = {
        "title": panel.title,
        "purpose": panel.purpose,
        "size": panel.size,
        "objective": panel.objective,
        "quotas": quotas_text(services.quotas_of(panel)),
    }
    return form_action(
        request,
        form=PanelForm(request.POST or None, initial=initial),
        run=lambda data: _on_quotas(
            lambda: services.panel_update(
                panel=panel,
                by=membership_for(request.user, community),
                title=data["title"],
                purpose=data["purpose"],
                size=data["size"],
                objective=data["objective"],
                features=data["quotas"],
            )
        ),
        success=_panel_url(panel),
        message=_("Saved."),
        template="panels/form.html",
        context={"panel": panel},
    )


def _panel_url(panel: Panel) -> str:
    return reverse("panels:detail", args=[panel.community.slug, panel.pk])


def _on_quotas(run: Callable[[], Panel]) -> Panel:
    """The form's "quotas" box is the service's "features": a refusal about them goes on that box."""
    try:
        return run()
    except InvalidInput as exc:
        if exc.field == "features":
            raise InvalidInput(exc.detail, field="quotas") from exc
        raise


def _on_page(
    request: HttpRequest, panel: Panel, form: Any, form_name: str, run: Callable[[], Any], done: str
) -> HttpResponse:
    """A form on the panel's page: back to it with the sentence, or the page again with the form's errors."""
    return form_action(
        request,
        form=form,
        run=lambda _data: run(),
        success=_panel_url(panel),
        message=done,
        template="panels/detail.html",
        context=_detail_context(request, panel, **{form_name: form}),
        form_name=form_name,
    )


def _button(request: HttpRequest, panel: Panel, run: Callable[[], Any], done: str) -> HttpResponse:
    """A button on the panel's page: back to it, with the sentence of what happened or why not."""
    return post_action(request, run=run, back=_panel_url(panel), message=done)


@require_POST
@with_community
def volunteer(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    panel = _panel(request, community, pk, "panels.volunteer")
    me = membership_required(request.user, community)
    form = VolunteerForm(request.POST, quotas=services.quotas_of(panel))
    return _on_page(
        request,
        panel,
        form,
        "volunteer_form",
        lambda: services.volunteer_signup(panel=panel, membership=me, answers=form.answers()),
        _("Thank you for volunteering. Your pseudonym in the published pool is shown below."),
    )


@require_POST
@with_community
def withdraw(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    panel = _panel(request, community, pk, "panels.volunteer")
    me = membership_required(request.user, community)
    return _button(
        request,
        panel,
        lambda: services.volunteer_withdraw(panel=panel, membership=me),
        _("You are no longer a volunteer for this panel."),
    )


@require_POST
@with_community
def close(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    panel = _panel(request, community, pk, "panels.run_draw")
    me = membership_for(request.user, community)
    form = CloseForm(request.POST)
    return _on_page(
        request,
        panel,
        form,
        "close_form",
        lambda: services.panel_close(panel=panel, seed_source=form.cleaned_data["seed_source"], by=me),
        _("Sign-up is closed and the lottery published. Announce the seed after the public event."),
    )


@require_POST
@with_community
def seed(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    panel = _panel(request, community, pk, "panels.run_draw")
    me = membership_for(request.user, community)
    form = SeedForm(request.POST)
    return _on_page(
        request,
        panel,
        form,
        "seed_form",
        lambda: services.panel_seed_announce(panel=panel, seed=form.cleaned_data["seed"], by=me),
        _("The seed is announced. Anyone can now work out who the draw selects."),
    )


@require_POST
@with_community
def draw(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    panel = _panel(request, community, pk, "panels.run_draw")
    me = membership_for(request.user, community)
    return _button(request, panel, lambda: services.panel_draw(panel=panel, by=me), _("The panel was drawn."))


@require_http_methods(GET)
@with_community
def volunteers(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    panel = _panel(request, community, pk, "panels.view_answers")
    features = list(services.quotas_of(panel))
    rows = [
        (v, [(f, v.answers.get(f, "")) for f in features]) for v in selectors.volunteers_with_answers(panel)
    ]
    return render(request, "panels/volunteers.html", {"panel": panel, "features": features, "rows": rows})


@require_http_methods(GET)
@with_community
def reproduce(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    panel = _panel(request, community, pk)
    return render(request, "panels/reproduce.html", {"panel": panel})


@require_http_methods(GET)
@with_community
def export_json(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    panel = _panel(request, community, pk)
    response = HttpResponse(
        json.dumps(selectors.panel_export(panel), indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="panel-{panel.pk}.json"'
    return response


@require_http_methods(GET)
@with_community
def export_csv(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """The pool by pseudonym: one row per volunteer with their feature values and published chance."""
    panel = _panel(request, community, pk)
    data = selectors.panel_export(panel)
    features = list(data["quotas"])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="panel-{panel.pk}-pool.csv"'
    writer = csv.writer(response)
    writer.writerow(["id", *features, "probability", "selected"])
    selected = set(data.get("selected", []))
    for public_id, answers in data.get("pool", {}).items():
        writer.writerow(
            [
                public_id,
                *(answers.get(f, "") for f in features),
                data["probabilities"][public_id],
                "yes" if public_id in selected else "",
            ]
        )
    return response
