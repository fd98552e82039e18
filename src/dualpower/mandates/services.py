"""Every write about delegates and mandates: seating, recall, term ends, mandates, breaches.

Seats, recalls and mandates in force are made by decisions of the sending assembly (the actions
in ``mandates.actions`` call these verbs with the decision's reference); the demo and the founding
of a spokescouncil may seat people directly. Who may draft is decided in rules.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.assemblies import bodies
from dualpower.assemblies.models import Assembly, Proposal
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.mandates import votes
from dualpower.mandates.models import DelegateSeat, Mandate, MandateBreach
from dualpower.members.models import Membership
from dualpower.node.services import audit_record
from dualpower.notifications.services import notification_send

SEATED = DelegateSeat.Status.SEATED
NOTE_MAX = 2000
# The kinds of body that receive delegates. Later: another node's assembly.
RECEIVING_KINDS = frozenset({Assembly.Kind.SPOKESCOUNCIL})


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
            DelegateSeat.objects.select_for_update()
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
        title=_("You are a delegate of %(sending)s to %(receiving)s")
        % {"sending": sending.name, "receiving": receiving.name},
        url=f"/c/{sending.community.slug}/delegates/seats/{seats[0].pk}/" if len(seats) == 1 else "",
    )
    return seats


@transaction.atomic
def seat_recall(*, seat: DelegateSeat, decision_ref: str, by_assembly_id: int) -> DelegateSeat:
    """Recall a delegate. Only the assembly that sent them can: ``by_assembly_id`` is the deciding one."""
    locked = (
        DelegateSeat.objects.select_for_update()
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
        title=_("%(sending)s recalled you from %(receiving)s")
        % {"sending": locked.sending.name, "receiving": locked.receiving.name},
        url=f"/c/{locked.community.slug}/delegates/seats/{locked.pk}/",
    )
    return locked


@transaction.atomic
def seats_expire(*, now: datetime) -> int:
    """End the seats whose term is over. Idempotent: an ended seat is not touched again."""
    due = (
        DelegateSeat.objects.select_for_update()
        .filter(status=SEATED, ends_at__lte=now)
        .select_related("membership", "sending", "receiving", "community")
    )
    count = 0
    for seat in due:
        _end(seat, status=DelegateSeat.Status.EXPIRED, now=now, ref="", actor=None)
        count += 1
    return count


def _clean_mandate(
    sending: Assembly, proposal: Proposal, position: Any, note: Any, expires_at: datetime | None
) -> tuple[str, str, datetime | None]:
    if proposal.assembly.community_id != sending.community_id:
        raise InvalidInput(_("That proposal belongs to another community."), field="proposal")
    if proposal.assembly.kind not in RECEIVING_KINDS:
        raise InvalidInput(
            _("Mandates are given on proposals of a spokescouncil; this proposal is not in one."),
            field="proposal",
        )
    if position not in Mandate.Position.values:
        raise InvalidInput(_("A mandate says vote for, vote against, or free."), field="position")
    note = str(note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(
            _("A mandate's note has at most %(n)d characters.") % {"n": NOTE_MAX}, field="note"
        )
    if expires_at is not None and timezone.is_naive(expires_at):
        expires_at = timezone.make_aware(expires_at)
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput(_("A mandate must expire in the future."), field="expires_at")
    if proposal.state in {Proposal.State.CLOSED, Proposal.State.WITHDRAWN}:
        raise Conflict(_("This proposal is already decided or withdrawn; a mandate would bind nobody."))
    if not DelegateSeat.objects.filter(
        sending=sending, receiving=proposal.assembly_id, status=SEATED
    ).exists():
        raise InvalidInput(
            _("%(sending)s has no delegates in %(receiving)s to give a mandate to.")
            % {"sending": sending.name, "receiving": proposal.assembly.name},
            field="sending",
        )
    return str(position), note, expires_at


@transaction.atomic
def mandate_draft(
    *,
    sending: Assembly,
    proposal: Proposal,
    position: str,
    note: str = "",
    expires_at: datetime | None = None,
    by: Membership | None,
) -> Mandate:
    """Draft (or redraft) a mandate. A draft binds nobody until a decision puts it in force."""
    position, note, expires_at = _clean_mandate(sending, proposal, position, note, expires_at)
    mandate, created = Mandate.objects.select_for_update().get_or_create(
        sending=sending,
        proposal=proposal,
        status=Mandate.Status.DRAFT,
        defaults={
            "community": sending.community,
            "position": position,
            "note": note,
            "expires_at": expires_at,
            "drafted_by": by,
        },
    )
    if not created:
        mandate.position, mandate.note, mandate.expires_at, mandate.drafted_by = (
            position,
            note,
            expires_at,
            by,
        )
        mandate.save(update_fields=["position", "note", "expires_at", "drafted_by"])
    audit_record(
        community=sending.community,
        actor=by,
        action="mandate.draft",
        target=mandate,
        summary=f"{sending.name}: {position} on {proposal.title}",
    )
    return mandate


@transaction.atomic
def mandate_set(
    *,
    sending: Assembly,
    proposal: Proposal,
    position: str,
    note: str = "",
    expires_at: datetime | None = None,
    decision_ref: str,
) -> Mandate:
    """Put a mandate in force by a decision of ``sending``; it replaces any earlier one and the draft."""
    if not decision_ref:
        raise InvalidInput(_("A mandate is put in force by a decision of the sending assembly."))
    position, note, expires_at = _clean_mandate(sending, proposal, position, note, expires_at)
    now = timezone.now()
    Mandate.objects.select_for_update().filter(
        sending=sending, proposal=proposal, status=Mandate.Status.IN_FORCE
    ).update(status=Mandate.Status.SUPERSEDED)
    draft = (
        Mandate.objects.select_for_update()
        .filter(sending=sending, proposal=proposal, status=Mandate.Status.DRAFT)
        .first()
    )
    fields = {
        "position": position,
        "note": note,
        "expires_at": expires_at,
        "status": Mandate.Status.IN_FORCE,
        "decision_ref": decision_ref,
        "adopted_at": now,
    }
    if draft is not None:
        for key, value in fields.items():
            setattr(draft, key, value)
        draft.save(update_fields=list(fields))
        mandate = draft
    else:
        mandate = Mandate.objects.create(
            community=sending.community, sending=sending, proposal=proposal, **fields
        )
    audit_record(
        community=sending.community,
        actor=None,
        action="mandate.set",
        target=mandate,
        summary=f"{sending.name}: {position} on {proposal.title}",
        decision_ref=decision_ref,
    )
    delegates = Membership.objects.filter(
        delegate_seats__sending=sending,
        delegate_seats__receiving=proposal.assembly_id,
        delegate_seats__status=SEATED,
    )
    notification_send(
        recipients=delegates,
        community=sending.community,
        kind="mandates.mandate",
        title=_("%(sending)s gave you a mandate on a proposal") % {"sending": sending.name},
        url=f"/c/{sending.community.slug}/delegates/proposals/{proposal.pk}/",
    )
    return mandate


def breaches(position: str, vote: str | None) -> bool:
    """Whether ``vote`` goes against a mandate to vote ``position``. Not voting is not a breach;
    a mandate to vote for is broken by anything but agreeing, one to vote against by anything but
    disagreeing (a block or an objection is disagreeing)."""
    if vote is None or position == Mandate.Position.FREE:
        return False
    kind = votes.position_of(vote)
    if position == Mandate.Position.FOR:
        return kind != "agree"
    return kind not in {"disagree", "block", "object"}


@transaction.atomic
def breaches_flag(*, now: datetime) -> int:
    """Record each vote against a mandate in force once, and tell the sending assembly's voters."""
    recorded = 0
    mandates = (
        Mandate.objects.filter(status=Mandate.Status.IN_FORCE)
        .exclude(position=Mandate.Position.FREE)
        .filter(proposal__state__in=[Proposal.State.VOTING, Proposal.State.CLOSED])
        .select_related("proposal__assembly", "sending__community")
    )
    for mandate in mandates:
        proposal = mandate.proposal
        # The mandate binds votes cast while it was in force: until it expired or the vote closed.
        if mandate.expires_at is not None and (proposal.voting_opens_at or now) >= mandate.expires_at:
            continue
        cast = votes.open_votes(proposal)
        if not cast:
            continue
        # A person may have held several seats over time: their latest one answers for the vote.
        latest: dict[int, DelegateSeat] = {}
        seats = DelegateSeat.objects.filter(
            sending=mandate.sending, receiving=proposal.assembly_id, membership_id__in=list(cast)
        ).select_related("membership", "sending", "receiving", "community")
        for seat in seats.order_by("-started_at", "-id"):
            latest.setdefault(seat.membership_id, seat)
        for membership_id, seat in sorted(latest.items()):
            if breaches(mandate.position, cast[membership_id]):
                recorded += _record_breach(mandate, seat, cast[membership_id], now)
    return recorded


def _record_breach(mandate: Mandate, seat: DelegateSeat, vote: str, now: datetime) -> int:
    try:
        # A savepoint: two clock runs at once meet the unique constraint, and one of them records it.
        with transaction.atomic():
            breach, created = MandateBreach.objects.get_or_create(
                mandate=mandate,
                seat=seat,
                defaults={
                    "community": mandate.community,
                    "vote": votes.position_of(vote),
                    "recorded_at": now,
                },
            )
    except IntegrityError:
        return 0
    if not created:
        return 0
    proposal = mandate.proposal
    audit_record(
        community=mandate.community,
        actor=None,
        action="mandate.breach",
        target=breach,
        summary=f"{seat.membership.display_name} on {proposal.title}",
        data={"mandate": mandate.pk, "seat": seat.pk, "vote": breach.vote},
    )
    notification_send(
        recipients=bodies.voters_of(mandate.sending),
        community=mandate.community,
        kind="mandates.breach",
        title=_("A delegate of %(sending)s voted against its mandate") % {"sending": mandate.sending.name},
        url=f"/c/{mandate.community.slug}/delegates/proposals/{proposal.pk}/",
    )
    return 1
