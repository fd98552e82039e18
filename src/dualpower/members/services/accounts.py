"""Accounts: created by the node's operator (or the demo), and deleted by their owner."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.community.services import audit_record
from dualpower.errors import InvalidInput
from dualpower.members.models import Application, Membership, User
from dualpower.members.services._common import FORMER_MEMBER


@transaction.atomic
def account_confirmed_create(*, email: str, password: str | None) -> User:
    """An account whose email address counts as confirmed: the node's operator typed it (or the
    demo made it up). Without a password (None) the account cannot log in with one."""
    user = User.objects.create_user(email=email, password=password)
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


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
