"""The permission check for people's pages and API, telling a coordinator when MFA is what is missing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dualpower.members.errors import MfaRequired
from dualpower.members.rules import has_required_mfa, is_coordinator
from dualpower.web.permissions import check


def check_perm(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """Like web.permissions.check, but a coordinator refused only for lack of TOTP gets ``mfa_required``."""
    if request.user.has_perm(perm, obj):
        return
    if is_coordinator(request.user, obj) and not has_required_mfa(request.user, obj):
        raise MfaRequired()
    check(request, perm, obj)
