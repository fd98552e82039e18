"""Votes taken in the room (show of hands, paper): a teller counts, a second member witnesses.

Only a witnessed tally counts: ``selectors.confirmed_room_counts`` is the provider registered with
``assemblies.sources``, so a proposal decided in the room is counted from these tallies. The
witness's confirmation decides the proposal at once (through ``assemblies.services.proposal_close``,
opening its vote first if it was still in discussion): the outcome and its actions follow.
Teller and witness are both checked in and voters of the assembly, and never the same person
(also a database constraint). No count may exceed the people present, nor the people present
the attendance.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualpower.assemblies.models import Proposal
from dualpower.assemblies.services import proposal_close, proposal_open_voting
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.meetings.models import AgendaItem, Meeting, RoomTally
from dualpower.meetings.selectors import attending_voters, is_attending_voter, is_room_vote, room_positions
from dualpower.members.models import Membership

_FINISHED = {Proposal.State.CLOSED, Proposal.State.WITHDRAWN}


def _clean_counts(proposal: Proposal, counts: object, present: object, attending: int) -> dict[str, int]:
    # ``object``: the boundary check itself (an API body may hold anything in these places).
    allowed = room_positions(proposal)
    if not isinstance(counts, Mapping):
        raise InvalidInput(_("Give a number for each position."), field="counts")
    unknown = set(counts) - set(allowed)
    if unknown:
        raise InvalidInput(
            _("This proposal's process has no position “%(p)s”.") % {"p": sorted(unknown)[0]}, field="counts"
        )
    cleaned: dict[str, int] = {}
    for position in allowed:
        value = counts.get(position, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(_("Each count is a whole number, zero or more."), field="counts")
        cleaned[position] = value
    if isinstance(present, bool) or not isinstance(present, int) or present < 1:
        raise InvalidInput(_("Give the number of people present, one or more."), field="present")
    if present > attending:
        raise InvalidInput(
            ngettext(
                "%(present)d present, but only %(n)d voter is checked in. Check people in first.",
                "%(present)d present, but only %(n)d voters are checked in. Check people in first.",
                attending,
            )
            % {"present": present, "n": attending},
            field="present",
        )
    if sum(cleaned.values()) > present:
        raise InvalidInput(
            ngettext(
                "The counts add up to %(total)d, more than the %(present)d person present.",
                "The counts add up to %(total)d, more than the %(present)d people present.",
                present,
            )
            % {"total": sum(cleaned.values()), "present": present},
            field="counts",
        )
    if sum(cleaned.values()) == 0:
        raise InvalidInput(_("Nobody took a position: count the hands again."), field="counts")
    return cleaned


@transaction.atomic
def tally_enter(
    *, item: AgendaItem, teller: Membership, counts: Mapping[str, int], present: int
) -> RoomTally:
    """The teller enters the count; it waits for a witness. Re-entering replaces an unwitnessed count."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("assembly__community")
        .get(pk=item.meeting_id)
    )
    item = AgendaItem.objects.select_related("proposal").get(pk=item.pk)
    if meeting.status != Meeting.Status.IN_PROGRESS:
        raise Conflict(_("Votes are counted in the room while the meeting is in progress."))
    if not is_room_vote(item):
        raise Conflict(_("This item has no proposal decided by a vote in the room."))
    proposal = item.proposal
    assert proposal is not None
    if proposal.state in _FINISHED:
        raise Conflict(_("This proposal is already decided or withdrawn."))
    if RoomTally.objects.filter(proposal=proposal, confirmed_at__isnull=False).exclude(item=item).exists():
        raise Conflict(_("This proposal was already counted in the room, at another meeting or item."))
    if not is_attending_voter(meeting, teller):
        raise Conflict(_("The teller is a voter of this assembly who is checked in."))
    cleaned = _clean_counts(proposal, counts, present, attending_voters(meeting))
    existing = RoomTally.objects.select_for_update().filter(item=item).first()
    if existing is not None and existing.is_confirmed:
        raise Conflict(_("This count was witnessed; it is final."))
    if existing is not None:
        existing.delete()
    try:
        with transaction.atomic():
            tally = RoomTally.objects.create(
                item=item, proposal=proposal, teller=teller, counts=cleaned, present=present
            )
    except IntegrityError:
        raise Conflict(
            _("Another teller entered a count at the same moment; check it and witness it.")
        ) from None
    audit_record(
        community=meeting.community,
        actor=teller,
        action="meeting.tally_enter",
        target=tally,
        summary=proposal.title,
        data={"counts": cleaned, "present": present},
    )
    return tally


@transaction.atomic
def tally_confirm(*, tally: RoomTally, witness: Membership) -> RoomTally:
    """A second member who saw the count confirms it: only now does it count."""
    tally = (
        RoomTally.objects.select_for_update(of=("self",))
        .select_related("item__meeting__assembly__community", "proposal")
        .get(pk=tally.pk)
    )
    meeting = tally.item.meeting
    if tally.is_confirmed:
        raise Conflict(_("This count was already witnessed."))
    if tally.teller_id == witness.pk:
        raise Conflict(_("The teller cannot witness their own count; ask another member."))
    if meeting.status not in (Meeting.Status.IN_PROGRESS, Meeting.Status.ENDED):
        raise Conflict(_("This meeting holds no count to witness."))
    if tally.proposal.state in _FINISHED:
        raise Conflict(_("This proposal is already decided or withdrawn."))
    if not is_attending_voter(meeting, witness):
        raise Conflict(_("The witness is a voter of this assembly who is checked in."))
    if RoomTally.objects.filter(proposal=tally.proposal, confirmed_at__isnull=False).exists():
        raise Conflict(_("This proposal was already counted in the room, at another meeting or item."))
    # Conditional: of two witnesses pressing at once, exactly one confirms.
    confirmed_at = timezone.now()
    try:
        with transaction.atomic():
            changed = RoomTally.objects.filter(pk=tally.pk, confirmed_at__isnull=True).update(
                witness=witness, confirmed_at=confirmed_at
            )
    except IntegrityError:
        raise Conflict(
            _("This proposal was already counted in the room, at another meeting or item.")
        ) from None
    if changed != 1:
        raise Conflict(_("This count was already witnessed."))
    tally.witness, tally.confirmed_at = witness, confirmed_at
    audit_record(
        community=meeting.community,
        actor=witness,
        action="meeting.tally_confirm",
        target=tally,
        summary=tally.proposal.title,
        data={"counts": tally.counts, "present": tally.present, "teller": tally.teller_id},
    )
    _decide(tally.proposal, now=confirmed_at)
    return tally


def _decide(proposal: Proposal, *, now: datetime) -> None:
    """A witnessed count decides its proposal at once, instead of leaving the vote open for days."""
    if proposal.state == Proposal.State.DISCUSSION:
        proposal = proposal_open_voting(proposal=proposal, by=None, now=now)
    if proposal.state == Proposal.State.VOTING:
        proposal_close(proposal=proposal, now=now)


@transaction.atomic
def tally_dispute(*, tally: RoomTally, by: Membership) -> None:
    """A member who saw a different count refuses to witness it: it is discarded, to be recounted."""
    tally = (
        RoomTally.objects.select_for_update(of=("self",))
        .select_related("item__meeting__assembly__community", "proposal")
        .get(pk=tally.pk)
    )
    if tally.is_confirmed:
        raise Conflict(_("This count was witnessed; it is final."))
    meeting = tally.item.meeting
    if not is_attending_voter(meeting, by):
        raise Conflict(_("Only a voter who is checked in can dispute a count."))
    audit_record(
        community=meeting.community,
        actor=by,
        action="meeting.tally_dispute",
        target=tally,
        summary=tally.proposal.title,
        data={"counts": tally.counts, "present": tally.present, "teller": tally.teller_id},
    )
    tally.delete()
