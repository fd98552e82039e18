"""Pages for votes counted in the room: the teller enters a count, a witness confirms or disputes it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import Conflict, InvalidInput
from dualpower.meetings import selectors, services
from dualpower.meetings.forms import (
    TallyForm,
)
from dualpower.meetings.views._common import _button, _me, _meeting, _position_labels
from dualpower.members.roles import membership_required
from dualpower.web.permissions import check


@require_POST
@with_community
def tally_enter(request: HttpRequest, community: Community, pk: int, item: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.enter_tally")
    entry = selectors.item_get(meeting=meeting, pk=item)
    form = TallyForm(request.POST, positions=_position_labels(entry.proposal), prefix=f"t{entry.pk}")
    me = _me(request, community)
    assert me is not None

    def action() -> Any:
        if not form.is_valid():
            raise InvalidInput(
                _("Give whole numbers: the people present and the hands for each position."), field="counts"
            )
        return services.tally_enter(
            item=entry, teller=me, counts=form.counts(), present=form.cleaned_data["present"]
        )

    return _button(
        request,
        meeting,
        action,
        _("The count is entered; another member must witness it."),
        f"item-{entry.pk}",
    )


def _tally(request: HttpRequest, community: Community, pk: int, item: int, perm: str) -> Any:
    meeting = _meeting(request, community, pk, "meetings.view_meeting")
    tally = selectors.tally_get(meeting=meeting, item_pk=item)
    check(request, perm, tally)
    return meeting, tally


@require_POST
@with_community
def tally_confirm(request: HttpRequest, community: Community, pk: int, item: int) -> HttpResponse:
    meeting, tally = _tally(request, community, pk, item, "meetings.witness_tally")
    seen = request.POST.get("tally", "")

    def action() -> Any:
        if seen and seen != str(tally.pk):
            # The count was entered again after the page was loaded: nobody witnesses numbers unseen.
            raise Conflict(_("The count changed since you looked at it; read it again before witnessing."))
        return services.tally_confirm(tally=tally, witness=membership_required(request.user, community))

    return _button(
        request, meeting, action, _("You witnessed the count: the proposal is decided."), f"item-{item}"
    )


@require_POST
@with_community
def tally_dispute(request: HttpRequest, community: Community, pk: int, item: int) -> HttpResponse:
    meeting, tally = _tally(request, community, pk, item, "meetings.witness_tally")

    def action() -> None:
        services.tally_dispute(tally=tally, by=membership_required(request.user, community))

    return _button(
        request, meeting, action, _("The count was set aside; count the hands again."), f"item-{item}"
    )
