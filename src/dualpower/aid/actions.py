"""Decisions of an assembly that take effect in the aid network: choosing a dispatcher, and setting
how long private details are kept after a request closes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from dualpower.aid import services
from dualpower.assemblies import actions as assembly_actions
from dualpower.assemblies.actions import Result
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.members.models import Membership
from dualpower.members.selectors import members_of


def _member(community: Community, params: Any) -> Membership:
    raw = params.get("membership") if hasattr(params, "get") else None
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise InvalidInput(_("Name the member by their membership number."), field="actions")
    found = members_of(community=community).filter(pk=raw).first()
    if found is None:
        raise InvalidInput(_("There is no active member with this number here."), field="actions")
    return found


def member_choices(community: Community) -> list[tuple[int, str]]:
    return [(m.pk, m.display_name) for m in members_of(community=community)]


def validate_dispatcher(community: Community, params: Any) -> dict[str, Any]:
    return {"membership": _member(community, params).pk}


def run_dispatcher(*, community: Community, params: Any, decision: Any) -> Result:
    member = _member(community, params)
    services.dispatcher_grant(community=community, membership=member, by=None, decision_ref=decision.ref)
    return assembly_actions.result(
        gettext_lazy("%(name)s is now a dispatcher of the aid network."), name=member.display_name
    )


def describe_dispatcher(community: Community, params: Any) -> str:
    return _("Make %(name)s a dispatcher of the aid network (sees requests' private details).") % {
        "name": _member(community, params).display_name
    }


def _days(params: Any) -> int:
    raw = params.get("days") if hasattr(params, "get") else None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 3650:
        raise InvalidInput(_("Give the retention period as a number of days, 0 to 3650."), field="actions")
    return raw


def validate_retention(community: Community, params: Any) -> dict[str, Any]:
    return {"days": _days(params)}


def run_retention(*, community: Community, params: Any, decision: Any) -> Result:
    days = _days(params)
    services.aid_settings_update(community=community, by=None, retention_days=days, decision_ref=decision.ref)
    return assembly_actions.result(
        ngettext_lazy(
            "Private details of closed requests are now kept %(n)d day.",
            "Private details of closed requests are now kept %(n)d days.",
            "n",
        ),
        n=days,
    )


def describe_retention(community: Community, params: Any) -> str:
    days = _days(params)
    return ngettext(
        "Keep the private details of closed aid requests for %(n)d day, then erase them.",
        "Keep the private details of closed aid requests for %(n)d days, then erase them.",
        days,
    ) % {"n": days}
