"""Mandates: drafted, then put in force by a decision of the sending assembly.

Who may draft is decided in rules.py.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies.models import Assembly, Proposal
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.mandates.models import DelegateSeat, Mandate
from dualpower.mandates.selectors import RECEIVING_KINDS, SEATED
from dualpower.members import selectors as member_selectors
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text

NOTE_MAX = 2000


def _clean_mandate(
    sending: Assembly, proposal: Proposal, position: str, note: str, expires_at: datetime | None
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
    delegates = member_selectors.memberships_with_ids(
        ids=DelegateSeat.objects.filter(
            sending=sending, receiving=proposal.assembly_id, status=SEATED
        ).values("membership_id")
    )
    notification_send(
        recipients=delegates,
        community=sending.community,
        kind="mandates.mandate",
        title=notice_text(gettext_lazy("%(sending)s gave you a mandate on a proposal"), sending=sending.name),
        url=f"/c/{sending.community.slug}/delegates/proposals/{proposal.pk}/",
    )
    return mandate
