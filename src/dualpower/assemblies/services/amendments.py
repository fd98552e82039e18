"""Amendments: proposed during discussion, accepted or declined by the author, or put to a vote."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.assemblies import names
from dualpower.assemblies.models import Amendment, Proposal
from dualpower.assemblies.services._common import (
    BODY_MAX,
    S,
    _locked,
    _notify_vote_open,
    _require_voter,
)
from dualpower.clean import clean_text
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.models import Membership


@transaction.atomic
def amendment_propose(*, proposal: Proposal, by: Membership | None, body: str, reason: str = "") -> Amendment:
    proposal = _locked(proposal)
    author = _require_voter(proposal.assembly, by)
    if proposal.state != S.DISCUSSION:
        raise Conflict(_("Amendments are made during discussion."))
    text = clean_text(body, field="body", label=_("The amended text"), limit=BODY_MAX, required=True)
    if text == proposal.body.strip():
        raise InvalidInput(_("The amended text is the same as the proposal."), field="body")
    amendment = Amendment.objects.create(
        proposal=proposal,
        author=author,
        body=text,
        reason=clean_text(reason, field="reason", label=_("The reason"), limit=1000),
    )
    audit_record(
        community=proposal.community,
        actor=by,
        action="amendment.propose",
        target=proposal,
        summary=proposal.title,
    )
    return amendment


def _locked_amendment(amendment: Amendment) -> Amendment:
    found = Amendment.objects.select_for_update(of=("self",)).select_related("proposal").get(pk=amendment.pk)
    found.proposal = _locked(found.proposal)
    if found.state != Amendment.State.OPEN:
        raise Conflict(_("This amendment has already been answered."))
    if found.proposal.state != S.DISCUSSION:
        raise Conflict(_("Amendments are answered during discussion."))
    return found


@transaction.atomic
def amendment_accept(*, amendment: Amendment, by: Membership | None) -> Amendment:
    """The author takes the amended text into the proposal."""
    amendment = _locked_amendment(amendment)
    proposal = amendment.proposal
    if by is None or proposal.author_id != by.pk:
        raise PermissionDenied(_("Only the proposal's author accepts amendments."))
    proposal.body = amendment.body
    proposal.save(update_fields=["body", "updated_at"])
    amendment.state = Amendment.State.ACCEPTED
    amendment.save(update_fields=["state"])
    audit_record(
        community=proposal.community,
        actor=by,
        action="amendment.accept",
        target=proposal,
        summary=proposal.title,
    )
    return amendment


@transaction.atomic
def amendment_decline(*, amendment: Amendment, by: Membership | None, to_vote: bool = False) -> Amendment:
    """The author declines an amendment; with ``to_vote`` it goes to the assembly as a small proposal.

    The amendment's vote closes when the discussion of the proposal ends; if it passes, the
    amended text replaces the proposal's before the proposal itself is voted on.
    """
    amendment = _locked_amendment(amendment)
    proposal = amendment.proposal
    if by is None or proposal.author_id != by.pk:
        raise PermissionDenied(_("Only the proposal's author answers amendments."))
    amendment.state = Amendment.State.TO_VOTE if to_vote else Amendment.State.DECLINED
    if to_vote:
        now = timezone.now()
        closes = proposal.discussion_closes_at
        if closes is None or closes <= now + timedelta(hours=1):
            closes = now + timedelta(days=max(1, proposal.assembly.policy.voting_days))
        vote = Proposal.objects.create(
            assembly=proposal.assembly,
            author=amendment.author,
            title=names.amendment_title(proposal.title),
            body=amendment.body,
            process="majority",
            state=S.VOTING,
            is_secret=proposal.assembly.policy.secret_ballots,
            amends=proposal,
            topic=proposal.topic,
            voting_opens_at=now,
            voting_closes_at=closes,
        )
        amendment.vote = vote
        _notify_vote_open(vote)
    amendment.save(update_fields=["state", "vote"])
    audit_record(
        community=proposal.community,
        actor=by,
        action="amendment.to_vote" if to_vote else "amendment.decline",
        target=proposal,
        summary=proposal.title,
    )
    return amendment
