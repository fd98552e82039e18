"""Dispatchers: the members a coordinator (or an assembly's decision) trusts with requests'
private details."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.aid.models import DispatcherRole
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.models import Membership


@transaction.atomic
def dispatcher_grant(
    *, community: Community, membership: Membership, by: Membership | None, decision_ref: str = ""
) -> DispatcherRole:
    if membership.community_id != community.pk or not membership.is_active:
        raise InvalidInput(_("Only active members of this community can be dispatchers."), field="membership")
    if membership.role == Membership.Role.OBSERVER:
        raise InvalidInput(_("Observers cannot be dispatchers; make them members first."), field="membership")
    if DispatcherRole.objects.filter(community=community, membership=membership).exists():
        raise Conflict(_("%(name)s is already a dispatcher.") % {"name": membership.display_name})
    role = DispatcherRole.objects.create(community=community, membership=membership, granted_by=by)
    audit_record(
        community=community,
        actor=by,
        action="aid.dispatcher.grant",
        target=membership,
        summary=str(membership),
        decision_ref=decision_ref,
    )
    return role


@transaction.atomic
def dispatcher_revoke(*, community: Community, membership: Membership, by: Membership | None) -> None:
    deleted, _n = DispatcherRole.objects.filter(community=community, membership=membership).delete()
    if not deleted:
        raise Conflict(_("%(name)s is not a dispatcher.") % {"name": membership.display_name})
    audit_record(
        community=community,
        actor=by,
        action="aid.dispatcher.revoke",
        target=membership,
        summary=str(membership),
    )
