"""Casting votes, open and secret (liquid delegation is in delegations.py).

Open votes are one row per voter, replaced when the voter changes their mind. Secret ballots keep
who voted apart from what was voted: ``Participation`` (who voted, random key, no time) and, while
the vote is open, ``SealedBallot`` (what was voted, encrypted with the vote's own key, kept outside
the database; services/ballot_box.py). Casting writes one participation and one sealed ballot,
whatever the size of the box. The voter receives a receipt code, shown once; the sealed ballot
holds its digest inside, and is found by an HMAC of it that only the key can compute. With the code
the voter can replace their ballot while the vote is open and, once it has closed, find it in the
published list; without it nobody, not even an operator, can tell which ballot is theirs. A lost
code means the secret vote can no longer be changed: that is the price of secrecy, and the page
says so.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualpower.assemblies import bodies, processes, sealing
from dualpower.assemblies.models import Participation, Proposal, SealedBallot, Vote
from dualpower.assemblies.processes import REASON_REQUIRED, SCORE_MAX
from dualpower.assemblies.selectors import receipt_hash
from dualpower.assemblies.services.ballot_box import ballot_box_key
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dualpower.members.models import Membership

REASON_MAX = 2000
# What a ballot names, by the process's shape: option ids (approval, time, ranked: first choice
# first), option id → number (score, dots), or nothing (a position: agree, block...).
Choices = str | int | Sequence[str | int] | Mapping[str, int | str] | None
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on a phone


@dataclass(frozen=True)
class Cast:
    """What casting a vote returns: the open vote, or the receipt code of a secret ballot."""

    vote: Vote | None = None
    receipt: str = ""
    replaced: bool = False
    # What was cast, as stored: for a secret ballot the only moment the server can tell the voter.
    choices: list[str] | dict[str, int] = field(default_factory=list)


def _new_receipt() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))  # 80 bits
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def clean_ballot(
    proposal: Proposal, *, position: str, choices: Choices, reason: str
) -> tuple[str, list[str] | dict[str, int], str]:
    """Check a ballot against the proposal's process; return (position, choices, reason).

    A secret ballot carries no reason (assemblies.sealing says why): it is not asked for, and not kept.
    """
    process = processes.get(proposal.process)
    reason = "" if proposal.is_secret else str(reason or "").strip()
    if len(reason) > REASON_MAX:
        raise InvalidInput(_("A reason has at most %(n)d characters.") % {"n": REASON_MAX}, field="reason")
    if not process.has_options:
        position = str(position or "").strip().lower()
        if position not in process.positions:
            labels = ", ".join(label for _p, label in process.position_choices())
            raise InvalidInput(_("Choose one of: %(p)s.") % {"p": labels}, field="position")
        if position in REASON_REQUIRED and not reason and not proposal.is_secret:
            raise InvalidInput(
                _("A block or an objection needs a reason the assembly can answer."), field="reason"
            )
        return position, [], reason
    ids = {str(pk) for pk in proposal.options.values_list("pk", flat=True)}
    if process.shape in ("approval", "time", "ranked"):
        if isinstance(choices, str | int):
            choices = [choices]
        if not isinstance(choices, list | tuple):
            raise InvalidInput(_("Choose from the options."), field="choices")
        picked = [str(c) for c in choices if str(c).strip()]
        if any(c not in ids for c in picked):
            raise InvalidInput(_("That is not one of this proposal's options."), field="choices")
        if len(set(picked)) != len(picked):
            raise InvalidInput(_("Choose each option at most once."), field="choices")
        if process.shape == "ranked" and not picked:
            raise InvalidInput(_("Rank at least one option."), field="choices")
        return "", picked, reason
    if not isinstance(choices, dict):
        raise InvalidInput(_("Give a number for each option."), field="choices")
    clean: dict[str, int] = {}
    for key, value in choices.items():
        if str(key) not in ids:
            raise InvalidInput(_("That is not one of this proposal's options."), field="choices")
        try:
            n = int(value or 0)
        except (TypeError, ValueError):
            raise InvalidInput(_("Give a whole number for each option."), field="choices") from None
        top = SCORE_MAX if process.shape == "score" else proposal.dots
        if not 0 <= n <= top:
            raise InvalidInput(_("Each number must be from 0 to %(n)d.") % {"n": top}, field="choices")
        if n:
            clean[str(key)] = n
    if process.shape == "dots" and sum(clean.values()) > proposal.dots:
        raise InvalidInput(
            ngettext("You have %(n)d dot to place.", "You have %(n)d dots to place.", proposal.dots)
            % {"n": proposal.dots},
            field="choices",
        )
    return "", clean, reason


def _open_for_votes(proposal: Proposal, now: datetime) -> None:
    if (
        proposal.state == Proposal.State.VOTING
        and proposal.voting_closes_at
        and now >= proposal.voting_closes_at
    ):
        raise Conflict(_("The vote has closed."))
    if proposal.state in (Proposal.State.CLOSED, Proposal.State.WITHDRAWN):
        raise Conflict(_("The vote has closed."))
    if proposal.state != Proposal.State.VOTING:
        raise Conflict(_("The vote is not open yet."))
    if proposal.voting_mode == Proposal.VotingMode.ROOM:
        raise Conflict(_("This proposal is decided by a vote in the room at a meeting."))


@transaction.atomic
def vote_cast(
    *,
    proposal: Proposal,
    by: Membership | None,
    position: str = "",
    choices: Choices = None,
    reason: str = "",
    receipt: str = "",
    now: datetime | None = None,
) -> Cast:
    """Vote, or change one's vote while the vote is open (a second vote replaces the first)."""
    now = now or timezone.now()
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("assembly__community")
        .get(pk=proposal.pk)
    )
    if (
        by is None
        or by.community_id != proposal.assembly.community_id
        or not bodies.is_voter(proposal.assembly, by)
    ):
        raise PermissionDenied(_("Only members of this assembly can vote on it."))
    _open_for_votes(proposal, now)
    position, clean, reason = clean_ballot(proposal, position=position, choices=choices, reason=reason)
    if proposal.is_secret:
        return _secret(proposal, by, position, clean, receipt)
    vote, created = Vote.objects.update_or_create(
        proposal=proposal, voter=by, defaults={"position": position, "choices": clean, "reason": reason}
    )
    audit_record(
        community=proposal.assembly.community,
        actor=by,
        action="vote.cast" if created else "vote.change",
        target=proposal,
        summary=proposal.title,
    )
    return Cast(vote=vote, replaced=not created, choices=clean)


def _secret(
    proposal: Proposal,
    by: Membership,
    position: str,
    choices: list[str] | dict[str, int],
    receipt: str,
) -> Cast:
    """One participation (the first time) and one sealed ballot: a constant number of queries."""
    already = Participation.objects.filter(proposal=proposal, membership=by).exists()
    if already and not receipt:
        raise Conflict(
            _("You have already voted. To change a secret vote, give the receipt code you were shown.")
        )
    box, key = ballot_box_key(proposal=proposal)  # refuses if the key is lost: before any write
    code = "" if already else _new_receipt()
    digest = receipt_hash(proposal.pk, receipt if already else code)
    found = sealing.lookup(key, digest)
    sealed = sealing.seal(
        key,
        sealing.Opened(position=position, choices=choices, receipt_hash=digest),
        pad=box.pad,
    )
    if already:
        if not SealedBallot.objects.filter(proposal=proposal, lookup=found).update(sealed=sealed):
            raise InvalidInput(_("That receipt code does not match a ballot in this vote."), field="receipt")
    else:
        Participation.objects.create(proposal=proposal, membership=by)
        SealedBallot.objects.create(proposal=proposal, lookup=found, sealed=sealed)
    # The audit log says that someone voted, never what: the entry has no link to the ballot.
    audit_record(
        community=proposal.assembly.community,
        actor=by,
        action="vote.change" if already else "vote.cast",
        target=proposal,
        summary=proposal.title,
    )
    return Cast(receipt=code, replaced=already, choices=choices)


@transaction.atomic
def vote_retract(*, proposal: Proposal, by: Membership | None, now: datetime | None = None) -> None:
    """Take back an open vote while the vote is open (a delegation, if any, applies again)."""
    proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    _open_for_votes(proposal, now or timezone.now())
    if proposal.is_secret:
        raise Conflict(_("A secret ballot cannot be taken back; you can change it with your receipt code."))
    deleted, _rows = Vote.objects.filter(proposal=proposal, voter=by).delete()
    if not deleted:
        raise NotFound(_("You have not voted on this proposal."))
    audit_record(
        community=proposal.assembly.community,
        actor=by,
        action="vote.retract",
        target=proposal,
        summary=proposal.title,
    )
