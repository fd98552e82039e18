"""Member capital: share subscriptions, transfers and sell-backs, and the append-only register.

Each operation goes draft → approved (by the co-op's board) → done; only a done operation writes
register lines, and a member's capital is the sum of their lines. Limits (the bylaws' minimum and
maximum shares per member, never below zero) are checked when an operation is drafted, again when
it is approved and when it is done, always with the co-op's row locked, and approved-but-not-done
operations count against them: two approvals racing each other cannot together pass the maximum.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dualpower.community.services import audit_record
from dualpower.coops.models import CapitalEntry, CapitalOperation, Cooperative, CoopMember
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text

Kind = CapitalOperation.Kind
Status = CapitalOperation.Status
OPEN = (Status.DRAFT, Status.APPROVED)
SHARES_MAX = 1_000_000


@dataclass(frozen=True)
class Position:
    """A member's shares: held now, and after every approved operation is done."""

    held: int
    incoming: int
    outgoing: int

    @property
    def projected(self) -> int:
        return self.held + self.incoming - self.outgoing


def position_of(member: CoopMember, *, exclude: CapitalOperation | None = None) -> Position:
    held = CapitalEntry.objects.filter(member=member).aggregate(s=Sum("shares"))["s"] or 0
    approved = CapitalOperation.objects.filter(status=Status.APPROVED)
    if exclude is not None:
        approved = approved.exclude(pk=exclude.pk)
    incoming = (
        approved.filter(
            Q(kind=Kind.SUBSCRIPTION, member=member) | Q(kind=Kind.TRANSFER, to_member=member)
        ).aggregate(s=Sum("shares"))["s"]
        or 0
    )
    outgoing = (
        approved.filter(kind__in=[Kind.TRANSFER, Kind.SELL_BACK], member=member).aggregate(s=Sum("shares"))[
            "s"
        ]
        or 0
    )
    return Position(held=held, incoming=incoming, outgoing=outgoing)


def _lock_coop(coop: Cooperative) -> Cooperative:
    # Every capital write takes the co-op's row lock first (PostgreSQL); on SQLite the IMMEDIATE
    # transaction already serialises writers. Either way limit checks see each other's results.
    return Cooperative.objects.select_for_update(of=("self",)).select_related("community").get(pk=coop.pk)


def _check_active(member: CoopMember, who: str) -> None:
    if member.status != CoopMember.Status.MEMBER:
        raise Conflict(_("%(who)s is not a member of the co-op.") % {"who": who})


def _check_limits(coop: Cooperative, op: CapitalOperation, *, exclude: CapitalOperation | None) -> None:
    """Would the holdings after every approved operation and this one stay within the bylaws?"""
    if op.kind == Kind.SUBSCRIPTION:
        _check_receiving(coop, op.member, op.shares, exclude)
        return
    giver = position_of(op.member, exclude=exclude)
    after = giver.projected - op.shares
    if min(giver.held - giver.outgoing, after) < 0:
        raise Conflict(
            ngettext(
                "%(name)s holds %(held)s share (%(out)s already promised elsewhere): "
                "not enough to give up %(n)s.",
                "%(name)s holds %(held)s shares (%(out)s already promised elsewhere): "
                "not enough to give up %(n)s.",
                giver.held,
            )
            % {
                "name": op.member.membership.display_name,
                "held": giver.held,
                "out": giver.outgoing,
                "n": op.shares,
            }
        )
    if 0 < after < coop.min_shares:
        raise Conflict(
            ngettext(
                "A member holds at least %(min)s share or none; %(name)s would keep %(after)s.",
                "A member holds at least %(min)s shares or none; %(name)s would keep %(after)s.",
                coop.min_shares,
            )
            % {"min": coop.min_shares, "name": op.member.membership.display_name, "after": after}
        )
    if op.kind == Kind.TRANSFER:
        assert op.to_member is not None
        _check_receiving(coop, op.to_member, op.shares, exclude)


def _check_receiving(
    coop: Cooperative, member: CoopMember, shares: int, exclude: CapitalOperation | None
) -> None:
    pos = position_of(member, exclude=exclude)
    after = pos.projected + shares
    name = member.membership.display_name
    if after > coop.max_shares:
        raise Conflict(
            ngettext(
                "The bylaws allow at most %(max)s share per member; %(name)s holds %(held)s "
                "and has %(pending)s more approved, so %(n)s more would make %(after)s.",
                "The bylaws allow at most %(max)s shares per member; %(name)s holds %(held)s "
                "and has %(pending)s more approved, so %(n)s more would make %(after)s.",
                coop.max_shares,
            )
            % {
                "max": coop.max_shares,
                "name": name,
                "held": pos.held,
                "pending": pos.incoming,
                "n": shares,
                "after": after,
            }
        )
    if after < coop.min_shares:
        raise Conflict(
            ngettext(
                "The bylaws ask each member to hold at least %(min)s share; "
                "this would leave %(name)s with %(after)s.",
                "The bylaws ask each member to hold at least %(min)s shares; "
                "this would leave %(name)s with %(after)s.",
                coop.min_shares,
            )
            % {"min": coop.min_shares, "name": name, "after": after}
        )


def _audit(op: CapitalOperation, by: Membership | None, action: str) -> None:
    audit_record(
        community=op.coop.community,
        actor=by,
        action=action,
        target=op,
        summary=f"{op.get_kind_display()}: {op.shares} × {op.share_price}",
        data={
            "coop": op.coop_id,
            "kind": op.kind,
            "member": op.member_id,
            "to_member": op.to_member_id,
            "shares": op.shares,
            "share_price": op.share_price,
        },
    )


def _is_board(coop: Cooperative, membership: Membership | None) -> bool:
    return (
        membership is not None
        and CoopMember.objects.filter(
            coop=coop, membership=membership, role=CoopMember.Role.BOARD, status=CoopMember.Status.MEMBER
        ).exists()
    )


@transaction.atomic
def capital_operation_create(
    *,
    coop: Cooperative,
    kind: str,
    member: CoopMember,
    shares: int,
    to_member: CoopMember | None = None,
    note: str = "",
    by: Membership,
) -> CapitalOperation:
    """Draft a subscription, transfer or sell-back. A member drafts their own; the board anyone's."""
    coop = _lock_coop(coop)
    if kind not in Kind.values:
        raise InvalidInput(_("An operation is one of: %(k)s.") % {"k": ", ".join(Kind.values)}, field="kind")
    if isinstance(shares, bool) or not isinstance(shares, int) or not 0 < shares <= SHARES_MAX:
        raise InvalidInput(_("The number of shares must be a whole number of at least 1."), field="shares")
    note = str(note or "").strip()
    if len(note) > 300:
        raise InvalidInput(_("A note has at most 300 characters."), field="note")
    if member.coop_id != coop.pk:
        raise InvalidInput(_("That person is not in this co-op."), field="member")
    if member.membership_id != by.pk and not _is_board(coop, by):
        raise PermissionDenied(_("Members draft their own operations; the board drafts them for others."))
    if coop.status == Cooperative.Status.DISSOLVED:
        raise Conflict(_("This co-op has been dissolved."))
    _check_active(member, member.membership.display_name)
    if kind == Kind.TRANSFER:
        if to_member is None:
            raise InvalidInput(_("Say who receives the shares."), field="to_member")
        if to_member.coop_id != coop.pk:
            raise InvalidInput(
                _("Shares are transferred only to another member of this co-op."), field="to_member"
            )
        if to_member.pk == member.pk:
            raise InvalidInput(_("Shares are transferred to someone else."), field="to_member")
        _check_active(to_member, to_member.membership.display_name)
    elif to_member is not None:
        raise InvalidInput(_("Only a transfer has someone receiving shares."), field="to_member")
    op = CapitalOperation(
        coop=coop,
        kind=kind,
        member=member,
        to_member=to_member,
        shares=shares,
        share_price=coop.share_price,
        note=note,
        created_by=by,
    )
    _check_limits(coop, op, exclude=None)
    op.save()
    _audit(op, by, "coop.capital_draft")
    boards = CoopMember.objects.filter(coop=coop, role=CoopMember.Role.BOARD, status=CoopMember.Status.MEMBER)
    notification_send(
        recipients=[p.membership for p in boards.select_related("membership") if p.membership_id != by.pk],
        community=coop.community,
        kind="coops.capital_draft",
        title=notice_text(
            gettext_lazy("A capital operation in %(coop)s waits for the board"), coop=coop.name
        ),
        url=f"/c/{coop.community.slug}/coops/{coop.slug}/capital/",
    )
    return op


def _locked_op(op: CapitalOperation) -> tuple[Cooperative, CapitalOperation]:
    coop = _lock_coop(op.coop)
    op = CapitalOperation.objects.select_related(
        "coop__community", "member__membership", "to_member__membership"
    ).get(pk=op.pk)
    return coop, op


@transaction.atomic
def capital_operation_approve(*, operation: CapitalOperation, by: Membership) -> CapitalOperation:
    """The board approves a draft; from now on it counts against the members' limits."""
    coop, op = _locked_op(operation)
    if op.status != Status.DRAFT:
        raise Conflict(
            _("Only a draft can be approved; this operation is %(s)s.") % {"s": op.get_status_display()}
        )
    _check_active(op.member, op.member.membership.display_name)
    if op.to_member is not None:
        _check_active(op.to_member, op.to_member.membership.display_name)
    _check_limits(coop, op, exclude=op)
    op.status, op.approved_by, op.approved_at = Status.APPROVED, by, timezone.now()
    op.save(update_fields=["status", "approved_by", "approved_at"])
    _audit(op, by, "coop.capital_approve")
    return op


@transaction.atomic
def capital_operation_complete(*, operation: CapitalOperation, by: Membership) -> CapitalOperation:
    """Mark an approved operation done (money paid or received) and write it to the register."""
    coop, op = _locked_op(operation)
    if op.status != Status.APPROVED:
        raise Conflict(
            _("Only an approved operation can be marked done; this one is %(s)s.")
            % {"s": op.get_status_display()}
        )
    # Approval already reserved the shares; this re-check guards the register against any path
    # that changed holdings since (it never passes a limit that approval let through).
    _check_limits(coop, op, exclude=op)
    amount = op.amount
    lines: list[tuple[CoopMember, str, int]] = []
    if op.kind == Kind.SUBSCRIPTION:
        lines.append((op.member, CapitalEntry.Kind.SUBSCRIPTION, 1))
    elif op.kind == Kind.SELL_BACK:
        lines.append((op.member, CapitalEntry.Kind.SELL_BACK, -1))
    else:
        assert op.to_member is not None
        lines += [
            (op.member, CapitalEntry.Kind.TRANSFER_OUT, -1),
            (op.to_member, CapitalEntry.Kind.TRANSFER_IN, 1),
        ]
    CapitalEntry.objects.bulk_create(
        [
            CapitalEntry(
                coop=coop, member=m, kind=k, shares=sign * op.shares, amount=sign * amount, operation=op
            )
            for m, k, sign in lines
        ]
    )
    op.status, op.done_at = Status.DONE, timezone.now()
    op.save(update_fields=["status", "done_at"])
    _audit(op, by, "coop.capital_done")
    notification_send(
        recipients=[op.member.membership] + ([op.to_member.membership] if op.to_member else []),
        community=coop.community,
        kind="coops.capital_done",
        title=notice_text(gettext_lazy("A capital operation in %(coop)s is done"), coop=coop.name),
        url=f"/c/{coop.community.slug}/coops/{coop.slug}/capital/",
    )
    return op


@transaction.atomic
def capital_operation_cancel(*, operation: CapitalOperation, by: Membership) -> CapitalOperation:
    """Cancel a draft (its author or the board) or an approved operation (the board)."""
    coop, op = _locked_op(operation)
    if op.status not in OPEN:
        raise Conflict(
            _("This operation is %(s)s and can no longer be cancelled.") % {"s": op.get_status_display()}
        )
    author = op.created_by_id == by.pk or op.member.membership_id == by.pk
    if not (_is_board(coop, by) or (author and op.status == Status.DRAFT)):
        raise PermissionDenied(_("Only the board cancels an approved operation."))
    op.status = Status.CANCELLED
    op.save(update_fields=["status"])
    _audit(op, by, "coop.capital_cancel")
    return op
