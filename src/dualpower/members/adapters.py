"""allauth hooks: where signing up and logging in meet the community's rules, and where two-factor
secrets are sealed with a key kept outside the database."""

from __future__ import annotations

import copy
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit as internal_ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import InvalidToken
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dualpower import keys
from dualpower.members import hooks, selectors
from dualpower.members.services.tokens import tokens_revoke_all

# A Fernet token is URL-safe base64 of a version byte 0x80 first: it always starts so. TOTP secrets
# (base32, upper case) and recovery seeds and codes (digits, lower-case hex) never do.
# The per-account ceiling on wrong passwords, from any address (see AccountAdapter.pre_authenticate).
ACCOUNT_CEILING = {"login_failed_account": "30/h/key"}
# The address a session shows as its own, when it differs from its account's (an empty account
# opened by a duress password shows the address the person typed).
SHOWN_EMAIL = "dp_shown_email"
_FERNET_PREFIX = "gAAAAA"
# The values allauth's MFA passes through encrypt(): TOTP "secret", recovery codes "seed" and
# "migrated_codes" (a list).
_SEALED_KEYS = ("secret", "seed", "migrated_codes")


class AccountAdapter(DefaultAccountAdapter):
    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        """The link in the confirmation e-mail carries where the person was going when they signed
        up (the application form that sent them to sign up), so confirming leads back there, also
        when the e-mail is opened in another browser."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        after = _local_next(request)
        return f"{url}?{urlencode({'next': _through_sign_in(after)})}" if after else url

    def get_email_verification_redirect_url(self, email_address: Any) -> str:
        """After confirming, a person whose application waits goes to it (its status, or the form
        they were filling in); anyone else where allauth sends them."""
        application = selectors.pending_application(user=email_address.user)
        if application is not None:
            return _through_sign_in(reverse("members:apply", args=[application.community.slug]))
        return super().get_email_verification_redirect_url(email_address)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """Remember the language the person signed up in, so emails and pages can speak it."""
        user = super().save_user(request, user, form, commit=False)
        language = (get_language() or "").split("-")[0]
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        if commit:
            user.save()
        return user

    def set_password(self, user: Any, password: str) -> None:
        """Every way allauth changes a password (change, set, reset by e-mail) comes here: the
        person's access tokens are revoked with the old password, so whoever took the account over
        loses what they made with it."""
        super().set_password(user, password)
        tokens_revoke_all(user=user)

    # Sign-in limits (docs/operating.md, "Sign-in limits"). allauth counts wrong passwords per
    # address and per account; per account alone, anyone could lock the coordinator out of their
    # own phone by guessing five times. So its per-account count is kept per account *and*
    # address, and a higher ceiling per account, from any address, stops a guess spread over many.
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{self.get_client_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        login = str(credentials.get("email") or credentials.get("username") or "").lower()
        self._account_ceiling_usage = None
        if login and getattr(settings, "ACCOUNT_RATE_LIMITS", None) is not False:
            # allauth's own limits go through this internal call too; it gives a usage that a
            # successful sign-in rolls back (the public one does not).
            self._account_ceiling_usage = internal_ratelimit.consume(
                request,
                app="allauth.account",
                action="login_failed_account",
                config=ACCOUNT_CEILING,
                key=login,
            )
            if not self._account_ceiling_usage:
                raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        """allauth's sign-in; when the password is wrong, a registered alternative may open another
        account with it instead (a duress password opens an empty account: members/hooks.py). The
        wrong try still counts towards the sign-in limits, as any wrong password does."""
        user = super().authenticate(request, **credentials)
        if user is None:
            email = str(credentials.get("email") or "")
            password = str(credentials.get("password") or "")
            if email and password:
                user = hooks.sign_in_alternative(email=email, password=password)
                if user is not None:
                    # Read by pre_login and add_message: the address typed is what the pages show.
                    user._dp_sign_in_alternative = email.strip().lower()  # type: ignore[attr-defined]
        return user

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> Any:
        """An account opened by an alternative (the empty account of a duress password) is signed
        in at once: allauth's stages would ask to confirm the address typed, which is not its own,
        and mail that address."""
        shown = getattr(user, "_dp_sign_in_alternative", "")
        if shown:
            self.login(request, user)
            request.session[SHOWN_EMAIL] = shown  # "Signed in as" on My account (views/account.py)
            return self.post_login(request, user, **{**kwargs, "email": None, "signup": False})
        return super().pre_login(request, user, **kwargs)

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        """allauth's messages; "Signed in as …" names the address typed for an account opened by an
        alternative (an empty account's own address would give it away)."""
        user = (message_context or {}).get("user")
        shown = getattr(user, "_dp_sign_in_alternative", "")
        if shown and message_context is not None:
            as_typed: Any = copy.copy(user)
            as_typed.email = shown  # never saved: only the message reads it
            message_context = {**message_context, "user": as_typed}
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def _rollback_login_failed_rl_usage(self) -> None:
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_account_ceiling_usage", None)
        if usage:
            usage.rollback()


def _local_next(request: HttpRequest | None) -> str:
    """The ``next`` page of a sign-up, when it is a page of this node (never another site)."""
    if request is None:
        return ""
    after = request.POST.get("next") or request.GET.get("next") or ""
    if after and url_has_allowed_host_and_scheme(after, allowed_hosts=None, require_https=False):
        return after if after.startswith("/") else ""
    return ""


def _through_sign_in(url: str) -> str:
    """``url`` by way of the sign-in page: someone who has just confirmed their address has an
    account, so they sign in (not up) on the way; someone signed in already passes straight on."""
    return f"{reverse('account_login')}?{urlencode({'next': url})}"


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
