"""Volunteering for a panel while sign-up is open, with one answer per feature, and withdrawing."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dualpower.community.services import audit_record
from dualpower.errors import Conflict, PermissionDenied
from dualpower.members.models import Membership
from dualpower.panels.models import Panel, Volunteer
from dualpower.panels.services._common import _locked, _must_be_open
from dualpower.panels.services.quotas import (
    _clean_answers,
)


@transaction.atomic
def volunteer_signup(*, panel: Panel, membership: Membership, answers: Mapping[str, str]) -> Volunteer:
    """Offer to serve on the panel, with one's own answers to its questions."""
    panel = _locked(panel)
    _must_be_open(panel)
    if membership.community_id != panel.community_id or membership.role == Membership.Role.OBSERVER:
        raise PermissionDenied(_("Only members of this community can volunteer for its panels."))
    cleaned = _clean_answers(panel, answers)
    if Volunteer.objects.filter(panel=panel, membership=membership).exists():
        raise Conflict(_("You have already volunteered for this panel."))
    for _attempt in range(10):
        public_id = "V" + secrets.token_hex(3).upper()
        if not Volunteer.objects.filter(panel=panel, public_id=public_id).exists():
            break
    try:
        with transaction.atomic():
            volunteer = Volunteer.objects.create(
                panel=panel, membership=membership, public_id=public_id, answers=cleaned
            )
    except IntegrityError:
        raise Conflict(_("You have already volunteered for this panel.")) from None
    # The answers stay out of the audit log: only coordinators see them, on the panel's pages.
    audit_record(community=panel.community, actor=membership, action="panel.volunteer", target=panel)
    return volunteer


@transaction.atomic
def volunteer_withdraw(*, panel: Panel, membership: Membership) -> None:
    panel = _locked(panel)
    _must_be_open(panel)
    deleted, _n = Volunteer.objects.filter(panel=panel, membership=membership).delete()
    if not deleted:
        raise Conflict(_("You have not volunteered for this panel."))
    audit_record(community=panel.community, actor=membership, action="panel.withdraw", target=panel)
