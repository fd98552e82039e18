"""Domain errors about people, with their own stable codes (see dualpower/errors.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.errors import Conflict, PermissionDenied


class MfaRequired(PermissionDenied):
    code = "mfa_required"
    default_detail = _(
        "This node asks coordinators to use two-factor authentication. Set it up from your account first."
    )


class LastCoordinator(Conflict):
    code = "last_coordinator"
    default_detail = _("A community needs at least one coordinator: name another one first.")


class AlreadyMember(Conflict):
    code = "already_member"
    default_detail = _("You are already a member of this community.")


class ApplicationPending(Conflict):
    code = "application_pending"
    default_detail = _("You have already applied; your application is waiting for a decision.")


class ApplicationDecided(Conflict):
    code = "application_decided"
    default_detail = _("This application has already been decided or withdrawn.")


class TrustAlreadyGiven(Conflict):
    code = "trust_already_given"
    default_detail = _("You have already given your trust to this applicant.")
