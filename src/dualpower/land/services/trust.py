"""The trust's settings: its priority criteria and who may adopt an allocation."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dualpower.clean import clean_int, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.core.economy import Criterion
from dualpower.errors import InvalidInput
from dualpower.land.models import TrustSettings
from dualpower.members.models import Membership

# The criteria a new trust starts with (it may change them); each reads one whole-number fact.
DEFAULT_CRITERIA: list[dict[str, Any]] = [
    {
        "key": "years_waiting",
        "description": gettext_noop("2 points for each full year on the waitlist, at most 5 years"),
        "points_per_unit": 2,
        "max_units": 5,
    },
    {
        "key": "lives_or_works_locally",
        "description": gettext_noop(
            "3 points if someone in the household lives or works in the neighbourhood"
        ),
        "points_per_unit": 3,
        "max_units": 1,
    },
    {
        "key": "displaced",
        "description": gettext_noop(
            "4 points if the household was displaced (eviction, unfit home) in the last 3 years"
        ),
        "points_per_unit": 4,
        "max_units": 1,
    },
]
# Computed by dualpower from the application date, never answered by the household.
COMPUTED_FACTS = frozenset({"years_waiting"})


def settings_for(community: Community) -> TrustSettings:
    """The trust's settings, created with the default criteria the first time they are read."""
    found = TrustSettings.objects.filter(community=community).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            # Stored as the catalogue's English: each reader reads them in their language
            # (land.words.stored_text); a criterion a coordinator rewrites is shown as written.
            criteria = [dict(c) for c in DEFAULT_CRITERIA]
            return TrustSettings.objects.create(community=community, criteria=criteria)
    except IntegrityError:
        return TrustSettings.objects.get(community=community)


def criteria_of(settings: TrustSettings) -> list[Criterion]:
    return [
        Criterion(
            key=c["key"],
            description=c["description"],
            points_per_unit=c["points_per_unit"],
            max_units=c.get("max_units"),
        )
        for c in settings.criteria
    ]


def clean_criteria(raw: object) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise InvalidInput(_("The criteria are a list."), field="criteria")
    cleaned, keys = [], set()
    for item in raw:
        if not isinstance(item, dict):
            raise InvalidInput(_("Each criterion is an object."), field="criteria")
        key = clean_text(
            item.get("key"), field="criteria", label=_("A criterion's key"), limit=40, required=True
        )
        if not key.replace("_", "").isalnum() or key in keys:
            raise InvalidInput(_("Each criterion has its own key of letters and _."), field="criteria")
        keys.add(key)
        max_units = item.get("max_units")
        cleaned.append(
            {
                "key": key,
                "description": clean_text(
                    item.get("description"),
                    field="criteria",
                    label=_("A description"),
                    limit=300,
                    required=True,
                ),
                "points_per_unit": clean_int(
                    item.get("points_per_unit"), field="criteria", label=_("Points"), low=0, high=1000
                ),
                "max_units": None
                if max_units is None
                else clean_int(max_units, field="criteria", label=_("The cap"), low=0, high=1000),
            }
        )
    return cleaned


@transaction.atomic
def trust_settings_update(
    *,
    community: Community,
    by: Membership | None,
    coordinators_may_allocate: bool | None = None,
    criteria: list[dict[str, object]] | None = None,  # checked by clean_criteria
    decision_ref: str = "",
) -> TrustSettings:
    settings = settings_for(community)
    settings = TrustSettings.objects.select_for_update().get(pk=settings.pk)
    before = {"coordinators_may_allocate": settings.coordinators_may_allocate, "criteria": settings.criteria}
    if coordinators_may_allocate is not None:
        if not isinstance(coordinators_may_allocate, bool):
            raise InvalidInput(_("Say true or false."), field="coordinators_may_allocate")
        settings.coordinators_may_allocate = coordinators_may_allocate
    if criteria is not None:
        settings.criteria = clean_criteria(criteria)
    settings.save()
    audit_record(
        community=community,
        actor=by,
        action="land.settings_update",
        target=settings,
        data={
            "before": before,
            "after": {
                "coordinators_may_allocate": settings.coordinators_may_allocate,
                "criteria": settings.criteria,
            },
        },
        decision_ref=decision_ref,
    )
    return settings
