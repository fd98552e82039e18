"""Pages for changing a meeting's agenda: add, edit, reorder, remove (plain forms, no JavaScript)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.assemblies import selectors as assembly_selectors
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.meetings import selectors, services
from dualpower.meetings.forms import (
    AgendaItemForm,
)
from dualpower.meetings.models import Meeting
from dualpower.meetings.views._common import _button, _me, _meeting, _meeting_url, _open_proposals
from dualpower.web.actions import form_action


def _item_fields(form: AgendaItemForm, meeting: Meeting) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    proposal_id = data.pop("proposal", None)
    data["proposal"] = (
        assembly_selectors.proposals_of(community=meeting.assembly.community, assembly=meeting.assembly)
        .filter(pk=proposal_id)
        .first()
        if proposal_id
        else None
    )
    if proposal_id and data["proposal"] is None:
        raise InvalidInput(_("Link a proposal of this assembly."), field="proposal")
    return data


@require_POST
@with_community
def agenda_add(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.change_agenda")
    form = AgendaItemForm(request.POST, proposals=_open_proposals(meeting))

    def action() -> Any:
        if not form.is_valid():
            first = next(iter(form.errors.values()))[0]
            raise InvalidInput(str(first))
        return services.agenda_item_add(
            meeting=meeting, by=_me(request, community), **_item_fields(form, meeting)
        )

    return _button(request, meeting, action, _("Added to the agenda."), "agenda")


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def agenda_edit(request: HttpRequest, community: Community, pk: int, item: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.change_agenda")
    entry = selectors.item_get(meeting=meeting, pk=item)
    initial = {
        "title": entry.title,
        "notes": entry.notes,
        "minutes_allotted": entry.minutes_allotted,
        "proposal": entry.proposal_id,
    }
    proposals = _open_proposals(meeting)
    if entry.proposal is not None and entry.proposal not in proposals:
        proposals.append(entry.proposal)
    form = AgendaItemForm(request.POST or None, initial=initial, proposals=proposals)
    return form_action(
        request,
        form=form,
        run=lambda _data: services.agenda_item_update(
            item=entry, by=_me(request, community), **_item_fields(form, meeting)
        ),
        success=_meeting_url(meeting, "agenda"),
        message=_("Saved."),
        template="meetings/agenda_form.html",
        context={"meeting": meeting, "item": entry},
    )


@require_POST
@with_community
def agenda_remove(request: HttpRequest, community: Community, pk: int, item: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.change_agenda")
    entry = selectors.item_get(meeting=meeting, pk=item)
    action = lambda: services.agenda_item_remove(item=entry, by=_me(request, community))  # noqa: E731
    return _button(request, meeting, action, _("Taken off the agenda."), "agenda")


@require_POST
@with_community
def agenda_move(
    request: HttpRequest, community: Community, pk: int, item: int, direction: str
) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.change_agenda")
    entry = selectors.item_get(meeting=meeting, pk=item)

    def action() -> Any:
        return services.agenda_item_move(item=entry, by=_me(request, community), up=direction == "up")

    return _button(request, meeting, action, _("The agenda was reordered."), "agenda")
