"""Votes against a mandate: recognising one, and recording each once with the sending assembly
told (a clock job).
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from dualpower.assemblies import bodies
from dualpower.assemblies.models import Proposal
from dualpower.community.services import audit_record
from dualpower.mandates.models import DelegateSeat, Mandate, MandateBreach
from dualpower.mandates.selectors import breaches, open_votes, position_of
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text


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
        cast = open_votes(proposal)
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
                    "vote": position_of(vote),
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
        title=notice_text(
            gettext_lazy("A delegate of %(sending)s voted against its mandate"), sending=mandate.sending.name
        ),
        url=f"/c/{mandate.community.slug}/delegates/proposals/{proposal.pk}/",
    )
    return 1
