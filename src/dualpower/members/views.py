"""Pages about people in a community: applying, the member list, profiles, applications, roles.

Each view: parse → check the rule → call the service → template. htmx requests get the
changed piece of the page; without JavaScript the same forms post and redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.models import Community
from dualpower.errors import DomainError, NotFound
from dualpower.members import selectors, services
from dualpower.members.errors import MfaRequired
from dualpower.members.forms import ApplicationForm, DeclineForm, MemberFilterForm, ProfileForm, RoleForm
from dualpower.members.models import Application
from dualpower.members.permissions import check_perm
from dualpower.members.roles import membership_for
from dualpower.web.community import with_community


def mfa_redirect(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A coordinator without the two-factor authentication the node requires is sent to set it up."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except MfaRequired as exc:
            messages.warning(request, exc.detail)
            target = reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()})
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)

    return wrapper


def run_service(form: Any, call: Callable[[], Any]) -> tuple[bool, Any]:
    """Call a service; its domain errors about a field go onto the form, the rest propagate."""
    try:
        return True, call()
    except DomainError as exc:
        # Bad input and conflicts (the last coordinator...) are explained on the form itself.
        if exc.status not in (400, 409) or not form:
            raise
        form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        return False, None


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


# --- joining -------------------------------------------------------------------------------


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
    check_perm(request, "members.apply", community)
    questions = list(community.application_questions or [])
    form = ApplicationForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        ok, _application = run_service(
            form,
            lambda: services.application_submit(
                user=request.user,
                community=community,
                display_name=form.cleaned_data["display_name"],
                answers=form.answers(),
            ),
        )
        if ok:
            messages.success(request, _("Thank you. Your application has been sent to the community."))
            return redirect("members:apply", community.slug)
    return render(
        request,
        "members/apply.html",
        {"form": form, "previous": application},
        status=400 if form.errors else 200,
    )


@require_POST
@with_community
def withdraw(request: HttpRequest, community: Community) -> HttpResponse:
    application = selectors.application_of(user=request.user, community=community)
    if application is None:
        raise NotFound(_("You have no application here."))
    check_perm(request, "members.withdraw_application", application)
    services.application_withdraw(application=application, by=request.user)
    messages.success(request, _("Your application has been withdrawn."))
    return redirect("community-about", community.slug)


# --- members -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@with_community
def member_list(request: HttpRequest, community: Community) -> HttpResponse:
    check_perm(request, "members.list_members", community)
    filters = MemberFilterForm(request.GET or None)
    skill = neighbourhood = ""
    if filters.is_valid():
        skill, neighbourhood = filters.cleaned_data["skill"], filters.cleaned_data["neighbourhood"]
    people = selectors.members_of(community=community, skill=skill, neighbourhood=neighbourhood)
    page = Paginator(people, 25).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("skill", skill), ("neighbourhood", neighbourhood)) if v})
    context = {"page": page, "filters": filters, "query": query}
    template = "members/partials/_member_results.html" if _is_htmx(request) else "members/list.html"
    return render(request, template, context)


@require_http_methods(["GET", "HEAD"])
@with_community
def member_detail(request: HttpRequest, community: Community, member_id: int) -> HttpResponse:
    check_perm(request, "members.view_member", community)
    membership = selectors.member_get(community=community, member_id=member_id)
    return render(
        request,
        "members/detail.html",
        {
            "profile": selectors.profile_for(viewer=request.user, membership=membership),
            "can_change_role": request.user.has_perm("members.change_role", community),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def profile_edit(request: HttpRequest, community: Community) -> HttpResponse:
    """My profile in this community: what the other members see of me."""
    check_perm(request, "members.change_own_profile", community)
    membership = membership_for(request.user, community)
    assert membership is not None
    form = ProfileForm(request.POST) if request.method == "POST" else ProfileForm.for_membership(membership)
    if request.method == "POST" and form.is_valid():
        ok, _m = run_service(form, lambda: services.profile_update(membership=membership, **form.changes()))
        if ok:
            messages.success(request, _("Your profile has been saved."))
            return redirect("members:detail", community.slug, membership.pk)
    return render(
        request,
        "members/profile_form.html",
        {"form": form, "membership": membership},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@mfa_redirect
@with_community
def role_change(request: HttpRequest, community: Community, member_id: int) -> HttpResponse:
    check_perm(request, "members.change_role", community)
    membership = selectors.member_get(community=community, member_id=member_id)
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        ok, _change = run_service(
            form,
            lambda: services.role_change(
                membership=membership,
                role=form.cleaned_data["role"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                decision_ref=form.cleaned_data["decision_ref"],
            ),
        )
        if ok:
            messages.success(request, _("The role has been changed and recorded."))
            return redirect("members:detail", community.slug, membership.pk)
    return render(
        request,
        "members/role_form.html",
        {"form": form, "membership": membership},
        status=400 if form.errors else 200,
    )


# --- applications --------------------------------------------------------------------------


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
    check_perm(request, "members.list_applications", community)
    pending = list(selectors.applications_pending(community=community))
    return render(request, "members/applications.html", {"rows": _application_rows(request, pending)})


def _after_decision(
    request: HttpRequest, community: Community, application: Application, note: str
) -> HttpResponse:
    if _is_htmx(request):
        application = selectors.applications_pending(community=community).filter(
            pk=application.pk
        ).first() or (Application.objects.get(pk=application.pk))
        row = _application_rows(request, [application])[0] if application.status == "pending" else None
        return render(
            request,
            "members/partials/_application.html",
            {"row": row, "note": note, "application": application},
        )
    messages.success(request, note)
    return redirect("members:applications", community.slug)


@require_POST
@mfa_redirect
@with_community
def admit(request: HttpRequest, community: Community, application_id: int) -> HttpResponse:
    application = selectors.application_get(community=community, application_id=application_id)
    check_perm(request, "members.decide_application", application)
    services.application_admit(application=application, by=request.user)
    note = _("%(name)s is now a member.") % {"name": application.display_name}
    return _after_decision(request, community, application, note)


@require_POST
@mfa_redirect
@with_community
def decline(request: HttpRequest, community: Community, application_id: int) -> HttpResponse:
    application = selectors.application_get(community=community, application_id=application_id)
    check_perm(request, "members.decide_application", application)
    form = DeclineForm(request.POST, prefix=f"a{application.pk}")
    reason = form.data.get(f"a{application.pk}-reason", "") or request.POST.get("reason", "")
    services.application_decline(application=application, by=request.user, reason=reason)
    note = _("The application of %(name)s was declined.") % {"name": application.display_name}
    return _after_decision(request, community, application, note)


@require_POST
@with_community
def trust(request: HttpRequest, community: Community, application_id: int) -> HttpResponse:
    application = selectors.application_get(community=community, application_id=application_id)
    check_perm(request, "members.give_trust", application)
    services.trust_give(application=application, by=request.user)
    application.refresh_from_db()
    if application.status == Application.Status.ADMITTED:
        note = _("Your trust was the last one needed: %(name)s is now a member.") % {
            "name": application.display_name
        }
    else:
        note = _("You gave your trust to %(name)s.") % {"name": application.display_name}
    return _after_decision(request, community, application, note)
