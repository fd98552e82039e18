"""The delegates' panel on the dashboard: the seats I hold and the mandates that bind me."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.mandates import selectors
from dualpower.mandates.models import DelegateSeat, Mandate
from dualpower.members.roles import membership_for


def delegate_panel(request: HttpRequest, community: Community) -> Panel | None:
    me = membership_for(request.user, community)
    if me is None:
        return None
    seats = list(selectors.seats_of(community=community, membership=me))
    if not seats:
        return None
    return Panel(
        key="my-delegations",
        title=_("My seats as a delegate"),
        template="mandates/partials/_panel_seats.html",
        context={"seats": _with_mandates(seats)},
        order=35,
    )


def _with_mandates(seats: list[DelegateSeat], per_seat: int = 5) -> list[tuple[DelegateSeat, list[Mandate]]]:
    """Each seat with its newest mandates, as ``selectors.mandates_for_seat`` gives them, for all
    the seats in one query rather than one query per seat."""
    pairs = reduce(or_, [Q(sending=seat.sending_id, proposal__assembly=seat.receiving_id) for seat in seats])
    found = list(
        Mandate.objects.filter(pairs, status__in=[Mandate.Status.IN_FORCE, Mandate.Status.DRAFT])
        .select_related("proposal")
        .order_by("-created_at")
    )
    return [
        (
            seat,
            [
                m
                for m in found
                if m.sending_id == seat.sending_id and m.proposal.assembly_id == seat.receiving_id
            ][:per_seat],
        )
        for seat in seats
    ]
