"""Pages for working groups: parse → check rule → call service → template.

Join, leave and deciding requests work with htmx (the changed piece is swapped in place) and
without JavaScript (the form posts and the page reloads).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import DomainError, InvalidInput
from dualpower.groups import selectors, services
from dualpower.groups.forms import GroupForm, LeaveForm
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for, membership_required
from dualpower.web.actions import form_action, post_action
from dualpower.web.pages import page_of
from dualpower.web.permissions import check


def _group(request: HttpRequest, community: Community, slug: str, perm: str) -> WorkingGroup:
    check(request, "groups.list_groups", community)
    group = selectors.group_get(community=community, slug=slug)
    check(request, perm, group)
    return group


def _card_context(request: HttpRequest, group: WorkingGroup) -> dict[str, Any]:
    me = membership_for(request.user, group.community)
    return {
        "group": group,
        "place": selectors.group_membership_of(group=group, membership=me),
        "can_join": request.user.has_perm("groups.join_group", group),
    }


def _detail_context(request: HttpRequest, group: WorkingGroup) -> dict[str, Any]:
    group = selectors.group_get(community=group.community, slug=group.slug)
    context = _card_context(request, group)
    members = list(selectors.group_members(group=group))
    place = context["place"]
    runs = request.user.has_perm("groups.decide_requests", group)
    last_convener = (
        place is not None and place.is_convener and sum(1 for gm in members if gm.is_convener) == 1
    )
    successors = [gm for gm in members if place is None or gm.pk != place.pk] if last_convener else []
    context.update(
        members=members,
        conveners=[gm for gm in members if gm.is_convener],
        requests=list(selectors.group_members(group=group, status=GroupMembership.Status.PENDING))
        if runs
        else [],
        runs_group=runs,
        can_remove=request.user.has_perm("groups.remove_member", group),
        leave_form=LeaveForm(successors=successors) if successors else None,
    )
    return context


def _button(request: HttpRequest, group: WorkingGroup, run: Callable[[], Any], done: str) -> HttpResponse:
    """A button on a group's card (the list) or page: htmx gets the changed piece, with the sentence
    explaining a refusal inside it; everyone else a redirect back to where the button was."""
    where = request.POST.get("from", "detail")

    def piece(error: DomainError | None) -> HttpResponse:
        if where == "list":
            context = _card_context(request, selectors.group_get(community=group.community, slug=group.slug))
            return render(request, "groups/partials/_group_card.html", {**context, "error": error})
        if not WorkingGroup.objects.filter(pk=group.pk).exists():
            return HttpResponse(status=204)
        context = _detail_context(request, group)
        return render(request, "groups/partials/_group_body.html", {**context, "error": error})

    if where == "list":
        back = reverse("groups:list", args=[group.community.slug])
    else:
        back = reverse("groups:detail", args=[group.community.slug, group.slug])
    return post_action(request, run=run, back=back, message=done, partial=piece)


@require_http_methods(["GET", "HEAD"])
@with_community
def group_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "groups.list_groups", community)
    me = membership_for(request.user, community)
    places = selectors.my_group_memberships(membership=me)
    can_join = request.user.has_perm("groups.join_group", community)
    # A page at a time: the list's size does not grow with the community's groups.
    page = page_of(
        lambda limit, offset: selectors.groups_page(community=community, limit=limit, offset=offset),
        raw=request.GET.get("page"),
    )
    rows = [{"group": group, "place": places.get(group.pk), "can_join": can_join} for group in page.rows]
    return render(
        request,
        "groups/list.html",
        {"rows": rows, "page": page, "can_add": request.user.has_perm("groups.add_group", community)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def group_create(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "groups.add_group", community)
    me = membership_for(request.user, community)
    return form_action(
        request,
        form=GroupForm(request.POST or None),
        run=lambda data: services.working_group_create(community=community, by=me, **data),
        success=lambda group: reverse("groups:detail", args=[community.slug, group.slug]),
        message=lambda group: _("The working group “%(name)s” was started.") % {"name": group.name},
        template="groups/form.html",
        context={"group": None},
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def group_detail(request: HttpRequest, community: Community, group: str) -> HttpResponse:
    wg = _group(request, community, group, "groups.view_group")
    context = _detail_context(request, wg)
    context["can_change"] = request.user.has_perm("groups.change_group", wg)
    context["can_delete"] = request.user.has_perm("groups.delete_group", wg)
    return render(request, "groups/detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def group_edit(request: HttpRequest, community: Community, group: str) -> HttpResponse:
    wg = _group(request, community, group, "groups.change_group")
    me = membership_for(request.user, community)
    initial = {"name": wg.name_shown, "purpose": wg.purpose_shown, "is_open": wg.is_open}
    return form_action(
        request,
        form=GroupForm(request.POST or None, initial=initial),
        run=lambda data: services.working_group_update(group=wg, by=me, **data),
        success=reverse("groups:detail", args=[community.slug, wg.slug]),
        message=_("Saved."),
        template="groups/form.html",
        context={"group": wg},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def group_delete(request: HttpRequest, community: Community, group: str) -> HttpResponse:
    wg = _group(request, community, group, "groups.delete_group")
    if request.method == "POST":
        services.working_group_delete(group=wg, by=membership_for(request.user, community))
        messages.success(request, _("The working group “%(name)s” was deleted.") % {"name": wg.name})
        return redirect("groups:list", community.slug)
    return render(request, "groups/delete.html", {"group": wg})


@require_POST
@with_community
def group_join(request: HttpRequest, community: Community, group: str) -> HttpResponse:
    wg = _group(request, community, group, "groups.join_group")
    me = membership_required(request.user, community)
    done = _("You joined the group.") if wg.is_open else _("You asked to join; a convener will answer.")
    return _button(request, wg, lambda: services.group_join(group=wg, membership=me), done)


@require_POST
@with_community
def group_leave(request: HttpRequest, community: Community, group: str) -> HttpResponse:
    wg = _group(request, community, group, "groups.leave_group")
    me = membership_required(request.user, community)

    def leave() -> None:
        successor = None
        raw = request.POST.get("new_convener", "")
        if raw:
            successor = GroupMembership.objects.filter(group=wg, pk=int(raw) if raw.isdigit() else 0).first()
            if successor is None:
                raise InvalidInput(_("Choose another member of this group."), field="new_convener")
        services.group_leave(group=wg, membership=me, new_convener=successor)

    return _button(request, wg, leave, _("You left the group."))


def _decision(
    request: HttpRequest, community: Community, group: str, pk: int, perm: str
) -> tuple[WorkingGroup, GroupMembership, Membership]:
    wg = _group(request, community, group, perm)
    return wg, selectors.group_membership_get(group=wg, pk=pk), membership_required(request.user, community)


@require_POST
@with_community
def request_approve(request: HttpRequest, community: Community, group: str, pk: int) -> HttpResponse:
    wg, gm, me = _decision(request, community, group, pk, "groups.decide_requests")
    action = lambda: services.group_request_approve(group_membership=gm, by=me)  # noqa: E731
    return _button(
        request, wg, action, _("%(name)s is now in the group.") % {"name": gm.membership.display_name}
    )


@require_POST
@with_community
def request_decline(request: HttpRequest, community: Community, group: str, pk: int) -> HttpResponse:
    wg, gm, me = _decision(request, community, group, pk, "groups.decide_requests")
    action = lambda: services.group_request_decline(group_membership=gm, by=me)  # noqa: E731
    return _button(request, wg, action, _("The request was declined."))


@require_POST
@with_community
def convener_set(request: HttpRequest, community: Community, group: str, pk: int) -> HttpResponse:
    wg, gm, me = _decision(request, community, group, pk, "groups.set_convener")
    is_convener = request.POST.get("is_convener") == "1"
    action = lambda: services.convener_set(group_membership=gm, is_convener=is_convener, by=me)  # noqa: E731
    return _button(request, wg, action, _("Conveners updated."))


@require_POST
@with_community
def member_remove(request: HttpRequest, community: Community, group: str, pk: int) -> HttpResponse:
    wg, gm, me = _decision(request, community, group, pk, "groups.remove_member")
    action = lambda: services.group_member_remove(group_membership=gm, by=me)  # noqa: E731
    return _button(
        request, wg, action, _("%(name)s was taken out of the group.") % {"name": gm.membership.display_name}
    )
