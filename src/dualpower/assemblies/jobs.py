"""Clock jobs: open and close voting windows on time, and remind members before a vote closes.

Registered with ``dualpower.clock`` by ``registrations.py``; they run every minute under
``dualpower worker`` and once per ``dualpower tick``. Each is idempotent: running it twice in a
minute does nothing new.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy

from dualpower import keys
from dualpower.assemblies import names, notify
from dualpower.assemblies.models import Proposal, Reminder
from dualpower.assemblies.services.outcomes import proposal_close
from dualpower.assemblies.services.proposals import proposal_open_voting
from dualpower.errors import Conflict
from dualpower.notifications.text import text as notice_text

log = logging.getLogger(__name__)
REMIND_BEFORE = timedelta(days=2)


def windows(now: datetime) -> str:
    """Close votes whose time is up (amendment votes first), then open votes whose discussion ended."""
    closed = opened = 0
    due = Proposal.objects.filter(state=Proposal.State.VOTING, voting_closes_at__lte=now)
    for proposal in due.order_by(F("amends").desc(nulls_last=True), "voting_closes_at", "id"):
        try:
            proposal_close(proposal=proposal, now=now)
            closed += 1
        except Conflict:  # closed meanwhile by another tick
            continue
        except keys.BallotKeyMissing:  # a secret vote whose key is lost: the others still close
            log.error("vote %s cannot close: the key of its sealed ballots is missing", proposal.pk)
            continue
    ready = Proposal.objects.filter(state=Proposal.State.DISCUSSION, voting_opens_at__lte=now)
    for proposal in ready.order_by("voting_opens_at", "id"):
        try:
            proposal_open_voting(proposal=proposal, by=None, now=now)
            opened += 1
        except Conflict:
            continue
    reminded = _remind(now)
    return f"opened {opened}, closed {closed}, reminded {reminded}"


def _remind(now: datetime) -> int:
    sent = 0
    soon = Proposal.objects.filter(
        state=Proposal.State.VOTING,
        voting_mode=Proposal.VotingMode.ONLINE,
        voting_closes_at__gt=now,
        voting_closes_at__lte=now + REMIND_BEFORE,
    ).exclude(reminders__kind="closing_soon")
    for proposal in soon.select_related("assembly__community"):
        try:
            with transaction.atomic():
                Reminder.objects.create(proposal=proposal, kind="closing_soon")
                # A fan-out after the commit: 50,000 reminders are not written inside this job.
                notify.tell_waiting_voters(
                    proposal=proposal,
                    kind="assemblies.vote_closing",
                    title=notice_text(
                        gettext_lazy("A vote in %(a)s closes in two days"),
                        a=names.assembly_name_value(proposal.assembly.name),
                    ),
                    body=gettext_lazy("You have not voted yet."),
                    url=proposal.get_absolute_url(),
                )
                sent += 1
        except IntegrityError:  # another tick sent it
            continue
    return sent
