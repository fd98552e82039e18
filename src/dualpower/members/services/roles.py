"""Roles in a community: granted and revoked as recorded decisions."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.clean import clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import InvalidInput, NotFound, PermissionDenied
from dualpower.members.errors import LastCoordinator
from dualpower.members.models import Membership, RoleChange, User
from dualpower.members.roles import forget_memberships
from dualpower.members.services._common import MAX_REASON, Actor, _acting_membership


@transaction.atomic
def role_change(
    *, membership: Membership, role: str, by: Actor | None, reason: str, decision_ref: str = ""
) -> RoleChange:
    """Grant or revoke a role, as a recorded decision of a coordinator (or of the assembly: decision_ref)."""
    community = membership.community
    decision_ref = clean_text(
        decision_ref, field="decision_ref", label=_("The reference to the decision"), limit=120
    )
    deciding = _acting_membership(by, community) if by is not None else None
    if (by is not None or not decision_ref) and (
        deciding is None or deciding.role != Membership.Role.COORDINATOR
    ):
        raise PermissionDenied(_("Only a coordinator, or a decision of the assembly, can change a role."))
    reason = clean_text(reason, field="reason", limit=MAX_REASON, required=True, label=_("The reason"))
    if role not in Membership.Role.values:
        raise InvalidInput(
            _("Choose one of: %(v)s.") % {"v": ", ".join(Membership.Role.values)}, field="role"
        )
    # Lock the community's coordinators: two coordinators stepping down at once must not leave none.
    coordinators = list(
        Membership.objects.select_for_update()
        .filter(community=community, status=Membership.Status.ACTIVE, role=Membership.Role.COORDINATOR)
        .values_list("pk", flat=True)
    )
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise NotFound(_("This person is no longer a member."))
    if membership.role == role:
        raise InvalidInput(
            _("%(name)s already has this role.") % {"name": membership.display_name}, field="role"
        )
    if membership.role == Membership.Role.COORDINATOR and coordinators == [membership.pk]:
        raise LastCoordinator()
    change = RoleChange.objects.create(
        membership=membership,
        role_before=membership.role,
        role_after=role,
        decided_by=deciding,
        reason=reason,
        decision_ref=decision_ref,
    )
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        community=community,
        actor=deciding,
        action="member.role_change",
        target=membership,
        summary=f"{membership.display_name}: {change.role_before} → {role}",
        data={"reason": reason, "role_before": change.role_before, "role_after": role},
        decision_ref=decision_ref,
    )
    forget_memberships(membership.user)
    if isinstance(by, User):
        forget_memberships(by)
    return change


@transaction.atomic
def coordinator_appoint(*, user: User, community: Community, display_name: str) -> Membership:
    """The node's operator makes someone a coordinator directly: how a community gets its first one.

    Every later role is a recorded decision (``role_change``); this one is recorded in the audit
    log as the operator's act.
    """
    membership = Membership.objects.create(
        user=user, community=community, display_name=display_name, role=Membership.Role.COORDINATOR
    )
    audit_record(
        community=community,
        actor=None,
        action="member.createadmin",
        target=membership,
        summary=f"{display_name} appointed coordinator by the node's operator",
    )
    return membership
