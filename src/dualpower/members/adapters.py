"""allauth hooks: where signing up and logging in meet the community's rules, and where two-factor
secrets are sealed with a key kept outside the database."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import InvalidToken
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dualpower import keys

# A Fernet token is URL-safe base64 of a version byte 0x80 first: it always starts so. TOTP secrets
# (base32, upper case) and recovery seeds and codes (digits, lower-case hex) never do.
_FERNET_PREFIX = "gAAAAA"
# The values allauth's MFA passes through encrypt(): TOTP "secret", recovery codes "seed" and
# "migrated_codes" (a list).
_SEALED_KEYS = ("secret", "seed", "migrated_codes")


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """Remember the language the person signed up in, so emails and pages can speak it."""
        user = super().save_user(request, user, form, commit=False)
        language = (get_language() or "").split("-")[0]
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        if commit:
            user.save()
        return user


def is_sealed(text: str) -> bool:
    return text.startswith(_FERNET_PREFIX)


def _authenticator_model() -> Any:
    from allauth.mfa.models import Authenticator

    return Authenticator


def mfa_nothing_sealed_yet(model: Any = None) -> bool:
    for data in (model or _authenticator_model()).objects.values_list("data", flat=True):
        for name in _SEALED_KEYS:
            value = data.get(name) if isinstance(data, dict) else None
            values = value if isinstance(value, list) else [value]
            if any(isinstance(v, str) and is_sealed(v) for v in values):
                return False
    return True


def mfa_seal(text: str, *, model: Any = None) -> str:
    fernet = keys.fernet(keys.MFA, may_create=lambda: mfa_nothing_sealed_yet(model))
    return fernet.encrypt(text.encode()).decode()


def mfa_unseal(text: str) -> str:
    """The secret; a value stored before secrets were sealed is returned as it is."""
    if not is_sealed(text):
        return text
    try:
        return keys.fernet(keys.MFA).decrypt(text.encode()).decode()
    except InvalidToken:
        raise keys.KeyMissing(
            _(
                "The two-factor key on this server does not open this account's two-factor secret: "
                "restore mfa.key (or DP_MFA_KEY) from its backup; see docs/operating.md."
            )
        ) from None


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are sealed with the MFA key (``dualpower.keys.MFA``)."""

    def encrypt(self, text: str) -> str:
        return mfa_seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_unseal(encrypted_text)


def mfa_seal_plain_secrets(model: Any = None) -> int:
    """Seal the two-factor secrets stored in clear before sealing began; return how many
    authenticators changed. Safe to run again (sealed values are left as they are). ``model``: the
    Authenticator model (a migration passes its historical one)."""
    model = model or _authenticator_model()
    changed = 0
    with transaction.atomic():
        for authenticator in model.objects.select_for_update().order_by("pk"):
            data = dict(authenticator.data or {})
            touched = False
            for name in _SEALED_KEYS:
                value = data.get(name)
                if isinstance(value, str) and not is_sealed(value):
                    data[name], touched = mfa_seal(value, model=model), True
                elif isinstance(value, list) and any(isinstance(v, str) and not is_sealed(v) for v in value):
                    data[name] = [
                        mfa_seal(v, model=model) if isinstance(v, str) and not is_sealed(v) else v
                        for v in value
                    ]
                    touched = True
            if touched:
                authenticator.data = data
                authenticator.save(update_fields=["data"])
                changed += 1
    return changed
