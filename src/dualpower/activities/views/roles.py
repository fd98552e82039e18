"""The trust roles page: who holds each role, vouching for someone, and (coordinators) the roles
and their thresholds."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.activities import selectors, services
from dualpower.activities.forms import TrustRoleForm
from dualpower.activities.models import RoleGrant, TrustRole
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import DomainError, InvalidInput
from dualpower.members.roles import membership_for
from dualpower.web.actions import attach_error, post_action
from dualpower.web.permissions import check


def _role(request: HttpRequest, community: Community, slug: str, perm: str) -> TrustRole:
    check(request, "activities.list_roles", community)
    check(request, perm, community)
    return selectors.trust_role_get(community=community, slug=slug)


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def role_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "activities.list_roles", community)
    me = membership_for(request.user, community)
    can_manage = request.user.has_perm("activities.manage_roles", community)
    form = TrustRoleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        check(request, "activities.manage_roles", community)
        if form.is_valid():
            try:
                role = services.trust_role_create(community=community, by=me, **form.cleaned_data)
            except DomainError as exc:
                attach_error(form, exc)
            else:
                messages.success(request, _("The role “%(name)s” was created.") % {"name": role.name})
                return redirect("activities:roles", community.slug)
    people = list(selectors.vouchable(community=community))
    given = selectors.my_vouches(membership=me)
    counts_by_role = selectors.vouch_counts_by_role(community=community)
    roles = []
    for role in selectors.trust_roles_with_holders(community=community):
        counts = counts_by_role.get(role.pk, {})
        holders: list[RoleGrant] = role.holders  # type: ignore[attr-defined]
        held = {g.membership_id for g in holders}
        roles.append(
            {
                "role": role,
                "holders": holders,
                "mine": me is not None and me.pk in held,
                "my_count": counts.get(me.pk, 0) if me else 0,
                "vouched": [p for p in people if (role.pk, p.pk) in given],
                # Each with how many vouches they already have, so people see who is close.
                "candidates": [
                    (p, counts.get(p.pk, 0))
                    for p in people
                    if me is not None and p.pk != me.pk and (role.pk, p.pk) not in given
                ],
            }
        )
    return render(
        request,
        "activities/roles.html",
        {
            "roles": roles,
            "can_vouch": request.user.has_perm("activities.vouch", community),
            "can_manage": can_manage,
            "form": form if can_manage else None,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@with_community
def vouch_give(request: HttpRequest, community: Community, role: str) -> HttpResponse:
    trust_role = _role(request, community, role, "activities.vouch")
    me = membership_for(request.user, community)
    raw = request.POST.get("member_id", "")

    def vouch() -> None:
        if not raw.isdigit():
            raise InvalidInput(_("Choose the member you vouch for."), field="member_id")
        person = selectors.member_get(community=community, pk=int(raw))
        services.vouch_give(role=trust_role, voucher=me, vouchee=person)  # type: ignore[arg-type]

    return post_action(
        request,
        run=vouch,
        message=_("Your vouch was recorded."),
        back=reverse("activities:roles", args=[community.slug]),
    )


@require_POST
@with_community
def vouch_withdraw(request: HttpRequest, community: Community, role: str, member: int) -> HttpResponse:
    trust_role = _role(request, community, role, "activities.vouch")
    me = membership_for(request.user, community)

    def withdraw() -> None:
        person = selectors.member_get(community=community, pk=member)
        services.vouch_withdraw(role=trust_role, voucher=me, vouchee=person)  # type: ignore[arg-type]

    return post_action(
        request,
        run=withdraw,
        message=_("Your vouch was withdrawn."),
        back=reverse("activities:roles", args=[community.slug]),
    )


@require_POST
@with_community
def role_threshold(request: HttpRequest, community: Community, role: str) -> HttpResponse:
    trust_role = _role(request, community, role, "activities.manage_roles")
    me = membership_for(request.user, community)
    threshold = request.POST.get("threshold", "")
    return post_action(
        request,
        run=lambda: services.trust_role_update(role=trust_role, by=me, threshold=threshold),
        message=_("Vouches needed updated."),
        back=reverse("activities:roles", args=[community.slug]),
    )
