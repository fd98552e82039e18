"""Invitation links: coordinators make and revoke them; a person opens one and applies in one step.

/c/<community>/invitations/             the links and a form for a new one (coordinators)
/c/<community>/invitations/<id>/        one link, its QR code, revoking it
/c/<community>/join/<token>/            the link itself: sign up and apply (or apply, if signed in)
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from allauth.account.utils import complete_signup
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.members import selectors
from dualpower.members.forms import ApplicationForm
from dualpower.members.invitation_models import Invitation
from dualpower.members.models import Application
from dualpower.members.roles import membership_for, signed_in
from dualpower.members.services import invitations as service
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check


class InvitationForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What it is for (optional)"),
        max_length=service.NOTE_MAX,
        required=False,
        help_text=gettext_lazy("Only coordinators see this, e.g. “Tenants' meeting, 12 March”."),
    )
    max_uses = forms.IntegerField(
        label=gettext_lazy("How many people may use it (optional)"),
        min_value=1,
        max_value=service.MAX_USES_LIMIT,
        required=False,
        help_text=gettext_lazy("Leave empty for no limit."),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Valid until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The link stops working at the end of this day. Leave empty to keep it open."),
    )

    def expires_at(self) -> datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time.max))


class InvitationSignUpForm(ApplicationForm):
    """Signing up and applying in one form: the account, then the community's questions."""

    email = forms.EmailField(label=gettext_lazy("Email"), max_length=254)
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 10 characters; a few words you remember are best."),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, questions=questions, **kwargs)
        self.order_fields(["email", "password1", "password2", "display_name"])


def _link(request: HttpRequest, invitation: Invitation) -> str:
    return request.build_absolute_uri(invitation.get_absolute_url())


def _state_label(state: str) -> str:
    return {
        "active": _("Open"),
        "revoked": _("Revoked"),
        "expired": _("Expired"),
        "used_up": _("Used up"),
    }[state]


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def invitation_list(request: HttpRequest, community: Community) -> HttpResponse:
    """The community's invitation links and a form for a new one."""
    check(request, "members.manage_invitations", community)
    now = timezone.now()
    rows = [
        {"invitation": inv, "state": _state_label(inv.state(now)), "usable": inv.usable(now)}
        for inv in service.invitations_of(community=community)[:100]
    ]
    form = InvitationForm(request.POST or None)
    return form_action(
        request,
        form=form,
        run=lambda data: service.invitation_create(
            community=community,
            by=signed_in(request),
            note=data["note"],
            max_uses=data["max_uses"],
            expires_at=form.expires_at(),
        ),
        success=lambda inv: reverse("members:invitation", args=[community.slug, inv.pk]),
        message=_("The invitation link is ready: share it, or show its QR code."),
        template="members/invitations/list.html",
        context={"rows": rows},
    )


@require_GET
@with_community
def invitation_detail(request: HttpRequest, community: Community, invitation_id: int) -> HttpResponse:
    """One link: the address to copy, its QR code, and revoking it."""
    check(request, "members.manage_invitations", community)
    invitation = service.invitation_get(community=community, invitation_id=invitation_id)
    link = _link(request, invitation)
    return render(
        request,
        "members/invitations/detail.html",
        {
            "invitation": invitation,
            "link": link,
            "qr": service.invitation_qr_svg(url=link),
            "state": _state_label(invitation.state()),
            "usable": invitation.usable(),
        },
    )


@require_POST
@with_community
def invitation_revoke(request: HttpRequest, community: Community, invitation_id: int) -> HttpResponse:
    check(request, "members.manage_invitations", community)
    invitation = service.invitation_get(community=community, invitation_id=invitation_id)
    return post_action(
        request,
        run=lambda: service.invitation_revoke(invitation=invitation, by=signed_in(request)),
        back=reverse("members:invitation", args=[community.slug, invitation.pk]),
        message=_("The link no longer works. Applications already sent through it stay."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def invitation_open(request: HttpRequest, community: Community, token: str) -> HttpResponse:
    """The link a person was given: sign up and apply in one form (or only apply, if signed in)."""
    if membership_for(request.user, community):
        messages.info(request, _("You are already a member of %(name)s.") % {"name": community.name})
        return redirect("community-dashboard", community.slug)
    invitation = service.invitation_by_token(community=community, token=token)
    check(request, "members.use_invitation", invitation)
    if request.user.is_authenticated:
        application = selectors.application_of(user=request.user, community=community)
        if application and application.status == Application.Status.PENDING:
            return render(request, "members/apply_pending.html", {"application": application})
    context = {"invitation": invitation, "usable": invitation.usable()}
    if not context["usable"]:
        return render(request, "members/invitations/open.html", context, status=410)
    questions = list(community.application_questions or [])
    status_page = reverse("members:apply", args=[community.slug])
    if request.user.is_authenticated:
        form: ApplicationForm = ApplicationForm(request.POST or None, questions=questions)
        return form_action(
            request,
            form=form,
            run=lambda data: service.invitation_apply(
                invitation=invitation,
                user=signed_in(request),
                display_name=data["display_name"],
                answers=form.answers(),
            ),
            success=status_page,
            message=_("Thank you. Your application has been sent to the community."),
            template="members/invitations/open.html",
            context=context,
        )
    signup = InvitationSignUpForm(request.POST or None, questions=questions)

    def confirmed(application: Application) -> HttpResponse:
        # allauth sends the confirmation email and, once confirmed in this browser, signs the
        # person in and brings them to their application's status.
        messages.success(request, _("Thank you. Your application has been sent to the community."))
        return complete_signup(request, application.user, settings.ACCOUNT_EMAIL_VERIFICATION, status_page)

    return form_action(
        request,
        form=signup,
        run=lambda data: service.invitation_sign_up_and_apply(
            invitation=invitation,
            email=data["email"],
            password=data["password1"],
            password_again=data["password2"],
            display_name=data["display_name"],
            answers=signup.answers(),
        ),
        success=confirmed,
        template="members/invitations/open.html",
        context=context,
    )
