"""What the co-op services share: membership states, who may join, the audit entry about a co-op."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.coops.models import Cooperative, CoopMember
from dualpower.errors import PermissionDenied
from dualpower.members.models import Membership

MEMBER = CoopMember.Status.MEMBER
PENDING = CoopMember.Status.PENDING
LEFT = CoopMember.Status.LEFT
BOARD = CoopMember.Role.BOARD


def audit(
    coop: Cooperative, by: Membership | None, action: str, summary: str = "", /, **data: object
) -> None:
    """Write the audit entry of a change to ``coop``; ``data`` are its details (any keys)."""
    audit_record(
        community=coop.community,
        actor=by,
        action=action,
        target=coop,
        summary=summary or coop.name,
        data=data,
    )


def check_can_join(community: Community, membership: Membership) -> None:
    if membership.community_id != community.pk or not membership.is_active:
        raise PermissionDenied(_("Only people admitted to this community can join its co-ops."))
    if membership.role == Membership.Role.OBSERVER:
        raise PermissionDenied(_("Observers follow co-ops but do not join them."))
