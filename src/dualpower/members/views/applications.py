"""Joining a community: applying, withdrawing, and deciding applications (coordinators, or
members giving trust).

Each view: parse → check the rule → call the service → template. htmx requests get the
changed piece of the page; without JavaScript the same forms post and redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import DomainError, NotFound
from dualpower.members import selectors, services
from dualpower.members.forms import ApplicationForm, DeclineForm
from dualpower.members.models import Application
from dualpower.members.roles import membership_for, signed_in
from dualpower.members.views._common import mfa_redirect
from dualpower.web.actions import form_action, post_action
from dualpower.web.pages import page_of
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def apply(request: HttpRequest, community: Community) -> HttpResponse:
    """Apply to join: the community's own questions. Newcomers sign up first and come back here."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=reverse("account_signup"))
    if membership_for(request.user, community):
        messages.info(request, _("You are already a member of %(name)s.") % {"name": community.name})
        return redirect("community-dashboard", community.slug)
    application = selectors.application_of(user=request.user, community=community)
    if application and application.status == Application.Status.PENDING:
        return render(request, "members/apply_pending.html", {"application": application})
    check(request, "members.apply", community)
    questions = list(community.application_questions or [])
    form = ApplicationForm(request.POST or None, questions=questions)
    return form_action(
        request,
        form=form,
        run=lambda data: services.application_submit(
            user=signed_in(request),
            community=community,
            display_name=data["display_name"],
            answers=form.answers(),
        ),
        success=reverse("members:apply", args=[community.slug]),
        message=_("Thank you. Your application has been sent to the community."),
        template="members/apply.html",
        context={"previous": application},
    )


@require_POST
@with_community
def withdraw(request: HttpRequest, community: Community) -> HttpResponse:
    application = selectors.application_of(user=request.user, community=community)
    if application is None:
        raise NotFound(_("You have no application here."))
    check(request, "members.withdraw_application", application)
    return post_action(
        request,
        run=lambda: services.application_withdraw(application=application, by=signed_in(request)),
        back=reverse("members:apply", args=[community.slug]),
        success=lambda _result: reverse("community-about", args=[community.slug]),
        message=_("Your application has been withdrawn."),
    )


def _application_rows(request: HttpRequest, applications: list[Application]) -> list[dict[str, Any]]:
    trusted = selectors.trust_given_by(user=request.user, applications=applications)
    return [
        {
            "application": a,
            "trust_given": a.pk in trusted,
            "can_decide": request.user.has_perm("members.decide_application", a),
            "can_trust": request.user.has_perm("members.give_trust", a),
            "decline_form": DeclineForm(prefix=f"a{a.pk}"),
        }
        for a in applications
    ]


@require_http_methods(["GET", "HEAD"])
@mfa_redirect
@with_community
def applications(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "members.list_applications", community)
    pending = selectors.applications_pending(community=community)
    page = page_of(lambda limit, offset: pending[offset : offset + limit], raw=request.GET.get("page"))
    return render(
        request, "members/applications.html", {"rows": _application_rows(request, page.rows), "page": page}
    )


def _decided(
    request: HttpRequest,
    community: Community,
    application: Application,
    *,
    run: Callable[[], object],
    note: Callable[[], str],
) -> HttpResponse:
    """Run a decision on an application (admit, decline, trust): htmx gets the changed card (with
    the refusal in it, if refused); otherwise back to the applications page with the sentence."""

    def card(error: DomainError | None) -> HttpResponse:
        current = selectors.applications_pending(community=community).filter(
            pk=application.pk
        ).first() or selectors.application_get(community=community, application_id=application.pk)
        row = _application_rows(request, [current])[0] if current.status == "pending" else None
        context = {"row": row, "note": "" if error else note(), "error": error, "application": current}
        return render(request, "members/partials/_application.html", context)

    return post_action(
        request,
        run=run,
        back=reverse("members:applications", args=[community.slug]),
        message=lambda _result: note(),
        partial=card,
    )


@require_POST
@mfa_redirect
@with_community
def admit(request: HttpRequest, community: Community, application_id: int) -> HttpResponse:
    application = selectors.application_get(community=community, application_id=application_id)
    check(request, "members.decide_application", application)
    return _decided(
        request,
        community,
        application,
        run=lambda: services.application_admit(application=application, by=signed_in(request)),
        note=lambda: _("%(name)s is now a member.") % {"name": application.display_name},
    )


@require_POST
@mfa_redirect
@with_community
def decline(request: HttpRequest, community: Community, application_id: int) -> HttpResponse:
    application = selectors.application_get(community=community, application_id=application_id)
    check(request, "members.decide_application", application)
    form = DeclineForm(request.POST, prefix=f"a{application.pk}")
    reason = form.data.get(f"a{application.pk}-reason", "") or request.POST.get("reason", "")
    return _decided(
        request,
        community,
        application,
        run=lambda: services.application_decline(
            application=application, by=signed_in(request), reason=reason
        ),
        note=lambda: _("The application of %(name)s was declined.") % {"name": application.display_name},
    )


@require_POST
@with_community
def trust(request: HttpRequest, community: Community, application_id: int) -> HttpResponse:
    application = selectors.application_get(community=community, application_id=application_id)
    check(request, "members.give_trust", application)

    def note() -> str:
        application.refresh_from_db()
        if application.status == Application.Status.ADMITTED:
            return _("Your trust was the last one needed: %(name)s is now a member.") % {
                "name": application.display_name
            }
        return _("%(name)s has your trust now.") % {"name": application.display_name}

    return _decided(
        request,
        community,
        application,
        run=lambda: services.trust_give(application=application, by=signed_in(request)),
        note=note,
    )
