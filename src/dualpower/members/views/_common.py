"""What the members' pages share: sending a coordinator to set up two-factor authentication."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from dualpower.members.errors import MfaRequired
from dualpower.web.actions import is_htmx


def mfa_redirect(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A coordinator without the two-factor authentication the node requires is sent to set it up."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except MfaRequired as exc:
            messages.warning(request, exc.detail)
            target = reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()})
            if is_htmx(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)

    return wrapper
