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
def token_create(*, user: User, name: str, scope: str = AccessToken.Scope.READ) -> tuple[AccessToken, str]:
    """Create a personal access token; returns it and the raw secret, shown only once. ``scope``:
    ``read`` (the default) or ``write``; neither may manage tokens or the account."""
    name = name.strip() if isinstance(name, str) else ""
    if scope not in AccessToken.Scope.values:
        raise InvalidInput(_("A token may read, or read and write: choose one."), field="scope")
    if len(name) > 80:
        raise InvalidInput(_("A token name has at most 80 characters."), field="name")
    if not name:
        raise InvalidInput(_("Give the token a name so you can recognise it later."), field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user, name=name, scope=scope, prefix=raw[:10], token_hash=_token_hash(raw)
    )
    return token, raw


@transaction.atomic
def token_revoke(*, user: User, token_id: int) -> AccessToken:
    token = AccessToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound(_("You have no active token with this id."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def tokens_revoke_all(*, user: User) -> int:
    """Revoke every active token of ``user`` (their password changed or was reset: whoever held a
    token through the old password loses it too). Returns how many were revoked."""
    return AccessToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_authenticate(*, raw: str) -> User | None:
    """The active user a raw token belongs to, or None."""
    token = token_find(raw=raw)
    return token.user if token is not None else None


def token_find(*, raw: str) -> AccessToken | None:
    """The active token ``raw`` is (its ``user`` and ``scope``), or None; notes its use."""
    if not isinstance(raw, str) or not raw.startswith(TOKEN_PREFIX):
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
    return token
