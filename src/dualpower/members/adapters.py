"""allauth hooks: where signing up and logging in meet the community's rules."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


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
