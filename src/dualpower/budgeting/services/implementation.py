"""Implementation of funded projects: status, money spent, the responsible group, progress updates,
and the assembly's adoption of a counted result."""

from __future__ import annotations

from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.budgeting.models import Cycle, Phase, ProgressUpdate, Proposal
from dualpower.budgeting.selectors import funded_codes
from dualpower.budgeting.services._common import PHOTO_MAX_BYTES, require_phase
from dualpower.clean import MAX_AMOUNT, clean_choice, clean_int, clean_text
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.groups.models import WorkingGroup
from dualpower.members.models import Membership
from dualpower.uploads import PHOTO, upload_accept


def _funded(proposal: Proposal) -> None:
    if proposal.code not in funded_codes(cycle=proposal.cycle):
        raise Conflict(_("Only funded projects are tracked through implementation."))


@transaction.atomic
def project_status_set(
    *, proposal: Proposal, by: Membership | None, status: str, reason: str = ""
) -> Proposal:
    require_phase(proposal.cycle, Phase.IMPLEMENTATION)
    _funded(proposal)
    status = clean_choice(status, Proposal.Status, field="status")
    reason = clean_text(
        reason,
        field="reason",
        label=_("The reason"),
        limit=5000,
        required=status == Proposal.Status.ABANDONED,
    )
    proposal.status = status
    proposal.abandoned_reason = reason if status == Proposal.Status.ABANDONED else ""
    proposal.save(update_fields=["status", "abandoned_reason"])
    audit_record(
        community=proposal.cycle.community,
        actor=by,
        action="budget.project_status",
        target=proposal,
        summary=f"{proposal.title}: {status}",
        data={"status": status, "reason": reason},
    )
    return proposal


@transaction.atomic
def project_spending_set(*, proposal: Proposal, by: Membership | None, spent: int) -> Proposal:
    require_phase(proposal.cycle, Phase.IMPLEMENTATION)
    _funded(proposal)
    before = proposal.spent
    proposal.spent = clean_int(
        spent,
        field="spent",
        label=_("The money spent"),
        low=0,
        high=MAX_AMOUNT,
    )
    proposal.save(update_fields=["spent"])
    audit_record(
        community=proposal.cycle.community,
        actor=by,
        action="budget.project_spent",
        target=proposal,
        summary=proposal.title,
        data={"before": before, "after": proposal.spent},
    )
    return proposal


@transaction.atomic
def project_group_set(*, proposal: Proposal, by: Membership | None, group: WorkingGroup | None) -> Proposal:
    _funded(proposal)
    if group is not None and group.community_id != proposal.cycle.community_id:
        raise InvalidInput(_("Choose one of this community's working groups."), field="group")
    proposal.responsible_group = group
    proposal.save(update_fields=["responsible_group"])
    audit_record(
        community=proposal.cycle.community,
        actor=by,
        action="budget.project_group",
        target=proposal,
        summary=proposal.title,
        data={"group": group.pk if group else None},
    )
    return proposal


def _photo_name(photo: UploadedFile | None) -> str | None:
    """The server's name for the photo (its type judged by its bytes), or None without one."""
    if photo is None:
        return None
    return upload_accept(
        photo,
        kinds=PHOTO,
        max_bytes=PHOTO_MAX_BYTES,
        field="photo",
        too_large=_("A photo can be at most 5 MB."),
        wrong_type=_("A photo must be a JPEG, PNG or WebP image."),
    )


@transaction.atomic
def progress_update_add(
    *, proposal: Proposal, by: Membership | None, text: str, photo: UploadedFile | None = None
) -> ProgressUpdate:
    require_phase(proposal.cycle, Phase.IMPLEMENTATION)
    _funded(proposal)
    text = clean_text(
        text,
        field="text",
        label=_("The update"),
        limit=5000,
        required=True,
    )
    name = _photo_name(photo)
    update = ProgressUpdate(proposal=proposal, text=text, author=by)
    if photo is not None and name is not None:
        update.photo.save(name, photo, save=False)
    update.save()
    audit_record(
        community=proposal.cycle.community,
        actor=by,
        action="budget.progress_update",
        target=proposal,
        summary=proposal.title,
    )
    return update


@transaction.atomic
def result_adopt(*, cycle: Cycle, decision_ref: str, when: datetime | None = None) -> Cycle:
    """The assembly adopted the result: record it, and move the cycle to implementation."""
    locked = Cycle.objects.select_for_update(of=("self",)).select_related("community").get(pk=cycle.pk)
    if not locked.is_counted:
        raise Conflict(_("This cycle has not been counted yet; there is no result to adopt."))
    if locked.adopted_at is not None:
        raise Conflict(_("This result has already been adopted."))
    locked.adopted_at = when or timezone.now()
    locked.adopted_ref = decision_ref
    locked.phase = Phase.IMPLEMENTATION
    locked.save(update_fields=["adopted_at", "adopted_ref", "phase"])
    audit_record(
        community=locked.community,
        actor=None,
        action="budget.adopt",
        target=locked,
        summary=locked.title,
        decision_ref=decision_ref,
    )
    return locked
