"""Discussion of a proposal: comments by the assembly's voters and observers."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.assemblies.models import Comment, Proposal
from dualpower.assemblies.selectors import may_speak
from dualpower.assemblies.services._common import COMMENT_MAX, S, _locked
from dualpower.clean import clean_text
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, PermissionDenied
from dualpower.members.models import Membership


@transaction.atomic
def comment_add(*, proposal: Proposal, by: Membership | None, body: str) -> Comment:
    proposal = _locked(proposal)
    if not may_speak(proposal.assembly, by):
        raise PermissionDenied(_("Only members and observers of this assembly can comment."))
    assert by is not None
    if proposal.state not in (S.DISCUSSION, S.VOTING):
        raise Conflict(_("Comments are open during discussion and voting."))
    text = clean_text(body, field="body", label=_("A comment"), limit=COMMENT_MAX, required=True)
    comment = Comment.objects.create(proposal=proposal, author=by, body=text)
    audit_record(
        community=proposal.community,
        actor=by,
        action="proposal.comment",
        target=proposal,
        summary=proposal.title,
    )
    return comment
