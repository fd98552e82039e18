"""A co-op's members: asking to join, the board's answer, leaving, board seats.

The services keep the invariants: only community members join, a co-op keeps a board while it
has members, nobody leaves holding capital.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dualpower.coops import selectors
from dualpower.coops.models import Cooperative, CoopMember
from dualpower.coops.services._common import BOARD, LEFT, MEMBER, PENDING, audit, check_can_join
from dualpower.errors import Conflict, NotFound
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text


def _board_members(coop: Cooperative) -> list[Membership]:
    return [
        p.membership
        for p in CoopMember.objects.filter(coop=coop, role=BOARD, status=MEMBER).select_related("membership")
    ]


@transaction.atomic
def coop_join(*, coop: Cooperative, membership: Membership) -> CoopMember:
    """Ask to join a co-op (the board answers); someone who left may ask again."""
    check_can_join(coop.community, membership)
    if coop.status == Cooperative.Status.DISSOLVED:
        raise Conflict(_("This co-op has been dissolved."))
    place = CoopMember.objects.select_for_update().filter(coop=coop, membership=membership).first()
    if place is not None and place.status != LEFT:
        raise Conflict(
            _("You have already asked to join this co-op.")
            if place.status == PENDING
            else _("You are already a member of this co-op.")
        )
    try:
        with transaction.atomic():
            if place is None:
                place = CoopMember.objects.create(coop=coop, membership=membership, status=PENDING)
            else:
                place.status, place.requested_at, place.left_at = PENDING, timezone.now(), None
                place.save(update_fields=["status", "requested_at", "left_at"])
    except IntegrityError:
        raise Conflict(_("You have already asked to join this co-op.")) from None
    audit(coop, membership, "coop.join_request", membership.display_name)
    notification_send(
        recipients=_board_members(coop),
        community=coop.community,
        kind="coops.join_request",
        title=notice_text(gettext_lazy("Someone asked to join %(coop)s"), coop=coop.name),
        url=f"/c/{coop.community.slug}/coops/{coop.slug}/",
    )
    return place


def _locked(place: CoopMember) -> CoopMember:
    locked = (
        CoopMember.objects.select_for_update(of=("self",))
        .select_related("coop__community", "membership")
        .filter(pk=place.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("This person is not in the co-op."))
    return locked


@transaction.atomic
def coop_request_approve(*, place: CoopMember, by: Membership) -> CoopMember:
    place = _locked(place)
    if place.status != PENDING:
        raise Conflict(_("There is no open request to join from this person."))
    place.status, place.joined_at = MEMBER, timezone.now()
    place.save(update_fields=["status", "joined_at"])
    audit(
        place.coop, by, "coop.request_approve", place.membership.display_name, membership=place.membership_id
    )
    notification_send(
        recipients=[place.membership],
        community=place.coop.community,
        kind="coops.joined",
        title=notice_text(gettext_lazy("You are now a member of %(coop)s"), coop=place.coop.name),
        url=f"/c/{place.coop.community.slug}/coops/{place.coop.slug}/",
    )
    return place


@transaction.atomic
def coop_request_decline(*, place: CoopMember, by: Membership) -> None:
    place = _locked(place)
    if place.status != PENDING:
        raise Conflict(_("There is no open request to join from this person."))
    if place.register.exists() or place.operations.exists():
        # Someone who left and asked again keeps their history: back to "left".
        place.status = LEFT
        place.save(update_fields=["status"])
    else:
        place.delete()
    audit(
        place.coop, by, "coop.request_decline", place.membership.display_name, membership=place.membership_id
    )


@transaction.atomic
def coop_leave(*, place: CoopMember, by: Membership) -> CoopMember:
    """Leave the co-op (or withdraw a request). Capital is sold back first; the last board
    member of a co-op with other members names a successor first."""
    place = _locked(place)
    if place.status == LEFT:
        raise Conflict(_("This person has already left the co-op."))
    if place.status == PENDING:
        return _withdraw(place, by)
    capital = selectors.capital_for(member=place)
    if capital.shares or capital.amount:
        raise Conflict(
            ngettext(
                "Capital is still held (%(shares)s share, %(amount)s in the capital account): "
                "sell it back or transfer it first.",
                "Capital is still held (%(shares)s shares, %(amount)s in the capital account): "
                "sell it back or transfer it first.",
                capital.shares,
            )
            % {"shares": capital.shares, "amount": capital.amount}
        )
    if (
        place.operations.filter(status__in=["draft", "approved"]).exists()
        or place.operations_received.filter(status__in=["draft", "approved"]).exists()
    ):
        raise Conflict(_("Finish or cancel the open capital operations first."))
    if place.role == BOARD:
        others = CoopMember.objects.filter(coop=place.coop, status=MEMBER).exclude(pk=place.pk)
        if others.exists() and not others.filter(role=BOARD).exists():
            raise Conflict(_("This is the co-op's last board member: name another board member first."))
    place.status, place.role, place.left_at = LEFT, CoopMember.Role.MEMBER, timezone.now()
    place.save(update_fields=["status", "role", "left_at"])
    audit(place.coop, by, "coop.leave", place.membership.display_name, membership=place.membership_id)
    return place


def _withdraw(place: CoopMember, by: Membership) -> CoopMember:
    place.status = LEFT
    place.save(update_fields=["status"])
    audit(
        place.coop, by, "coop.request_withdraw", place.membership.display_name, membership=place.membership_id
    )
    return place


@transaction.atomic
def coop_board_set(*, place: CoopMember, is_board: bool, by: Membership) -> CoopMember:
    """Put a member on the board or take them off; a co-op with members keeps a board."""
    place = _locked(place)
    if place.status != MEMBER:
        raise Conflict(_("Only members of the co-op sit on its board."))
    role = BOARD if is_board else CoopMember.Role.MEMBER
    if place.role == role:
        return place
    if (
        not is_board
        and not CoopMember.objects.filter(coop=place.coop, role=BOARD, status=MEMBER)
        .exclude(pk=place.pk)
        .exists()
    ):
        raise Conflict(_("A co-op needs a board: name another board member first."))
    place.role = role
    place.save(update_fields=["role"])
    audit(
        place.coop,
        by,
        "coop.board_set" if is_board else "coop.board_unset",
        place.membership.display_name,
        membership=place.membership_id,
    )
    return place
