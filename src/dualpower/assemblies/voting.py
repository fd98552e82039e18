"""Casting votes (open and secret) and liquid delegation.

Open votes are one row per voter, replaced when the voter changes their mind. Secret ballots are
two tables that share nothing but the proposal: ``Participation`` (who voted) and ``Ballot`` (what
was voted, random key, no time, no voter). The voter receives a receipt code, shown once; the
ballot keeps only its SHA-256. With the code the voter can find their ballot in the published
list and replace it while the vote is open; without it nobody, not even an operator, can tell
which ballot is theirs. A lost code means the secret vote can no longer be changed: that is the
price of secrecy, and the page says so.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dualpower.assemblies import bodies, processes
from dualpower.assemblies.models import Assembly, Ballot, Delegation, Participation, Proposal, Vote
from dualpower.assemblies.processes import REASON_REQUIRED, SCORE_MAX
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dualpower.members.models import Membership

REASON_MAX = 2000
# Each new secret ballot is written together with this many earlier ones, re-inserted in a random
# order under fresh random keys, so the order rows sit in the database file says little about
# who voted when. The whole box is shuffled again when the vote closes.
MIX = 8
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on a phone


@dataclass(frozen=True)
class Cast:
    """What casting a vote returns: the open vote, or the receipt code of a secret ballot."""

    vote: Vote | None = None
    receipt: str = ""
    replaced: bool = False


def receipt_hash(proposal_id: int, code: str) -> str:
    code = "".join(ch for ch in str(code).upper() if ch.isalnum())
    return hashlib.sha256(f"dualpower-ballot:{proposal_id}:{code}".encode()).hexdigest()


def _new_receipt() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))  # 80 bits
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def clean_ballot(proposal: Proposal, *, position: Any, choices: Any, reason: Any) -> tuple[str, Any, str]:
    """Check a ballot against the proposal's process; return (position, choices, reason)."""
    process = processes.get(proposal.process)
    reason = str(reason or "").strip()
    if len(reason) > REASON_MAX:
        raise InvalidInput(_("A reason has at most %(n)d characters.") % {"n": REASON_MAX}, field="reason")
    if not process.has_options:
        position = str(position or "").strip().lower()
        if position not in process.positions:
            labels = ", ".join(label for _p, label in process.position_choices())
            raise InvalidInput(_("Choose one of: %(p)s.") % {"p": labels}, field="position")
        if position in REASON_REQUIRED and not reason:
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
        raise InvalidInput(_("You have %(n)d dots to place.") % {"n": proposal.dots}, field="choices")
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
    position: Any = "",
    choices: Any = None,
    reason: Any = "",
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
        return _secret(proposal, by, position, clean, reason, receipt)
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
    return Cast(vote=vote, replaced=not created)


def _secret(
    proposal: Proposal, by: Membership, position: str, choices: Any, reason: str, receipt: str
) -> Cast:
    already = Participation.objects.filter(proposal=proposal, membership=by).exists()
    if already:
        if not receipt:
            raise Conflict(
                _("You have already voted. To change a secret vote, give the receipt code you were shown.")
            )
        ballot = Ballot.objects.filter(
            proposal=proposal, receipt_hash=receipt_hash(proposal.pk, receipt)
        ).first()
        if ballot is None:
            raise InvalidInput(_("That receipt code does not match a ballot in this vote."), field="receipt")
        ballot.delete()
        digest, code = ballot.receipt_hash, ""
    else:
        Participation.objects.create(proposal=proposal, membership=by)
        code = _new_receipt()
        digest = receipt_hash(proposal.pk, code)
    fresh = [
        Ballot(proposal=proposal, position=position, choices=choices, reason=reason, receipt_hash=digest)
    ]
    # Re-insert a few earlier ballots with the new one, in a random order, under new keys.
    others = list(Ballot.objects.filter(proposal=proposal).order_by("?")[:MIX])
    if others:
        Ballot.objects.filter(pk__in=[b.pk for b in others]).delete()
        fresh += [
            Ballot(
                proposal=proposal,
                position=b.position,
                choices=b.choices,
                reason=b.reason,
                receipt_hash=b.receipt_hash,
            )
            for b in others
        ]
    random.SystemRandom().shuffle(fresh)
    Ballot.objects.bulk_create(fresh)
    # The audit log says that someone voted, never what: the entry has no link to the ballot.
    audit_record(
        community=proposal.assembly.community,
        actor=by,
        action="vote.change" if already else "vote.cast",
        target=proposal,
        summary=proposal.title,
    )
    return Cast(receipt=code, replaced=already)


def shuffle_ballots(proposal: Proposal) -> None:
    """Rewrite the whole ballot box in a random order under new keys (when the vote closes)."""
    ballots = list(Ballot.objects.filter(proposal=proposal))
    Ballot.objects.filter(proposal=proposal).delete()
    random.SystemRandom().shuffle(ballots)
    Ballot.objects.bulk_create(
        [
            Ballot(
                proposal=proposal,
                position=b.position,
                choices=b.choices,
                reason=b.reason,
                receipt_hash=b.receipt_hash,
            )
            for b in ballots
        ]
    )


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


# --- liquid delegation ------------------------------------------------------------------------


def _edges_for_scope(assembly: Assembly, topic: str, proposal: Proposal | None) -> dict[int, set[int]]:
    """Every delegation that could carry a vote on some proposal in the given scope."""
    qs = Delegation.objects.filter(assembly=assembly)
    if proposal is not None:
        qs = qs.filter(proposal=proposal) | qs.filter(proposal__isnull=True, topic__in=["", proposal.topic])
    elif topic:
        qs = qs.filter(proposal__isnull=True, topic__in=["", topic]) | qs.filter(proposal__topic=topic)
    edges: dict[int, set[int]] = {}
    for a, b in qs.values_list("delegator_id", "delegate_id"):
        edges.setdefault(a, set()).add(b)
    return edges


@transaction.atomic
def delegation_set(
    *,
    assembly: Assembly,
    by: Membership | None,
    delegate: Membership,
    topic: str = "",
    proposal: Proposal | None = None,
) -> Delegation:
    """Let ``delegate`` vote for ``by`` in this assembly, on one topic, or on one proposal.

    Refused when it would close a circle (A trusts B who trusts A): a vote must always reach
    someone who casts it. Not available with secret ballots: a delegate's open weight would
    show how the people they vote for voted.
    """
    assembly = Assembly.objects.select_for_update(of=("self",)).select_related("policy").get(pk=assembly.pk)
    if by is None or not bodies.is_voter(assembly, by):
        raise PermissionDenied(_("Only members of this assembly can delegate their vote."))
    if not assembly.policy.liquid_delegation:
        raise Conflict(_("This assembly does not use delegation."))
    if assembly.policy.secret_ballots or (proposal is not None and proposal.is_secret):
        raise Conflict(_("Votes cannot be delegated where ballots are secret."))
    if delegate.pk == by.pk:
        raise InvalidInput(_("You cannot delegate your vote to yourself."), field="delegate")
    if not bodies.is_voter(assembly, delegate):
        raise InvalidInput(_("You can delegate only to a member of this assembly."), field="delegate")
    topic = slugify(str(topic or ""))[:60]
    if proposal is not None:
        if proposal.assembly_id != assembly.pk:
            raise InvalidInput(_("That proposal belongs to another assembly."), field="proposal")
        if proposal.state in (Proposal.State.CLOSED, Proposal.State.WITHDRAWN):
            raise Conflict(_("This proposal is already decided."))
        topic = ""
    edges = _edges_for_scope(assembly, topic, proposal)
    # Replacing one's own delegation in this scope: the old edge goes.
    current = Delegation.objects.filter(
        assembly=assembly, delegator=by, topic=topic, proposal=proposal
    ).first()
    if current is not None:
        edges.get(by.pk, set()).discard(current.delegate_id)
    seen, stack = set(), [delegate.pk]
    while stack:
        node = stack.pop()
        if node == by.pk:
            raise Conflict(
                _(
                    "%(name)s already passes their vote, directly or through others, to you: "
                    "that would be a circle."
                )
                % {"name": delegate.display_name}
            )
        if node in seen:
            continue
        seen.add(node)
        stack.extend(edges.get(node, ()))
    if current is not None:
        current.delegate = delegate
        current.save(update_fields=["delegate"])
        delegation = current
    else:
        delegation = Delegation.objects.create(
            assembly=assembly, delegator=by, delegate=delegate, topic=topic, proposal=proposal
        )
    audit_record(
        community=assembly.community,
        actor=by,
        action="delegation.set",
        target=assembly,
        summary=delegate.display_name,
        data={"delegate": delegate.pk, "topic": topic, "proposal": proposal.pk if proposal else None},
    )
    return delegation


@transaction.atomic
def delegation_remove(*, delegation: Delegation, by: Membership | None) -> None:
    if by is None or delegation.delegator_id != by.pk:
        raise PermissionDenied(_("Only the person who delegated can take their delegation back."))
    audit_record(
        community=delegation.assembly.community,
        actor=by,
        action="delegation.remove",
        target=delegation.assembly,
        summary=delegation.delegate.display_name,
    )
    delegation.delete()


def effective_delegations(proposal: Proposal) -> dict[int, int]:
    """delegator → delegate for this proposal: the most specific delegation wins."""
    chosen: dict[int, tuple[int, int]] = {}
    qs = Delegation.objects.filter(assembly_id=proposal.assembly_id).filter(
        proposal__isnull=True, topic__in=["", proposal.topic]
    ) | Delegation.objects.filter(proposal=proposal)
    for delegator, delegate, topic, prop in qs.values_list(
        "delegator_id", "delegate_id", "topic", "proposal_id"
    ):
        rank = 2 if prop else (1 if topic else 0)
        if delegator not in chosen or chosen[delegator][0] < rank:
            chosen[delegator] = (rank, delegate)
    return {a: d for a, (_r, d) in chosen.items()}


def resolve_weights(proposal: Proposal, voters: set[int], direct: set[int]) -> dict[int, int]:
    """Extra votes each direct voter carries for others (transitively; a direct vote overrides)."""
    graph = effective_delegations(proposal)
    extra: dict[int, int] = {}
    for member in voters - direct:
        node, seen = member, {member}
        while node in graph:
            node = graph[node]
            if node in seen:  # cannot be created, but a vote is never counted twice or lost in a loop
                node = None
                break
            seen.add(node)
            if node in direct:
                break
        if node is not None and node in direct and node in voters:
            extra[node] = extra.get(node, 0) + 1
    return extra
