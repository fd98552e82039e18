"""Every write about working groups: creating them, joining, leaving, requests and conveners.

Who may call each verb is decided in rules.py; the services keep the community's invariants
(only members join, a group keeps a convener while it has members) and write the audit log.
"""

from __future__ import annotations

from typing import TypedDict, Unpack

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dualpower.clean import clean_text
from dualpower.community.hooks import CommunityCreated
from dualpower.community.models import Community
from dualpower.community.services import audit_record, changes_save
from dualpower.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.groups.starters import TEMPLATES
from dualpower.members.models import Membership

NAME_MAX = 120
PURPOSE_MAX = 5000
# Words the group pages use in their own URLs (/groups/new/): never a group's slug.
RESERVED_SLUGS = frozenset({"new"})
ACTIVE = GroupMembership.Status.ACTIVE
PENDING = GroupMembership.Status.PENDING


@transaction.atomic
def working_groups_from_templates(*, community: Community) -> list[WorkingGroup]:
    created = []
    for slug, name, purpose in TEMPLATES:
        group, made = WorkingGroup.objects.get_or_create(
            community=community,
            slug=slug,
            defaults={"name": _(name), "purpose": _(purpose), "template": slug},
        )
        if made:
            audit_record(
                community=community, actor=None, action="group.create", target=group, summary=group.name
            )
            created.append(group)
    return created


def starter_groups_set_up(event: CommunityCreated) -> None:
    """A new community starts with the template groups unless asked not to (a community hook)."""
    if event.with_group_templates:
        working_groups_from_templates(community=event.community)


def _check_name_free(community: Community, name: str, *, except_pk: int | None = None) -> None:
    taken = WorkingGroup.objects.filter(community=community, name__iexact=name)
    if except_pk is not None:
        taken = taken.exclude(pk=except_pk)
    if taken.exists():
        raise Conflict(
            _("This community already has a working group called “%(name)s”.") % {"name": name}, field="name"
        )


def _free_slug(community: Community, name: str) -> str:
    base = slugify(name)[:50] or "group"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or WorkingGroup.objects.filter(community=community, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _same_community(group: WorkingGroup, membership: Membership | None) -> None:
    if membership is None or membership.community_id != group.community_id:
        raise PermissionDenied(_("Only people admitted to this community can do this."))


@transaction.atomic
def working_group_create(
    *, community: Community, name: str, purpose: str = "", is_open: bool = True, by: Membership | None
) -> WorkingGroup:
    """Start a working group; the slug in its address comes from the name."""
    name = clean_text(name, field="name", label=_("A group's name"), limit=NAME_MAX, required=True)
    purpose = clean_text(purpose, field="purpose", label=_("A group's purpose"), limit=PURPOSE_MAX)
    _check_name_free(community, name)
    group = WorkingGroup.objects.create(
        community=community,
        slug=_free_slug(community, name),
        name=name,
        purpose=purpose,
        is_open=bool(is_open),
    )
    audit_record(community=community, actor=by, action="group.create", target=group, summary=name)
    return group


class GroupChanges(TypedDict, total=False):
    """What ``working_group_update`` may change."""

    name: str
    purpose: str
    is_open: bool


@transaction.atomic
def working_group_update(
    *, group: WorkingGroup, by: Membership | None, **changes: Unpack[GroupChanges]
) -> WorkingGroup:
    """Rename a group or change its purpose or how people join. Its address (slug) stays the same."""
    unknown = set(changes) - {"name", "purpose", "is_open"}
    if unknown:
        raise InvalidInput(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "name" in changes:
        changes["name"] = clean_text(
            changes["name"], field="name", label=_("A group's name"), limit=NAME_MAX, required=True
        )
        _check_name_free(group.community, changes["name"], except_pk=group.pk)
    if "purpose" in changes:
        changes["purpose"] = clean_text(
            changes["purpose"], field="purpose", label=_("A group's purpose"), limit=PURPOSE_MAX
        )
    if "is_open" in changes and not isinstance(changes["is_open"], bool):
        raise InvalidInput(_("Say whether the group is open: true or false."), field="is_open")
    changes_save(
        target=group,
        changes=changes,
        community=group.community,
        actor=by,
        action="group.update",
        summary=str(changes.get("name", group.name)),
    )
    return group


@transaction.atomic
def working_group_delete(*, group: WorkingGroup, by: Membership | None) -> None:
    """Delete a group, with its memberships; the audit log keeps who was in it."""
    members = list(group.group_memberships.select_related("membership").order_by("id"))
    audit_record(
        community=group.community,
        actor=by,
        action="group.delete",
        target=group,
        summary=group.name,
        data={
            "name": group.name,
            "members": [{"id": gm.membership_id, "name": gm.membership.display_name} for gm in members],
        },
    )
    group.delete()


@transaction.atomic
def group_join(*, group: WorkingGroup, membership: Membership) -> GroupMembership:
    """Join an open group, or ask to join one that approves its members."""
    _same_community(group, membership)
    if not membership.is_active or membership.role == Membership.Role.OBSERVER:
        raise PermissionDenied(_("Observers follow working groups but do not join them."))
    existing = GroupMembership.objects.filter(group=group, membership=membership).first()
    if existing is not None:
        raise _already_in(existing)
    status = ACTIVE if group.is_open else PENDING
    try:
        # A savepoint: two simultaneous joins by one person meet the unique constraint, not a 500.
        with transaction.atomic():
            gm = GroupMembership.objects.create(group=group, membership=membership, status=status)
    except IntegrityError:
        existing = GroupMembership.objects.filter(group=group, membership=membership).first()
        raise _already_in(existing) from None
    action = "group.join" if status == ACTIVE else "group.request"
    audit_record(community=group.community, actor=membership, action=action, target=group, summary=group.name)
    return gm


def _already_in(existing: GroupMembership | None) -> Conflict:
    if existing is not None and existing.status == PENDING:
        return Conflict(_("You have already asked to join this group."))
    return Conflict(_("You are already in this group."))


def _other_conveners(gm: GroupMembership) -> int:
    return GroupMembership.objects.filter(group_id=gm.group_id, is_convener=True).exclude(pk=gm.pk).count()


def _others_active(gm: GroupMembership) -> int:
    return GroupMembership.objects.filter(group_id=gm.group_id, status=ACTIVE).exclude(pk=gm.pk).count()


@transaction.atomic
def group_leave(
    *, group: WorkingGroup, membership: Membership, new_convener: GroupMembership | None = None
) -> None:
    """Leave a group (or withdraw a request to join).

    The last convener names another member as convener on the way out: a group with members
    is never left without someone to call it together. Alone in the group, they may just leave.
    """
    gm = (
        GroupMembership.objects.select_for_update(of=("self",))
        .filter(group=group, membership=membership)
        .select_related("membership")
        .first()
    )
    if gm is None:
        raise NotFound(_("You are not in this group."))
    if new_convener is not None:
        if not gm.is_convener:
            raise InvalidInput(_("Only a convener names who convenes after them."), field="new_convener")
        if new_convener.group_id != group.pk or new_convener.pk == gm.pk or new_convener.status != ACTIVE:
            raise InvalidInput(
                _("The new convener must be another member of this group."), field="new_convener"
            )
        if not new_convener.is_convener:
            new_convener.is_convener = True
            new_convener.save(update_fields=["is_convener"])
            audit_record(
                community=group.community,
                actor=membership,
                action="group.convener_set",
                target=group,
                summary=new_convener.membership.display_name,
                data={"membership": new_convener.membership_id, "is_convener": True},
            )
    elif gm.is_convener and _other_conveners(gm) == 0 and _others_active(gm) > 0:
        raise Conflict(_("You are this group's last convener: name another convener before you leave."))
    action = "group.leave" if gm.status == ACTIVE else "group.request_withdraw"
    gm.delete()
    audit_record(community=group.community, actor=membership, action=action, target=group, summary=group.name)


@transaction.atomic
def group_member_remove(*, group_membership: GroupMembership, by: Membership) -> None:
    """A convener or coordinator takes someone out; only a coordinator removes the last convener."""
    gm = _locked(group_membership)
    if gm.membership_id == by.pk:
        raise InvalidInput(_("To leave the group yourself, use “Leave”."))
    if (
        gm.is_convener
        and _other_conveners(gm) == 0
        and _others_active(gm) > 0
        and by.role != Membership.Role.COORDINATOR
    ):
        raise Conflict(_("Only a coordinator can remove a group's last convener."))
    gm.delete()
    _audit_member(gm, by=by, action="group.remove_member")


def _audit_member(gm: GroupMembership, *, by: Membership, action: str) -> None:
    """Record a change to one person's place in a group, naming them as the group sees them."""
    audit_record(
        community=gm.group.community,
        actor=by,
        action=action,
        target=gm.group,
        summary=gm.membership.display_name,
        data={"membership": gm.membership_id},
    )


def _locked(group_membership: GroupMembership) -> GroupMembership:
    gm = (
        GroupMembership.objects.select_for_update(of=("self",))
        .select_related("group__community", "membership")
        .filter(pk=group_membership.pk)
        .first()
    )
    if gm is None:
        raise NotFound(_("This person is no longer in the group."))
    return gm


def _pending(group_membership: GroupMembership) -> GroupMembership:
    gm = _locked(group_membership)
    if gm.status != PENDING:
        raise Conflict(_("There is no open request to join from this person."))
    return gm


@transaction.atomic
def group_request_approve(*, group_membership: GroupMembership, by: Membership) -> GroupMembership:
    gm = _pending(group_membership)
    gm.status = ACTIVE
    gm.save(update_fields=["status"])
    _audit_member(gm, by=by, action="group.request_approve")
    return gm


@transaction.atomic
def group_request_decline(*, group_membership: GroupMembership, by: Membership) -> None:
    gm = _pending(group_membership)
    gm.delete()
    _audit_member(gm, by=by, action="group.request_decline")


@transaction.atomic
def convener_set(*, group_membership: GroupMembership, is_convener: bool, by: Membership) -> GroupMembership:
    """Make a member a convener of the group, or let them step down."""
    gm = _locked(group_membership)
    if gm.is_convener == is_convener:
        return gm
    if is_convener and gm.status != ACTIVE:
        raise Conflict(_("Approve the request to join before making this person a convener."))
    if (
        not is_convener
        and _other_conveners(gm) == 0
        and _others_active(gm) > 0
        and by.role != Membership.Role.COORDINATOR
    ):
        raise Conflict(_("A group with members needs a convener: name another convener first."))
    gm.is_convener = is_convener
    gm.save(update_fields=["is_convener"])
    audit_record(
        community=gm.group.community,
        actor=by,
        action="group.convener_set" if is_convener else "group.convener_unset",
        target=gm.group,
        summary=gm.membership.display_name,
        data={"membership": gm.membership_id, "is_convener": is_convener},
    )
    return gm
