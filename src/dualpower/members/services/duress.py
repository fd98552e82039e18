"""What a sign-in under duress needs of accounts: ending every session of the real account, and
the empty account the person is signed in to instead (the defence app decides when:
defence/services/exposure.py, through ``members.hooks.register_sign_in_alternative``)."""

from __future__ import annotations

import secrets

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import F

from dualpower.members.models import User
from dualpower.members.services.tokens import tokens_revoke_all


@transaction.atomic
def sessions_end(*, user: User) -> None:
    """End every session of ``user`` at once (every device signed in stops being signed in at its
    next request), and revoke their access tokens: whoever holds one of their devices loses it."""
    User.objects.filter(pk=user.pk).update(sessions_generation=F("sessions_generation") + 1)
    user.refresh_from_db(fields=["sessions_generation"])
    tokens_revoke_all(user=user)


@transaction.atomic
def decoy_account_create(*, user: User) -> User:
    """An account that looks like an ordinary one and holds nothing: no membership, application,
    token or notification. Its address is the person's own with a "+tag" (as many mail services
    accept), verified, so signing in to it asks nothing more; it has no password of its own."""
    local, _at, domain = user.email.partition("@")
    while True:
        email = f"{local.split('+')[0]}+{secrets.token_hex(3)}@{domain}"
        if not User.objects.filter(email__iexact=email).exists():
            break
    decoy = User.objects.create_user(email=email, password=None, preferred_language=user.preferred_language)
    EmailAddress.objects.create(user=decoy, email=email, verified=True, primary=True)
    return decoy


@transaction.atomic
def decoy_account_delete(*, user_id: int) -> None:
    """Delete the empty account ``user_id`` (its duress password was removed, or the real account
    deleted). An account that belongs to any community is never deleted here."""
    User.objects.filter(pk=user_id, memberships__isnull=True).delete()
