"""Delegates' seats: seating delegates in a spokescouncil, recalling them, and terms that end.

Seats and recalls are made by decisions of the sending assembly (the actions in
``mandates.actions`` call these verbs with the decision's reference); the demo and the founding
of a spokescouncil may seat people directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies import bodies
from dualpower.assemblies.models import Assembly, Proposal
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.mandates.models import DelegateSeat
from dualpower.mandates.selectors import RECEIVING_KINDS, SEATED
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text

# The kinds of body that receive delegates. Later: another node's assembly.


def _check_pair(sending: Assembly, receiving: Assembly) -> None:
    if sending.community_id != receiving.community_id:
        raise InvalidInput(_("Both assemblies must belong to the same community."), field="receiving")
    if sending.pk == receiving.pk:
        raise InvalidInput(_("An assembly cannot send delegates to itself."), field="receiving")
    if receiving.kind not in RECEIVING_KINDS:
        raise InvalidInput(
            _("Delegates are sent to a spokescouncil; “%(name)s” is not one.") % {"name": receiving.name},
            field="receiving",
        )
    if sending.kind in RECEIVING_KINDS:
        raise InvalidInput(_("A spokescouncil does not send delegates."), field="sending")


def _clean_ends_at(ends_at: datetime | None, start: datetime) -> datetime | None:
    if ends_at is not None and ends_at <= start:
        raise InvalidInput(_("A delegate's term must end after it starts."), field="ends_at")
    return ends_at


def _seat(
    *,
    sending: Assembly,
    receiving: Assembly,
    membership: Membership,
    ends_at: datetime | None,
    elected_by: Proposal | None,
    decision_ref: str,
    actor: Membership | None,
    now: datetime,
) -> DelegateSeat:
    if membership.community_id != sending.community_id or membership.status != Membership.Status.ACTIVE:
        raise InvalidInput(_("Only active members of this community can be delegates."), field="membership")
    if not bodies.is_voter(sending, membership):
        raise InvalidInput(
            _("%(name)s is not a member of %(assembly)s, so cannot be its delegate.")
            % {"name": membership.display_name, "assembly": sending.name},
            field="membership",
        )
    if DelegateSeat.objects.filter(receiving=receiving, membership=membership, status=SEATED).exists():
        raise Conflict(
            _("%(name)s already holds a seat in %(assembly)s.")
            % {"name": membership.display_name, "assembly": receiving.name}
        )
    try:
        with transaction.atomic():
            seat = DelegateSeat.objects.create(
                community=sending.community,
                sending=sending,
                receiving=receiving,
                membership=membership,
                elected_by=elected_by,
                decision_ref=decision_ref,
                started_at=now,
                ends_at=ends_at,
            )
    except IntegrityError:
        raise Conflict(
            _("%(name)s already holds a seat in %(assembly)s.")
            % {"name": membership.display_name, "assembly": receiving.name}
        ) from None
    audit_record(
        community=sending.community,
        actor=actor,
        action="delegate.seat",
        target=seat,
        summary=f"{membership.display_name}: {sending.name} → {receiving.name}",
        data={"sending": sending.pk, "receiving": receiving.pk, "membership": membership.pk},
        decision_ref=decision_ref,
    )
    return seat


def _end(seat: DelegateSeat, *, status: str, now: datetime, ref: str, actor: Membership | None) -> None:
    seat.status = status
    seat.ended_at = now
    seat.ended_by_ref = ref
    seat.save(update_fields=["status", "ended_at", "ended_by_ref"])
    audit_record(
        community=seat.community,
        actor=actor,
        action=f"delegate.{status}",
        target=seat,
        summary=f"{seat.membership.display_name}: {seat.sending.name} → {seat.receiving.name}",
        data={"membership": seat.membership_id},
        decision_ref=ref,
    )


@transaction.atomic
def delegates_seat(
    *,
    sending: Assembly,
    receiving: Assembly,
    memberships: Iterable[Membership],
    replace: bool = False,
    ends_at: datetime | None = None,
    elected_by: Proposal | None = None,
    decision_ref: str = "",
    actor: Membership | None = None,
) -> list[DelegateSeat]:
    """Seat ``memberships`` as ``sending``'s delegates in ``receiving``.

    With ``replace``, the sending assembly's current delegates there give up their seats first
    (an election for the whole delegation); otherwise the new delegates join them.
    """
    _check_pair(sending, receiving)
    now = timezone.now()
    ends_at = _clean_ends_at(ends_at, now)
    people = list(memberships)
    if not people:
        raise InvalidInput(_("Name at least one delegate."), field="memberships")
    if len({m.pk for m in people}) != len(people):
        raise InvalidInput(_("The same person is named twice."), field="memberships")
    if replace:
        current = (
            DelegateSeat.objects.select_for_update(of=("self",))
            .filter(sending=sending, receiving=receiving, status=SEATED)
            .select_related("membership", "sending", "receiving", "community")
        )
        for seat in current:
            _end(seat, status=DelegateSeat.Status.REPLACED, now=now, ref=decision_ref, actor=actor)
    seats = [
        _seat(
            sending=sending,
            receiving=receiving,
            membership=m,
            ends_at=ends_at,
            elected_by=elected_by,
            decision_ref=decision_ref,
            actor=actor,
            now=now,
        )
        for m in people
    ]
    notification_send(
        recipients=people,
        community=sending.community,
        kind="mandates.seated",
        title=notice_text(
            gettext_lazy("You are a delegate of %(sending)s to %(receiving)s"),
            sending=sending.name,
            receiving=receiving.name,
        ),
        url=f"/c/{sending.community.slug}/delegates/seats/{seats[0].pk}/" if len(seats) == 1 else "",
    )
    return seats


@transaction.atomic
def seat_recall(*, seat: DelegateSeat, decision_ref: str, by_assembly_id: int) -> DelegateSeat:
    """Recall a delegate. Only the assembly that sent them can: ``by_assembly_id`` is the deciding one."""
    locked = (
        DelegateSeat.objects.select_for_update(of=("self",))
        .select_related("membership", "sending", "receiving", "community")
        .get(pk=seat.pk)
    )
    if locked.sending_id != by_assembly_id:
        raise PermissionDenied(
            _("Only %(sending)s, which sent this delegate, can recall them.")
            % {"sending": locked.sending.name}
        )
    if locked.status != SEATED:
        raise Conflict(_("This delegate no longer holds the seat."))
    _end(locked, status=DelegateSeat.Status.RECALLED, now=timezone.now(), ref=decision_ref, actor=None)
    notification_send(
        recipients=[locked.membership],
        community=locked.community,
        kind="mandates.recalled",
        title=notice_text(
            gettext_lazy("%(sending)s recalled you from %(receiving)s"),
            sending=locked.sending.name,
            receiving=locked.receiving.name,
        ),
        url=f"/c/{locked.community.slug}/delegates/seats/{locked.pk}/",
    )
    return locked


@transaction.atomic
def seats_expire(*, now: datetime) -> int:
    """End the seats whose term is over. Idempotent: an ended seat is not touched again."""
    due = (
        DelegateSeat.objects.select_for_update(of=("self",))
        .filter(status=SEATED, ends_at__lte=now)
        .select_related("membership", "sending", "receiving", "community")
    )
    count = 0
    for seat in due:
        _end(seat, status=DelegateSeat.Status.EXPIRED, now=now, ref="", actor=None)
        count += 1
    return count
