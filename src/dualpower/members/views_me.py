"""My account, across communities: profiles, two-factor authentication, tokens, export, deletion."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.members import selectors, services
from dualpower.members.forms import DeleteAccountForm, TokenForm
from dualpower.members.models import Application, Membership
from dualpower.members.views import run_service


def _has_totp(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@require_http_methods(["GET", "HEAD"])
@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    memberships = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).select_related(
        "community"
    )
    applications = Application.objects.filter(user=user).select_related("community").order_by("-created_at")
    return render(
        request,
        "members/me.html",
        {
            "memberships": memberships,
            "applications": applications,
            "has_totp": _has_totp(user),
            "active_tokens": selectors.tokens_of(user=user).filter(revoked_at__isnull=True).count(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """Personal access tokens for scripts. A new token's secret is shown on this one response only."""
    form = TokenForm(request.POST or None)
    created = raw = None
    if request.method == "POST" and form.is_valid():
        ok, result = run_service(
            form, lambda: services.token_create(user=request.user, name=form.cleaned_data["name"])
        )
        if ok:
            created, raw = result
            form = TokenForm()
    return render(
        request,
        "members/tokens.html",
        {"form": form, "tokens": selectors.tokens_of(user=request.user), "created": created, "raw": raw},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = services.token_revoke(user=request.user, token_id=token_id)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("me:tokens")


@require_http_methods(["GET", "HEAD"])
@never_cache
@login_required
def export(request: HttpRequest) -> HttpResponse:
    data = selectors.account_export(user=request.user)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="dualpower-my-data-{stamp}.json"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def delete(request: HttpRequest) -> HttpResponse:
    """Delete my account; what I wrote in shared records stays, signed "former member"."""
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        ok, _result = run_service(
            form, lambda: services.account_delete(user=user, confirm_email=form.cleaned_data["confirm_email"])
        )
        if ok:
            logout(request)
            messages.success(request, _("Your account has been deleted."))
            return redirect("home")
    return render(request, "members/delete.html", {"form": form}, status=400 if form.errors else 200)
