"""Private helpers the assemblies' service modules share: limits, text checks, locks, notices."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies import bodies, names, notify
from dualpower.assemblies.models import Assembly, Proposal
from dualpower.errors import PermissionDenied
from dualpower.members.models import Membership
from dualpower.notifications.text import text as notice_text

TITLE_MAX = 200
BODY_MAX = 20000
COMMENT_MAX = 5000
MAX_OPTIONS = 50
MAX_ACTIONS = 20
S = Proposal.State


def _require_voter(assembly: Assembly, by: Membership | None) -> Membership:
    if by is None or by.community_id != assembly.community_id or not bodies.is_voter(assembly, by):
        raise PermissionDenied(_("Only members of this assembly can do this."))
    return by


def _is_author_or_coordinator(proposal: Proposal, by: Membership | None) -> bool:
    if by is None or by.community_id != proposal.assembly.community_id or not by.is_active:
        return False
    return proposal.author_id == by.pk or by.role == Membership.Role.COORDINATOR


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("assembly__policy", "assembly__community")
        .get(pk=proposal.pk)
    )


def _notify_vote_open(proposal: Proposal) -> None:
    if proposal.voting_mode == Proposal.VotingMode.ONLINE:
        # A fan-out after the commit: an assembly of 50,000 is told without 50,000 rows written here.
        notify.tell_voters(
            assembly=proposal.assembly,
            kind="assemblies.vote_open",
            title=notice_text(
                gettext_lazy("A vote is open in %(a)s"), a=names.assembly_name_value(proposal.assembly.name)
            ),
            body=notice_text(gettext_lazy("Your vote is welcome until %(d)s."), d=proposal.voting_closes_at),
            url=proposal.get_absolute_url(),
        )
