"""rules of the defence app."""

from __future__ import annotations

from typing import Any as _Any

import rules as _rules

from dualpower.defence.models.response import CourtDate as _CourtDate
from dualpower.defence.models.response import Incident as _Incident
from dualpower.defence.models.response import Response as _Response
from dualpower.defence.selectors import response as _selectors
from dualpower.members.roles import membership_for as _membership_for
from dualpower.members.rules import community_of as _community_of
from dualpower.members.rules import is_acting_coordinator as _is_acting_coordinator
from dualpower.members.rules import is_admitted as _is_admitted
from dualpower.members.rules import is_member as _is_member
from dualpower.members.rules import is_public_community as _is_public_community


def _me(user: _Any, obj: _Any) -> _Any:
    if isinstance(obj, _CourtDate):
        obj = obj.case
    return _membership_for(user, _community_of(obj))


@_rules.predicate
def is_verifier_on_shift(user: _Any, obj: _Any) -> bool:
    """Holds a verifier's place in a shift running now (activities rota)."""
    return _selectors.is_on_shift_verifier(_me(user, obj))


@_rules.predicate
def is_reporter(user: _Any, incident: _Any) -> bool:
    me = _me(user, incident)
    return isinstance(incident, _Incident) and me is not None and incident.reported_by_id == me.pk


@_rules.predicate
def is_alerted(user: _Any, incident: _Any) -> bool:
    me = _me(user, incident)
    if not isinstance(incident, _Incident) or me is None:
        return False
    cache = me.__dict__.setdefault("_defence_alerted", {})
    if incident.pk not in cache:
        cache[incident.pk] = _Response.objects.filter(incident_id=incident.pk, membership=me).exists()
    return bool(cache[incident.pk])


@_rules.predicate
def is_alert_live(user: _Any, incident: _Any) -> bool:
    return isinstance(incident, _Incident) and incident.status == _Incident.Status.VERIFIED


@_rules.predicate
def is_rota_coordinator(user: _Any, obj: _Any) -> bool:
    return _selectors.rota_coordinator(_me(user, obj))


@_rules.predicate
def is_defence_group(user: _Any, obj: _Any) -> bool:
    """A coordinator, or an active member of the community's defence working group."""
    return _selectors.in_defence_group(_me(user, obj))


_rules.add_perm("defence.view", _is_admitted)
_rules.add_perm("defence.report_incident", _is_member)
_rules.add_perm("defence.dispatch", is_verifier_on_shift)
_rules.add_perm("defence.view_incident", is_reporter | is_verifier_on_shift | is_alerted)
_rules.add_perm("defence.verify", is_verifier_on_shift)
_rules.add_perm("defence.respond", is_alerted & is_alert_live)
_rules.add_perm("defence.view_counts", _is_admitted)
_rules.add_perm("defence.manage", _is_acting_coordinator)
_rules.add_perm("defence.view_phones", is_rota_coordinator)
_rules.add_perm("defence.set_profile", _is_member)
_rules.add_perm("defence.view_cases", _is_member)
_rules.add_perm("defence.manage_cases", is_defence_group)
_rules.add_perm("defence.view_rights", _is_admitted | _is_public_community)
_rules.add_perm("defence.edit_rights", is_defence_group)
# Sharing a page with peer communities speaks for the community, as in the commons: coordinators.
_rules.add_perm("defence.share_rights", _is_acting_coordinator)
# The ban list against spam reports: coordinators keep it.
_rules.add_perm("defence.ban_reporters", _is_acting_coordinator)

RESPONSE_PERMISSIONS = (
    "defence.view",
    "defence.report_incident",
    "defence.dispatch",
    "defence.view_incident",
    "defence.verify",
    "defence.respond",
    "defence.view_counts",
    "defence.manage",
    "defence.view_phones",
    "defence.set_profile",
    "defence.view_cases",
    "defence.manage_cases",
    "defence.view_rights",
    "defence.edit_rights",
    "defence.share_rights",
    "defence.ban_reporters",
)

# "What a seizure would reveal" is for everyone the community admits: each of them has a stake in
# knowing what the node holds about them (counts and words only, never a record).
_rules.add_perm("defence.view_exposure", _is_admitted)
# A duress password protects a person's own account: anyone the community admits may set one.
_rules.add_perm("defence.set_duress", _is_admitted)

EXPOSURE_PERMISSIONS = ("defence.view_exposure", "defence.set_duress")
