"""Trust-granted roles (Karrot's model): members vouch for each other for a role such as
"accompanier"; when someone's vouches reach the role's threshold the role is theirs.

Who vouched is recorded (the vouches themselves, and the audit entry of the grant). Withdrawing
a vouch that brings someone below the threshold takes the role back, and their places in coming
activities that need it are given back. Raising a threshold takes the role from nobody: it
applies to grants from then on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict, Unpack

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.activities.models import RoleGrant, SignUp, TrustRole, Vouch
from dualpower.activities.services._common import takes_part
from dualpower.activities.services.signups import release
from dualpower.community.models import Community
from dualpower.community.services import audit_record, changes_save
from dualpower.errors import Conflict, InvalidInput, NotFound
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text

NAME_MAX = 80
DESCRIPTION_MAX = 2000
THRESHOLD_MAX = 50


def _name(value: object) -> str:
    name = str(value if value is not None else "").strip()
    if not name:
        raise InvalidInput(_("A role needs a name."), field="name")
    if len(name) > NAME_MAX:
        raise InvalidInput(_("A role's name has at most %(n)d characters.") % {"n": NAME_MAX}, field="name")
    return name


def _description(value: object) -> str:
    text = str(value if value is not None else "").strip()
    if len(text) > DESCRIPTION_MAX:
        raise InvalidInput(_("At most %(n)d characters.") % {"n": DESCRIPTION_MAX}, field="description")
    return text


def _threshold(value: object) -> int:
    message = _("Vouches needed: a whole number from 1 to %(n)d.") % {"n": THRESHOLD_MAX}
    if isinstance(value, bool):
        raise InvalidInput(message, field="threshold")
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise InvalidInput(message, field="threshold") from None
    if not 1 <= number <= THRESHOLD_MAX:
        raise InvalidInput(message, field="threshold")
    return number


def roles_url(community: Community) -> str:
    return f"/c/{community.slug}/activities/roles/"


@transaction.atomic
def trust_role_create(
    *, community: Community, name: str, by: Membership | None, description: str = "", threshold: int = 2
) -> TrustRole:
    name = _name(name)
    description = _description(description)
    threshold = _threshold(threshold)
    if TrustRole.objects.filter(community=community, name__iexact=name).exists():
        raise Conflict(_("This community already has a role called “%(name)s”.") % {"name": name})
    base = slugify(name)[:50] or "role"
    slug, n = base, 1
    while TrustRole.objects.filter(community=community, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    role = TrustRole.objects.create(
        community=community, slug=slug, name=name, description=description, threshold=threshold
    )
    audit_record(
        community=community,
        actor=by,
        action="activities.role_create",
        target=role,
        summary=name,
        data={"threshold": threshold},
    )
    return role


class TrustRoleChanges(TypedDict, total=False):
    """What ``trust_role_update`` may change; ``threshold`` may arrive as typed text from a form."""

    name: str
    description: str
    threshold: int | str


@transaction.atomic
def trust_role_update(
    *, role: TrustRole, by: Membership | None, **changes: Unpack[TrustRoleChanges]
) -> TrustRole:
    """Rename a role, describe it or change its threshold. Lowering the threshold grants the role
    at once to everyone who now has enough vouches."""
    unknown = set(changes) - {"name", "description", "threshold"}
    if unknown:
        raise InvalidInput(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    role = TrustRole.objects.select_for_update().get(pk=role.pk)
    if "name" in changes:
        changes["name"] = _name(changes["name"])
        taken = TrustRole.objects.filter(community=role.community, name__iexact=changes["name"]).exclude(
            pk=role.pk
        )
        if taken.exists():
            raise Conflict(
                _("This community already has a role called “%(name)s”.") % {"name": changes["name"]}
            )
    if "description" in changes:
        changes["description"] = _description(changes["description"])
    if "threshold" in changes:
        changes["threshold"] = _threshold(changes["threshold"])
    changed = changes_save(
        target=role,
        changes=changes,
        community=role.community,
        actor=by,
        action="activities.role_update",
        summary=str(changes.get("name", role.name)),
    )
    if not changed:
        return role
    if "threshold" in changed:
        vouches = Vouch.objects.filter(role=role, vouchee__status=Membership.Status.ACTIVE)
        vouchees = {v.vouchee_id: v.vouchee for v in vouches.select_related("vouchee")}
        for vouchee in sorted(vouchees.values(), key=lambda m: (m.display_name, m.pk)):
            _grant_if_due(role, vouchee)
    return role


def _voucher_names(role: TrustRole, vouchee: Membership) -> list[dict[str, Any]]:
    return [
        {"id": v.voucher_id, "name": v.voucher.display_name}
        for v in role.vouches.filter(vouchee=vouchee).select_related("voucher").order_by("created_at")
    ]


def _grant_if_due(role: TrustRole, vouchee: Membership) -> RoleGrant | None:
    if role.vouches.filter(vouchee=vouchee).count() < role.threshold:
        return None
    try:
        with transaction.atomic():
            grant, created = RoleGrant.objects.get_or_create(role=role, membership=vouchee)
    except IntegrityError:  # granted by a simultaneous vouch
        return RoleGrant.objects.get(role=role, membership=vouchee)
    if created:
        audit_record(
            community=role.community,
            actor=None,
            action="activities.role_grant",
            target=role,
            summary=vouchee.display_name,
            data={"membership": vouchee.pk, "vouched_by": _voucher_names(role, vouchee)},
        )
        notification_send(
            recipients=[vouchee],
            community=role.community,
            kind="activities.role_granted",
            title=notice_text(gettext_lazy("You are now trusted as “%(role)s”"), role=role.name),
            body=gettext_lazy("Members vouched for you. You can now take places that need this role."),
            url=roles_url(role.community),
        )
    return grant


@transaction.atomic
def vouch_give(*, role: TrustRole, voucher: Membership, vouchee: Membership) -> Vouch:
    """Vouch for someone for a role; at the threshold the role is granted."""
    community = role.community
    takes_part(community, voucher)
    takes_part(community, vouchee)
    if voucher.pk == vouchee.pk:
        raise InvalidInput(_("You cannot vouch for yourself."), field="member_id")
    if Vouch.objects.filter(role=role, voucher=voucher, vouchee=vouchee).exists():
        raise Conflict(_("You have already vouched for %(name)s.") % {"name": vouchee.display_name})
    try:
        with transaction.atomic():
            vouch = Vouch.objects.create(role=role, voucher=voucher, vouchee=vouchee)
    except IntegrityError:
        raise Conflict(_("You have already vouched for %(name)s.") % {"name": vouchee.display_name}) from None
    audit_record(
        community=community,
        actor=voucher,
        action="activities.vouch",
        target=role,
        summary=vouchee.display_name,
        data={"membership": vouchee.pk},
    )
    _grant_if_due(role, vouchee)
    return vouch


@transaction.atomic
def vouch_withdraw(
    *, role: TrustRole, voucher: Membership, vouchee: Membership, now: dt.datetime | None = None
) -> None:
    """Take a vouch back. Below the threshold, the role is taken back too, with the places in
    coming activities that need it."""
    now = now or timezone.now()
    vouch = Vouch.objects.select_for_update().filter(role=role, voucher=voucher, vouchee=vouchee).first()
    if vouch is None:
        raise NotFound(_("You have not vouched for %(name)s.") % {"name": vouchee.display_name})
    vouch.delete()
    community = role.community
    audit_record(
        community=community,
        actor=voucher,
        action="activities.vouch_withdraw",
        target=role,
        summary=vouchee.display_name,
        data={"membership": vouchee.pk},
    )
    remaining = role.vouches.filter(vouchee=vouchee).count()
    grant = RoleGrant.objects.filter(role=role, membership=vouchee).first()
    if grant is None or remaining >= role.threshold:
        return
    grant.delete()
    released = 0
    for signup in SignUp.objects.filter(
        membership=vouchee, slot__required_role=role, activity__starts_at__gt=now
    ).select_for_update():
        release(signup)
        released += 1
    audit_record(
        community=community,
        actor=None,
        action="activities.role_revoke",
        target=role,
        summary=vouchee.display_name,
        data={"membership": vouchee.pk, "vouches": remaining, "places_released": released},
    )
    notification_send(
        recipients=[vouchee],
        community=community,
        kind="activities.role_revoked",
        title=notice_text(gettext_lazy("You are no longer trusted as “%(role)s”"), role=role.name),
        body=gettext_lazy("A vouch was withdrawn. Places that need this role were given back."),
        url=roles_url(community),
    )
