"""Every write about people: applications, trust, admission, roles, profiles, accounts, tokens."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import InvalidInput, NotFound, PermissionDenied
from dualpower.members.errors import (
    AlreadyMember,
    ApplicationDecided,
    ApplicationPending,
    LastCoordinator,
    TrustAlreadyGiven,
)
from dualpower.members.models import Application, Membership, RoleChange, Trust, User
from dualpower.members.roles import forget_memberships

# Tokens live in tokens.py; re-exported here, where every write about people is found.
from dualpower.members.tokens import TOKEN_PREFIX, token_authenticate, token_create, token_revoke  # noqa: F401

MAX_ANSWER = 2000
MAX_REASON = 500
MAX_LIST_ITEMS = 20
MAX_ITEM = 40
FORMER_MEMBER = "former member"
# A neighbourhood is coarse on purpose: someone at risk must not be findable from their profile.
# A house number next to a street word ("12 Calle Mayor", "Elm Street 4") looks like an address.
_STREET = (
    r"(street|st|road|rd|avenue|ave|av|avenida|lane|ln|boulevard|blvd|drive|dr|way|"
    r"calle|carrera|cra|rua|rue|strasse|straße|plaza|paseo|apt|flat|piso)"
)
_ADDRESS = re.compile(
    rf"(\d+\w?\s*,?\s+(\w+\s+){{0,3}}{_STREET}\b)|(\b{_STREET}\.?\s+(\w+\s+){{0,3}}\d+)", re.I
)


# --- helpers -------------------------------------------------------------------------------


def _text(value: Any, *, field: str, max_length: int, required: bool = False, label: str = "") -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("%(field)s must be text.") % {"field": label or field}, field=field)
    value = value.strip()
    if required and not value:
        raise InvalidInput(_("%(field)s cannot be empty.") % {"field": label or field}, field=field)
    if len(value) > max_length:
        raise InvalidInput(
            _("%(field)s has at most %(n)d characters.") % {"field": label or field, "n": max_length},
            field=field,
        )
    return value


def _text_list(value: Any, *, field: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list | tuple):
        raise InvalidInput(_("%(field)s must be a list.") % {"field": field}, field=field)
    items = [_text(v, field=field, max_length=MAX_ITEM) for v in value]
    items = list(dict.fromkeys(i for i in items if i))
    if len(items) > MAX_LIST_ITEMS:
        raise InvalidInput(_("At most %(n)d entries.") % {"n": MAX_LIST_ITEMS}, field=field)
    return items


def _acting_membership(by: Any, community: Community) -> Membership | None:
    """The active membership through which ``by`` (a User or a Membership) acts in ``community``."""
    if isinstance(by, Membership):
        return by if by.community_id == community.pk and by.is_active else None
    if by is None or not getattr(by, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=by, community=community, status=Membership.Status.ACTIVE).first()


def _coordinator(by: Any, community: Community) -> Membership:
    acting = _acting_membership(by, community)
    if acting is None or acting.role != Membership.Role.COORDINATOR:
        raise PermissionDenied(_("Only a coordinator of this community can do this."))
    return acting


def _locked_pending(application: Application) -> Application:
    """Re-read the application under a row lock so two decisions cannot both apply."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Application.Status.PENDING:
        raise ApplicationDecided()
    return locked


# --- joining -------------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *, user: User, community: Community, display_name: str, answers: Sequence[Any]
) -> Application:
    """Ask to join ``community``, answering each of its questions."""
    display_name = _text(
        display_name, field="display_name", max_length=80, required=True, label=_("Display name")
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
        _text(a, field="answers", max_length=MAX_ANSWER, required=True, label=_("Each answer"))
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
    target: Any = None,
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
    decision_ref = _text(
        decision_ref, field="decision_ref", max_length=120, required=True, label="decision_ref"
    )
    application = _locked_pending(application)
    return _admit(application, decided_by=None, how="decision", decision_ref=decision_ref)


@transaction.atomic
def application_admit(*, application: Application, by: Any) -> Membership:
    """A coordinator admits the applicant: they become a member."""
    coordinator = _coordinator(by, application.community)
    application = _locked_pending(application)
    return _admit(application, decided_by=coordinator, how="coordinator")


@transaction.atomic
def application_decline(*, application: Application, by: Any, reason: str) -> Application:
    coordinator = _coordinator(by, application.community)
    reason = _text(reason, field="reason", max_length=MAX_REASON, required=True, label=_("The reason"))
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
def trust_give(*, application: Application, by: Any) -> Trust:
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


# --- profiles and roles --------------------------------------------------------------------

PROFILE_FIELDS = ("display_name", "languages", "neighbourhood", "skills", "contact", "contact_visibility")


@transaction.atomic
def profile_update(*, membership: Membership, **changes: Any) -> Membership:
    """Change what the community sees of a member; only the fields given change."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInput(
            _("Unknown field: %(f)s.") % {"f": ", ".join(sorted(unknown))}, field=sorted(unknown)[0]
        )
    if not membership.is_active:
        raise NotFound(_("This membership has ended."))
    clean: dict[str, Any] = {}
    if "display_name" in changes:
        clean["display_name"] = _text(
            changes["display_name"],
            field="display_name",
            max_length=80,
            required=True,
            label=_("Display name"),
        )
    if "neighbourhood" in changes:
        value = _text(
            changes["neighbourhood"], field="neighbourhood", max_length=80, label=_("Neighbourhood")
        )
        if _ADDRESS.search(value):
            raise InvalidInput(
                _("That looks like a street address. Give only your neighbourhood, never where you live."),
                field="neighbourhood",
            )
        clean["neighbourhood"] = value
    for field in ("languages", "skills"):
        if field in changes:
            clean[field] = _text_list(changes[field], field=field)
    if "contact" in changes:
        clean["contact"] = _text(
            changes["contact"], field="contact", max_length=200, label=_("Contact details")
        )
    if "contact_visibility" in changes:
        if changes["contact_visibility"] not in Membership.Visibility.values:
            raise InvalidInput(
                _("Choose one of: %(v)s.") % {"v": ", ".join(Membership.Visibility.values)},
                field="contact_visibility",
            )
        clean["contact_visibility"] = changes["contact_visibility"]
    for key, value in clean.items():
        setattr(membership, key, value)
    if clean:
        membership.save(update_fields=list(clean))
        # Only the names of the fields: the log is permanent and must not keep contact details.
        audit_record(
            community=membership.community,
            actor=membership,
            action="member.profile_update",
            target=membership,
            summary=", ".join(sorted(clean)),
        )
    return membership


@transaction.atomic
def role_change(
    *, membership: Membership, role: str, by: Any, reason: str, decision_ref: str = ""
) -> RoleChange:
    """Grant or revoke a role, as a recorded decision of a coordinator (or of the assembly: decision_ref)."""
    community = membership.community
    decision_ref = _text(decision_ref, field="decision_ref", max_length=120)
    deciding = _acting_membership(by, community) if by is not None else None
    if (by is not None or not decision_ref) and (
        deciding is None or deciding.role != Membership.Role.COORDINATOR
    ):
        raise PermissionDenied(_("Only a coordinator, or a decision of the assembly, can change a role."))
    reason = _text(reason, field="reason", max_length=MAX_REASON, required=True, label=_("The reason"))
    if role not in Membership.Role.values:
        raise InvalidInput(
            _("Choose one of: %(v)s.") % {"v": ", ".join(Membership.Role.values)}, field="role"
        )
    # Lock the community's coordinators: two coordinators stepping down at once must not leave none.
    coordinators = list(
        Membership.objects.select_for_update()
        .filter(community=community, status=Membership.Status.ACTIVE, role=Membership.Role.COORDINATOR)
        .values_list("pk", flat=True)
    )
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise NotFound(_("This person is no longer a member."))
    if membership.role == role:
        raise InvalidInput(
            _("%(name)s already has this role.") % {"name": membership.display_name}, field="role"
        )
    if membership.role == Membership.Role.COORDINATOR and coordinators == [membership.pk]:
        raise LastCoordinator()
    change = RoleChange.objects.create(
        membership=membership,
        role_before=membership.role,
        role_after=role,
        decided_by=deciding,
        reason=reason,
        decision_ref=decision_ref,
    )
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        community=community,
        actor=deciding,
        action="member.role_change",
        target=membership,
        summary=f"{membership.display_name}: {change.role_before} → {role}",
        data={"reason": reason, "role_before": change.role_before, "role_after": role},
        decision_ref=decision_ref,
    )
    forget_memberships(membership.user)
    if isinstance(by, User):
        forget_memberships(by)
    return change


# --- accounts ------------------------------------------------------------------------------


@transaction.atomic
def account_delete(*, user: User, confirm_email: str) -> None:
    """Delete an account. Memberships stay as "former member" so shared records keep an author.

    Everything personal goes: contact, skills, languages, neighbourhood, applications, tokens,
    email addresses and the login itself. The audit log is not touched; it points at memberships.
    """
    if not isinstance(confirm_email, str) or confirm_email.strip().lower() != user.email.lower():
        raise InvalidInput(_("Type your email address exactly to confirm."), field="confirm_email")
    now = timezone.now()
    for membership in (
        Membership.objects.select_for_update(of=("self",)).filter(user=user).select_related("community")
    ):
        membership.user = None
        membership.status = Membership.Status.FORMER
        membership.display_name = FORMER_MEMBER
        membership.contact = ""
        membership.contact_visibility = Membership.Visibility.NOBODY
        membership.skills = []
        membership.languages = []
        membership.neighbourhood = ""
        membership.left_at = now
        membership.save()
        audit_record(
            community=membership.community,
            actor=membership,
            action="member.leave",
            target=membership,
            summary=FORMER_MEMBER,
        )
    Application.objects.filter(user=user).delete()
    user.delete()
