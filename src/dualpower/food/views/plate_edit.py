"""Changing and removing a share cycle and its pickup points (the food group's:
``food.manage_shares``). A cycle with shares, or a point shares pick up at, stays: removing it is
refused with a sentence. Parse → check → service → template."""

from __future__ import annotations

from typing import Any

from dualpower.food.forms.plate import CycleEditForm, PickupForm
from dualpower.food.models.plate import ShareCycle
from dualpower.food.selectors import plate as selectors
from dualpower.food.services import plate_shares as shares
from dualpower.food.views.common import changer, fields_of, remover

CYCLE_FORM = "food/plate/cycle_form.html"


SHARES = "food.manage_shares"


def _cycle_initial(cycle: ShareCycle) -> dict[str, Any]:
    # A budget in a currency is left empty: the budget stays unless a new one is typed.
    budget = str(cycle.budget) if cycle.currency is None else ""
    return {
        "name": cycle.name,
        "starts_on": cycle.starts_on.isoformat(),
        "ends_on": cycle.ends_on.isoformat(),
        "budget": budget,
    }


cycle_edit = changer(
    SHARES,
    selectors.cycle_get,
    shares.cycle_update,
    "cycle",
    form=CycleEditForm,
    initial=_cycle_initial,
    done="plate_cycle",
    done_on="pk",
    remove="plate_cycle_remove",
    template=CYCLE_FORM,
    context=lambda cycle: {"cycle": cycle},
)
pickup_edit = changer(
    SHARES,
    selectors.pickup_point_get,
    shares.pickup_point_update,
    "point",
    form=PickupForm,
    initial=lambda point: fields_of(point, "name", "place", "weekday", "hours"),
    done="plate_cycle",
    done_on="cycle_id",
    remove="plate_pickup_remove",
    template=CYCLE_FORM,
    context=lambda point: {"cycle": point.cycle},
)
removers = {
    "cycle": remover(
        SHARES, selectors.cycle_get, shares.cycle_remove, "cycle", "plate_cycles", edit="plate_cycle_edit"
    ),
    "pickup": remover(
        SHARES,
        selectors.pickup_point_get,
        shares.pickup_point_remove,
        "point",
        "plate_cycle",
        "cycle_id",
        edit="plate_pickup_edit",
    ),
}
