"""API for sortition panels: parse → check rule → call service → schema.

Paths live under /communities/{slug}/panels/...; the steps of a draw are POSTs in order:
close (publishes the lottery), seed (announces the seed), draw.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from dualpower.api_tools import AUTH_OPTIONAL, paginate
from dualpower.community.selectors import community_get
from dualpower.errors import PermissionDenied
from dualpower.members.roles import membership_for
from dualpower.panels import selectors, services
from dualpower.panels.models import Panel, Volunteer
from dualpower.panels.schemas import (
    CloseIn,
    PanelIn,
    PanelOut,
    PanelPatch,
    SeedIn,
    VolunteerIn,
    VolunteerOut,
    VolunteerPrivateOut,
)
from dualpower.web.permissions import check

router = Router(tags=["sortition panels"])

PANELS = "/communities/{slug}/panels"
PANEL = PANELS + "/{panel_id}"


def _out(panel: Panel) -> Panel:
    return selectors.panel_get(community=panel.community, pk=panel.pk)


def _panel(request: HttpRequest, slug: str, panel_id: int, perm: str) -> Panel:
    community = community_get(slug=slug)
    check(request, "panels.view_panel", community)
    panel = selectors.panel_get(community=community, pk=panel_id)
    check(request, perm, panel)
    return panel


def _me(request: HttpRequest, panel: Panel) -> Any:
    return membership_for(request.user, panel.community)


@router.get(PANELS, response=list[PanelOut], auth=AUTH_OPTIONAL)
@paginate
def panel_list(request: HttpRequest, slug: str) -> Any:
    community = community_get(slug=slug)
    check(request, "panels.view_panel", community)
    return list(selectors.panels_of(community=community, with_quotas=True))


@router.post(PANELS, response={201: PanelOut})
def panel_create(request: HttpRequest, slug: str, payload: PanelIn) -> Status[Panel]:
    community = community_get(slug=slug)
    check(request, "panels.add_panel", community)
    panel = services.panel_create(
        community=community,
        title=payload.title,
        purpose=payload.purpose,
        size=payload.size,
        objective=payload.objective,
        features=payload.quotas,
        by=membership_for(request.user, community),
    )
    return Status(201, _out(panel))


@router.get(PANEL, response=PanelOut, auth=AUTH_OPTIONAL)
def panel_detail(request: HttpRequest, slug: str, panel_id: int) -> Panel:
    return _out(_panel(request, slug, panel_id, "panels.view_panel"))


@router.patch(PANEL, response=PanelOut)
def panel_update(request: HttpRequest, slug: str, panel_id: int, payload: PanelPatch) -> Panel:
    panel = _panel(request, slug, panel_id, "panels.change_panel")
    changes = payload.dict(exclude_unset=True)
    if "quotas" in changes:
        changes["features"] = changes.pop("quotas")
    services.panel_update(panel=panel, by=_me(request, panel), **changes)
    return _out(panel)


@router.post(PANEL + "/volunteers", response={201: VolunteerOut})
def volunteer(request: HttpRequest, slug: str, panel_id: int, payload: VolunteerIn) -> Status[Volunteer]:
    panel = _panel(request, slug, panel_id, "panels.volunteer")
    return Status(
        201, services.volunteer_signup(panel=panel, membership=_me(request, panel), answers=payload.answers)
    )


@router.delete(PANEL + "/volunteers/me", response={204: None})
def withdraw(request: HttpRequest, slug: str, panel_id: int) -> Status[None]:
    panel = _panel(request, slug, panel_id, "panels.volunteer")
    services.volunteer_withdraw(panel=panel, membership=_me(request, panel))
    return Status(204, None)


@router.get(PANEL + "/volunteers/me", response=VolunteerOut)
def my_volunteering(request: HttpRequest, slug: str, panel_id: int) -> Volunteer:
    panel = _panel(request, slug, panel_id, "panels.view_panel")
    mine = selectors.volunteer_of(panel=panel, membership=_me(request, panel))
    if mine is None:
        raise PermissionDenied(_("You have not volunteered for this panel."))
    return mine


@router.get(PANEL + "/volunteers", response=list[VolunteerPrivateOut])
@paginate
def volunteer_list(request: HttpRequest, slug: str, panel_id: int) -> Any:
    panel = _panel(request, slug, panel_id, "panels.view_answers")
    return selectors.volunteers_with_answers(panel)


@router.post(PANEL + "/close", response=PanelOut)
def close(request: HttpRequest, slug: str, panel_id: int, payload: CloseIn) -> Panel:
    panel = _panel(request, slug, panel_id, "panels.run_draw")
    return _out(services.panel_close(panel=panel, seed_source=payload.seed_source, by=_me(request, panel)))


@router.post(PANEL + "/seed", response=PanelOut)
def seed(request: HttpRequest, slug: str, panel_id: int, payload: SeedIn) -> Panel:
    panel = _panel(request, slug, panel_id, "panels.run_draw")
    return _out(services.panel_seed_announce(panel=panel, seed=payload.seed, by=_me(request, panel)))


@router.post(PANEL + "/draw", response=PanelOut)
def draw(request: HttpRequest, slug: str, panel_id: int) -> Panel:
    panel = _panel(request, slug, panel_id, "panels.run_draw")
    return _out(services.panel_draw(panel=panel, by=_me(request, panel)))


@router.get(PANEL + "/export", response=dict[str, Any], auth=AUTH_OPTIONAL)
def export(request: HttpRequest, slug: str, panel_id: int) -> dict[str, Any]:
    return selectors.panel_export(_panel(request, slug, panel_id, "panels.view_panel"))
