"""The outcome statement: after the vote, its facilitator says in people's words what was decided.

Loomio's "outcome". Each save is a new version (``OutcomeStatement`` rows are append-only); the
newest is the statement shown, the older ones its history, each with who wrote it and when.

Who: whoever may steer the proposal (its author, or a coordinator who votes in the assembly),
the same people as ``assemblies.write_outcome`` in rules.py. When: once the proposal is decided.

Telling people, without noise: the first statement tells the members who voted (in the app only,
no e-mail); later edits tell nobody, the history on the page shows them.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies import bodies, notify
from dualpower.assemblies.models import Outcome, OutcomeStatement, Participation, Proposal, Vote
from dualpower.assemblies.services._common import _locked
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members import selectors as member_selectors
from dualpower.members.models import Membership
from dualpower.notifications.text import text as notice_text

STATEMENT_MAX = 5000


def may_write_statement(proposal: Proposal, by: Membership | None) -> bool:
    """The proposal's author, or a coordinator who votes in its assembly."""
    if by is None or not by.is_active or by.community_id != proposal.assembly.community_id:
        return False
    if proposal.author_id == by.pk:
        return True
    return by.role == Membership.Role.COORDINATOR and bodies.is_voter(proposal.assembly, by)


def _voters(proposal: Proposal) -> set[int]:
    """Membership ids of those who voted (a secret ballot still records who took part)."""
    if proposal.is_secret:
        return set(Participation.objects.filter(proposal=proposal).values_list("membership_id", flat=True))
    return set(Vote.objects.filter(proposal=proposal).values_list("voter_id", flat=True))


@transaction.atomic
def outcome_statement_write(
    *, proposal: Proposal, by: Membership | None, text: str, now: datetime | None = None
) -> OutcomeStatement:
    """Write a new version of the outcome statement of a decided proposal."""
    proposal = _locked(proposal)
    if not may_write_statement(proposal, by):
        raise PermissionDenied(
            _("Only the proposal's author or a coordinator of this assembly can write its outcome.")
        )
    assert by is not None  # may_write_statement refuses nobody
    outcome = Outcome.objects.filter(proposal=proposal).first()
    if proposal.state != Proposal.State.CLOSED or outcome is None:
        raise Conflict(_("The outcome can be written once the vote has closed."))
    text = str(text or "").strip()
    if not text:
        raise InvalidInput(_("Write what was decided."), field="text")
    if len(text) > STATEMENT_MAX:
        raise InvalidInput(
            _("An outcome statement has at most %(n)d characters.") % {"n": STATEMENT_MAX}, field="text"
        )
    current = OutcomeStatement.objects.filter(outcome=outcome).first()
    if current is not None and current.text == text:
        raise Conflict(_("This is already the outcome statement: nothing was changed."), field="text")
    version = OutcomeStatement.objects.create(
        outcome=outcome, text=text, author=by, created_at=now or timezone.now()
    )
    community = proposal.assembly.community
    audit_record(
        community=community,
        actor=by,
        action="outcome.statement" if current is None else "outcome.statement_edit",
        target=proposal,
        summary=proposal.title,
    )
    if current is None:
        recipients = _voters(proposal) - {by.pk}
        if recipients:
            notify.send(
                recipients=list(member_selectors.memberships_with_ids(ids=sorted(recipients))),
                community=community,
                kind="assemblies.outcome_statement",
                title=notice_text(gettext_lazy("The outcome of “%(t)s” is written up"), t=proposal.title),
                body=gettext_lazy("Read what was decided."),
                url=proposal.get_absolute_url(),
                email=False,
            )
    return version
