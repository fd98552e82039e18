"""The assembly action ``commons.adopt``: the community adopts a guide (its latest version) by a
decision; the guide shows "adopted" with the version and the decision, and the audit entry
carries the decision's reference."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies.actions import Result, result
from dualpower.commons import selectors, services
from dualpower.commons.models import Guide
from dualpower.community.models import Community
from dualpower.errors import InvalidInput, NotFound


def _guide(community: Community, params: Mapping[str, Any]) -> Guide:
    chosen = params.get("guide")
    if isinstance(chosen, str) and chosen.isdigit():
        chosen = int(chosen)
    if not isinstance(chosen, int) or isinstance(chosen, bool):
        raise InvalidInput(_("Choose the guide to adopt."), field="guide")
    try:
        return selectors.guide_get(community=community, pk=chosen)
    except NotFound:
        raise InvalidInput(_("That guide is not in this community's commons."), field="guide") from None


def validate_adopt(community: Community, params: Mapping[str, Any]) -> dict[str, Any]:
    return {"guide": _guide(community, params).pk}


def describe_adopt(community: Community, params: Mapping[str, Any]) -> str:
    guide = _guide(community, params)
    return _("Adopt the guide “%(title)s” as it is now (version %(version)s).") % {
        "title": guide.title,
        "version": guide.version,
    }


def run_adopt(*, community: Community, params: Mapping[str, Any], decision: Any) -> Result:
    guide = services.guide_adopt(guide=_guide(community, params), decision_ref=decision.ref)
    return result(
        gettext_lazy("“%(title)s” is adopted (version %(version)s)."),
        title=guide.title,
        version=guide.adopted_version,
    )
