"""Pages for the referral directory (kept by the health group) and the supplies to check: lots
expiring soon and items low on stock (kept in the inventory, by lot)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.care.forms.clinics import ReferralForm
from dualpower.care.models.clinics import Referral
from dualpower.care.selectors import clinics as selectors
from dualpower.care.services import clinics_directory as services
from dualpower.care.views.clinics_nav import nav
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check


def _list_url(community: Community) -> str:
    return reverse("care:referrals", args=[community.slug])


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def referral_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "care.view_referrals", community)
    manages = request.user.has_perm("care.manage_referrals", community)
    if request.method == "POST":
        check(request, "care.manage_referrals", community)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Referral.Kind.values else ""
    context = {
        "referrals": list(selectors.referrals(community=community, kind=kind)[:500]),
        "kinds": Referral.Kind.choices,
        "kind": kind,
        "manages": manages,
        **nav(request, community),
    }
    if not manages:
        return render(request, "care/clinics/referrals.html", {**context, "form": None})
    me = membership_for(request.user, community)
    return form_action(
        request,
        form=ReferralForm(request.POST or None),
        run=lambda data: services.referral_create(community=community, by=me, **data),
        success=_list_url(community),
        message=lambda r: _("“%(name)s” is in the directory.") % {"name": r.name},
        template="care/clinics/referrals.html",
        context=context,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def referral_edit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "care.view_referrals", community)
    check(request, "care.manage_referrals", community)
    referral = selectors.referral_get(community=community, pk=pk)
    initial = {name: getattr(referral, name) for name in ReferralForm.base_fields}
    me = membership_for(request.user, community)
    return form_action(
        request,
        form=ReferralForm(request.POST or None, initial=initial),
        run=lambda data: services.referral_update(referral=referral, by=me, **data),
        success=_list_url(community),
        message=_("Saved."),
        template="care/clinics/referral_edit.html",
        context={"referral": referral},
    )


@require_POST
@with_community
def referral_remove(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "care.view_referrals", community)
    check(request, "care.manage_referrals", community)
    referral = selectors.referral_get(community=community, pk=pk)
    me = membership_for(request.user, community)
    return post_action(
        request,
        run=lambda: services.referral_remove(referral=referral, by=me),
        back=_list_url(community),
        message=_("Removed from the directory."),
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def supplies(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "care.view_supplies", community)
    today = timezone.localdate()
    return render(
        request,
        "care/clinics/supplies.html",
        {
            "supplies": selectors.supplies(community=community, today=today),
            "today": today,
            **nav(request, community),
        },
    )
