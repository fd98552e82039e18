"""The assembly's decision on community defence: how long a closed incident is kept before it is
reduced to a count (``defence.set_retention``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from dualpower.assemblies import actions as assembly_actions
from dualpower.assemblies.actions import Result
from dualpower.community.models import Community
from dualpower.defence.services.response_settings import MAX_RETENTION_HOURS, defence_settings_update
from dualpower.errors import InvalidInput


def _hours(params: Any) -> int:
    raw = params.get("hours") if hasattr(params, "get") else None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_RETENTION_HOURS:
        raise InvalidInput(
            _("Give the retention as a number of hours, 0 to %(max)d.") % {"max": MAX_RETENTION_HOURS},
            field="actions",
        )
    return raw


def validate_retention(community: Community, params: Any) -> dict[str, Any]:
    return {"hours": _hours(params)}


def run_retention(*, community: Community, params: Any, decision: Any) -> Result:
    hours = _hours(params)
    defence_settings_update(community=community, by=None, retention_hours=hours, decision_ref=decision.ref)
    return assembly_actions.result(
        ngettext_lazy(
            "Closed incidents are now kept %(n)d hour, then reduced to a count.",
            "Closed incidents are now kept %(n)d hours, then reduced to a count.",
            "n",
        ),
        n=hours,
    )


def describe_retention(community: Community, params: Any) -> str:
    hours = _hours(params)
    return ngettext(
        "Keep a closed incident %(n)d hour after its follow-up is opened, then reduce it to a count.",
        "Keep a closed incident %(n)d hours after its follow-up is opened, then reduce it to a count.",
        hours,
    ) % {"n": hours}
