"""The assembly's "adopt budget" action: its decision adopts a counted cycle's result."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies import actions as assembly_actions
from dualpower.assemblies.actions import Result
from dualpower.budgeting.models import Cycle
from dualpower.budgeting.services import result_adopt
from dualpower.community.models import Community
from dualpower.errors import InvalidInput


def _cycle(community: Community, params: Any) -> Cycle:
    raw = params.get("cycle") if hasattr(params, "get") else None
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit():
        raise InvalidInput(_("Name the budgeting cycle by its number."), field="actions")
    cycle = Cycle.objects.filter(community=community, pk=int(raw)).first()
    if cycle is None:
        raise InvalidInput(_("There is no budgeting cycle with this number here."), field="actions")
    return cycle


def cycle_choices(community: Community) -> list[tuple[int, str]]:
    """The budgets an assembly may adopt: those whose count waits for a decision."""
    waiting = Cycle.objects.filter(community=community, count_is_binding=False, adopted_at__isnull=True)
    return [(cycle.pk, cycle.title) for cycle in waiting.order_by("-pk")]


def validate(community: Community, params: Any) -> dict[str, Any]:
    cycle = _cycle(community, params)
    if cycle.count_is_binding:
        raise InvalidInput(
            _("This cycle's count is binding by itself; it needs no adoption."), field="actions"
        )
    if cycle.adopted_at is not None:
        raise InvalidInput(_("This cycle's result has already been adopted."), field="actions")
    return {"cycle": cycle.pk}


def run(*, community: Community, params: Any, decision: Any) -> Result:
    cycle = _cycle(community, params)
    result_adopt(cycle=cycle, decision_ref=decision.ref)
    return assembly_actions.result(
        gettext_lazy("Adopted the result of “%(title)s”; implementation begins."), title=cycle.title
    )


def describe(community: Community, params: Any) -> str:
    cycle = _cycle(community, params)
    return _("Adopt the counted result of the budget “%(title)s” and start implementing it.") % {
        "title": cycle.title
    }
