"""Joining a community: applications, trust, and admission (by a coordinator, by trust, or by a
decision of the assembly)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.clean import clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import InvalidInput, PermissionDenied
from dualpower.members.errors import AlreadyMember, ApplicationDecided, ApplicationPending, TrustAlreadyGiven
from dualpower.members.models import Application, Membership, Trust, User
from dualpower.members.roles import forget_memberships
from dualpower.members.services._common import (
    MAX_ANSWER,
    MAX_REASON,
    Actor,
    _acting_membership,
    _coordinator,
)


def _locked_pending(application: Application) -> Application:
    """Re-read the application under a row lock so two decisions cannot both apply."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Application.Status.PENDING:
        raise ApplicationDecided()
    return locked


@transaction.atomic
def application_submit(
    *, user: User, community: Community, display_name: str, answers: Sequence[str]
) -> Application:
    """Ask to join ``community``, answering each of its questions."""
    display_name = clean_text(
        display_name, field="display_name", limit=80, required=True, label=_("Display name")
    )
    questions = list(community.application_questions or [])
    if not isinstance(answers, list | tuple):
        raise InvalidInput(_("Answers must be a list, one per question."), field="answers")
    if len(answers) != len(questions):
        raise InvalidInput(
            _("This community asks %(n)d question(s); give one answer to each.") % {"n": len(questions)},
            field="answers",
        )
    clean = [
        clean_text(a, field="answers", limit=MAX_ANSWER, required=True, label=_("Each answer"))
        for a in answers
    ]
    if Membership.objects.filter(user=user, community=community, status=Membership.Status.ACTIVE).exists():
        raise AlreadyMember()
    if Application.objects.filter(user=user, community=community, status=Application.Status.PENDING).exists():
        raise ApplicationPending()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                community=community, user=user, display_name=display_name, answers=clean
            )
    except IntegrityError:  # a second submit racing the first
        raise ApplicationPending() from None
    audit_record(
        community=community, actor=None, action="application.submit", target=application, summary=display_name
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by: User) -> Application:
    if application.user_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Only the applicant can withdraw an application."))
    application = _locked_pending(application)
    _close(application, status=Application.Status.WITHDRAWN, decided_by=None, action="application.withdraw")
    return application


def _close(
    application: Application,
    *,
    status: str,
    decided_by: Membership | None,
    action: str,
    target: Membership | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    decision_ref: str = "",
) -> None:
    """End a locked, pending application (admitted, declined or withdrawn) and record who ended it."""
    application.status = status
    application.decided_by = decided_by
    application.decided_at = timezone.now()
    application.decision_reason = reason
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        community=application.community,
        actor=decided_by,
        action=action,
        target=target if target is not None else application,
        summary=application.display_name,
        data=data,
        decision_ref=decision_ref,
    )


def _admit(
    application: Application, *, decided_by: Membership | None, how: str, decision_ref: str = ""
) -> Membership:
    """Create the membership for a locked, pending application. Call inside a transaction."""
    if Membership.objects.filter(
        user_id=application.user_id, community_id=application.community_id, status=Membership.Status.ACTIVE
    ).exists():
        raise AlreadyMember(_("This person is already a member."))
    membership = Membership.objects.create(
        user_id=application.user_id,
        community_id=application.community_id,
        display_name=application.display_name,
        role=Membership.Role.MEMBER,
    )
    _close(
        application,
        status=Application.Status.ADMITTED,
        decided_by=decided_by,
        action="application.admit",
        target=membership,
        data={"application": application.pk, "by": how},
        decision_ref=decision_ref,
    )
    forget_memberships(application.user)
    return membership


@transaction.atomic
def application_admit_by_decision(*, application: Application, decision_ref: str) -> Membership:
    """The assembly admits the applicant by a decision (``decision_ref`` is "proposal:<id>")."""
    decision_ref = clean_text(
        decision_ref,
        field="decision_ref",
        label=_("The reference to the decision"),
        limit=120,
        required=True,
    )
    application = _locked_pending(application)
    return _admit(application, decided_by=None, how="decision", decision_ref=decision_ref)


@transaction.atomic
def application_admit(*, application: Application, by: Actor | None) -> Membership:
    """A coordinator admits the applicant: they become a member."""
    coordinator = _coordinator(by, application.community)
    application = _locked_pending(application)
    return _admit(application, decided_by=coordinator, how="coordinator")


@transaction.atomic
def application_decline(*, application: Application, by: Actor, reason: str) -> Application:
    coordinator = _coordinator(by, application.community)
    reason = clean_text(reason, field="reason", limit=MAX_REASON, required=True, label=_("The reason"))
    application = _locked_pending(application)
    _close(
        application,
        status=Application.Status.DECLINED,
        decided_by=coordinator,
        action="application.decline",
        reason=reason,
    )
    return application


@transaction.atomic
def trust_give(*, application: Application, by: Actor | None) -> Trust:
    """A member vouches for an applicant; at the community's threshold the applicant is admitted.

    Karrot's trust model. The application row is locked first, so when two members give the
    last trust at the same moment one waits for the other and the applicant is admitted once.
    """
    community = application.community
    if community.admission != Community.Admission.TRUST:
        raise PermissionDenied(_("In this community coordinators review applications."))
    giver = _acting_membership(by, community)
    if giver is None or giver.role not in {Membership.Role.MEMBER, Membership.Role.COORDINATOR}:
        raise PermissionDenied(_("Only members can give trust."))
    application = _locked_pending(application)
    if Trust.objects.filter(application=application, given_by=giver).exists():
        raise TrustAlreadyGiven()
    trust = Trust.objects.create(application=application, given_by=giver)
    audit_record(
        community=community,
        actor=giver,
        action="trust.give",
        target=application,
        summary=application.display_name,
    )
    if Trust.objects.filter(application=application).count() >= community.trust_threshold:
        _admit(application, decided_by=giver, how="trust")
    return trust
