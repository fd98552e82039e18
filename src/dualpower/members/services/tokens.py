"""Personal access tokens for scripts: created and revoked by their owner, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.errors import InvalidInput, NotFound
from dualpower.members.models import AccessToken, User

TOKEN_PREFIX = "dp_"  # noqa: S105 - a marker that makes leaked tokens recognisable, not a secret


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[AccessToken, str]:
    """Create a personal access token; returns it and the raw secret, shown only once."""
    name = name.strip() if isinstance(name, str) else ""
    if len(name) > 80:
        raise InvalidInput(_("A token name has at most 80 characters."), field="name")
    if not name:
        raise InvalidInput(_("Give the token a name so you can recognise it later."), field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(user=user, name=name, prefix=raw[:10], token_hash=_token_hash(raw))
    return token, raw


@transaction.atomic
def token_revoke(*, user: User, token_id: int) -> AccessToken:
    token = AccessToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound(_("You have no active token with this id."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(*, raw: str) -> User | None:
    """The active user a raw token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        AccessToken.objects.select_related("user")
        .filter(token_hash=_token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    # Touch last use at most once a minute: a script making many calls should not write on each.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
