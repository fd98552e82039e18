"""The aid network's settings: how long private details are kept, when a request is stale, and
the distances between neighbourhoods the matching engine uses."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

import dualpower.aid.services._clean as validation
from dualpower.aid.models import AidSettings
from dualpower.aid.services._common import matching_changed
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import InvalidInput
from dualpower.members.models import Membership


def settings_for(community: Community) -> AidSettings:
    found, _made = AidSettings.objects.get_or_create(community=community)
    return found


@transaction.atomic
def aid_settings_update(
    *,
    community: Community,
    by: Membership | None,
    retention_days: int | None = None,
    stale_days: int | None = None,
    distances: list[list[object]] | None = None,  # rows [neighbourhood, neighbourhood, km], checked here
    decision_ref: str = "",
) -> AidSettings:
    current = settings_for(community)
    changed: dict[str, Any] = {}
    if retention_days is not None:
        days = validation.quantity(retention_days, field="retention_days", minimum=0)
        if days > 3650:
            raise InvalidInput(_("Keep private details for at most 3650 days."), field="retention_days")
        changed["retention_days"] = days
    if stale_days is not None:
        days = validation.quantity(stale_days, field="stale_days", minimum=1)
        if days > 365:
            raise InvalidInput(_("Flag stale requests after at most 365 days."), field="stale_days")
        changed["stale_days"] = days
    if distances is not None:
        changed["distances"] = _clean_distances(distances)
    for key, value in changed.items():
        setattr(current, key, value)
    if changed:
        current.save(update_fields=list(changed))
        matching_changed(community)
        audit_record(
            community=community,
            actor=by,
            action="aid.settings",
            target=current,
            data={k: v for k, v in changed.items() if k != "distances"},
            decision_ref=decision_ref,
        )
    return current


def _clean_distances(value: object) -> list[list[Any]]:
    if not isinstance(value, list):
        raise InvalidInput(
            _("Distances are a list of [neighbourhood, neighbourhood, km]."), field="distances"
        )
    out = []
    for item in value:
        if not isinstance(item, list | tuple) or len(item) != 3:
            raise InvalidInput(
                _("Distances are a list of [neighbourhood, neighbourhood, km]."), field="distances"
            )
        a, b, km = item
        a = validation.neighbourhood(a)
        b = validation.neighbourhood(b)
        try:
            km = float(km)
        except (TypeError, ValueError):
            km = -1.0
        if not 0 <= km <= 1000:
            raise InvalidInput(_("A distance is a number of kilometres, 0 to 1000."), field="distances")
        out.append([a, b, km])
    return out
