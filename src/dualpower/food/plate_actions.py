"""The decision that sets the food priorities: a proposal carrying "food.set_priorities" puts the
destinations of every harvest in the order the assembly chose (see assemblies.actions)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies.actions import ActionKind, Decision, Need, Params, Result, result
from dualpower.community.models import Community
from dualpower.core.food.allocation import Tier
from dualpower.errors import InvalidInput
from dualpower.food.services.plate_allocation import priorities_clean, priorities_set

PLACES = ("first", "second", "third", "fourth", "fifth")

TIER_NAMES = {
    Tier.URGENT_AID: gettext_lazy("Urgent food requests"),
    Tier.AID: gettext_lazy("Other food requests"),
    Tier.SHARES: gettext_lazy("Share members' baskets"),
    Tier.PANTRY: gettext_lazy("The pantry"),
    Tier.MARKET: gettext_lazy("The grocery or market"),
}


def tier_name(key: str) -> str:
    try:
        return str(TIER_NAMES[Tier(key)])
    except ValueError:
        return key


def tier_choices(community: Community) -> list[tuple[str, str]]:
    return [(tier.value, str(name)) for tier, name in TIER_NAMES.items()]


def _ordered(params: Params) -> list[str]:
    if "priorities" in params:  # through the API: the list itself
        return priorities_clean(params["priorities"])
    chosen = [params[place] for place in PLACES if params.get(place)]
    if not chosen:
        raise InvalidInput(_("Choose what comes first."), field="actions")
    try:
        return priorities_clean(chosen)
    except InvalidInput as refused:
        raise InvalidInput(refused.detail, field="actions") from None


def validate(community: Community, params: Params) -> dict[str, Any]:
    return {"priorities": _ordered(params)}


def run(*, community: Community, params: Params, decision: Decision) -> Result:
    priorities_set(community=community, priorities=_ordered(params), decision_ref=decision.ref)
    return result(gettext_lazy("Harvests are now given out in the order the assembly adopted."))


def describe(community: Community, params: Params) -> str:
    names = [tier_name(key) for key in _ordered(params)]
    return _("Give out every harvest in this order: %(order)s.") % {"order": "; ".join(names)}


SET_PRIORITIES = ActionKind(
    key="food.set_priorities",
    label=gettext_lazy("Set the order in which harvests are given out"),
    validate=validate,
    run=run,
    describe=describe,
    needs=tuple(
        Need(
            place,
            label,
            options=tier_choices,
            required=place == "first",
            empty=gettext_lazy("Nothing more"),
        )
        for place, label in zip(
            PLACES,
            (
                gettext_lazy("First"),
                gettext_lazy("Second"),
                gettext_lazy("Third"),
                gettext_lazy("Fourth"),
                gettext_lazy("Fifth"),
            ),
            strict=True,
        )
    ),
)
