"""My account, across communities: profiles, two-factor authentication, tokens, export, deletion."""

from __future__ import annotations

import json

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.members import selectors, services
from dualpower.members.adapters import SHOWN_EMAIL
from dualpower.members.forms import DeleteAccountForm, TokenForm
from dualpower.members.models import AccessToken, Application
from dualpower.members.roles import signed_in
from dualpower.web.actions import form_action, post_action


@require_http_methods(["GET", "HEAD"])
@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    memberships = selectors.memberships_active_of(user=user)
    applications = Application.objects.filter(user=user).select_related("community").order_by("-created_at")
    return render(
        request,
        "members/me.html",
        {
            "memberships": memberships,
            "applications": applications,
            "shown_email": request.session.get(SHOWN_EMAIL) or user.email,
            "has_totp": selectors.has_totp(user=user),
            "active_tokens": selectors.tokens_of(user=user).filter(revoked_at__isnull=True).count(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """Personal access tokens for scripts. A new token's secret is shown on this one response only."""
    user = signed_in(request)

    def shown_once(result: tuple[AccessToken, str]) -> HttpResponse:
        created, raw = result
        context = {
            "form": TokenForm(),
            "tokens": selectors.tokens_of(user=user),
            "created": created,
            "raw": raw,
        }
        return render(request, "members/tokens.html", context)

    return form_action(
        request,
        form=TokenForm(request.POST or None),
        run=lambda data: services.token_create(user=user, name=data["name"], scope=data["scope"]),
        success=shown_once,
        template="members/tokens.html",
        context={"tokens": selectors.tokens_of(user=user), "created": None, "raw": None},
    )


@require_POST
@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    return post_action(
        request,
        run=lambda: services.token_revoke(user=signed_in(request), token_id=token_id),
        back=reverse("me:tokens"),
        message=lambda token: _("The token “%(name)s” has been revoked.") % {"name": token.name},
    )


@require_http_methods(["GET", "HEAD"])
@never_cache
@login_required
def export(request: HttpRequest) -> HttpResponse:
    data = selectors.account_export(user=signed_in(request))
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="dualpower-my-data-{stamp}.json"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def delete(request: HttpRequest) -> HttpResponse:
    """Delete my account; what I wrote in shared records stays, signed "former member"."""
    user = signed_in(request)

    def signed_out(_result: None) -> str:
        logout(request)
        return reverse("home")

    return form_action(
        request,
        form=DeleteAccountForm(request.POST or None),
        run=lambda data: services.account_delete(user=user, confirm_email=data["confirm_email"]),
        success=signed_out,
        message=_("Your account has been deleted."),
        template="members/delete.html",
    )
