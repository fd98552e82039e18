"""The decision that allocates a home: a proposal carrying "land.allocate_home" adopts a drawn
allocation when the assembly decides it (see assemblies.actions)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies.actions import ActionKind, Decision, Need, Params, Result, result
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.land.models import Allocation
from dualpower.land.services import allocation_adopt


def _allocation(community: Community, params: Params) -> Allocation:
    pk = params.get("allocation")
    if isinstance(pk, bool) or not isinstance(pk, int):
        raise InvalidInput(_("Choose the drawn allocation."), field="actions")
    allocation = Allocation.objects.filter(pk=pk, home__community=community).select_related("home").first()
    if allocation is None:
        raise InvalidInput(_("This community has no allocation %(id)s.") % {"id": pk}, field="actions")
    return allocation


def drawn_allocations(community: Community) -> list[tuple[int, str]]:
    """The drawn allocations waiting for a decision, by home and household: the form's picker."""
    drawn = Allocation.objects.filter(home__community=community, status=Allocation.Status.PROPOSED)
    return [
        (
            a.pk,
            _("%(home)s to household %(who)s (draw #%(id)s)")
            % {"home": a.home.label, "who": a.chosen.public_id if a.chosen else "—", "id": a.pk},
        )
        for a in drawn.select_related("home", "chosen").order_by("-pk")
    ]


def validate(community: Community, params: Params) -> dict[str, Any]:
    allocation = _allocation(community, params)
    if allocation.status != Allocation.Status.PROPOSED:
        raise InvalidInput(
            _("Allocation %(id)s is %(s)s: only a drawn allocation can be adopted.")
            % {"id": allocation.pk, "s": allocation.get_status_display()},
            field="actions",
        )
    return {"allocation": allocation.pk}


def run(*, community: Community, params: Params, decision: Decision) -> Result:
    allocation = allocation_adopt(
        allocation=_allocation(community, params), by=None, decision_ref=decision.ref
    )
    return result(
        gettext_lazy("%(home)s allocated to household %(who)s."),
        home=allocation.home.label,
        who=allocation.chosen.public_id if allocation.chosen else "",
    )


def describe(community: Community, params: Params) -> str:
    allocation = _allocation(community, params)
    who = allocation.chosen.public_id if allocation.chosen else _("(not drawn yet)")
    return _("Allocate %(home)s to household %(who)s, first in the published draw #%(id)s.") % {
        "home": allocation.home.label,
        "who": who,
        "id": allocation.pk,
    }


ALLOCATE_HOME = ActionKind(
    key="land.allocate_home",
    label=gettext_lazy("Allocate a land trust home"),  # lazy: the reader's language
    validate=validate,
    run=run,
    describe=describe,
    needs=(Need("allocation", gettext_lazy("Which drawn allocation"), options=drawn_allocations),),
)
