"""The people of a community: the member list, profiles and roles."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualpower.clean import clean_int_or_none
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.members import selectors, services
from dualpower.members.forms import MemberFilterForm, ProfileForm, RoleForm
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for, signed_in
from dualpower.members.views._common import mfa_redirect
from dualpower.web.actions import form_action, is_htmx
from dualpower.web.addresses import by_id
from dualpower.web.fragments import Later
from dualpower.web.kept_forms import form_as_div_html
from dualpower.web.permissions import check

# The widest id a database keeps (a signed 64-bit integer): a larger one is refused, not a 500.
MAX_ID = 2**63 - 1


@require_http_methods(["GET", "HEAD"])
@with_community
def member_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "members.list_members", community)
    # Without parameters the form is unbound and filters nothing: made only if its fragment is.
    filters = Later(MemberFilterForm, request.GET or None)
    skill = neighbourhood = ""
    if request.GET and filters().is_valid():
        skill, neighbourhood = filters().cleaned_data["skill"], filters().cleaned_data["neighbourhood"]
    after, before = (
        clean_int_or_none(
            request.GET.get(name), field=name, label=_("The place in the list"), low=1, high=MAX_ID
        )
        for name in ("after", "before")
    )
    if after is not None and before is not None:
        raise InvalidInput(_("Ask for the people after one member or before one, not both."), field="before")
    # The results read the same for everyone admitted: a kept fragment (web/fragments.py) keyed by
    # the filters and the place asked for (members/partials/_member_results.html); the people are
    # read only to render it.
    page: Any = SimpleLazyObject(
        lambda: selectors.member_list_page(
            community=community,
            skill=skill,
            neighbourhood=neighbourhood,
            after=after,
            before=before,
            count=True,
        )
    )
    query = urlencode({k: v for k, v in (("skill", skill), ("neighbourhood", neighbourhood)) if v})
    htmx = is_htmx(request)
    context = {
        "place": (skill, neighbourhood, after, before),
        "page": page,
        "rows": Later(lambda: _member_rows(page.people, slug=community.slug)),
        "count": SimpleLazyObject(lambda: page.count),
        "filters": filters,
        # Django's own rendering of the filters, kept per language and values (web/kept_forms.py),
        # in a fragment kept by what it is made from (the values asked for, whether any were).
        "filters_key": (bool(request.GET), request.GET.get("skill"), request.GET.get("neighbourhood")),
        "filters_html": None if htmx else Later(lambda: form_as_div_html(filters())),
        "query": query,
    }
    template = "members/partials/_member_results.html" if htmx else "members/list.html"
    return render(request, template, context)


def _member_rows(people: list[Membership], *, slug: str) -> SafeString:
    """The member list's ``<tr>`` rows, each preceded by the whitespace the template had: written
    here rather than through the template's loop (about ten nodes, four ``{% trans %}``, a
    ``{% url %}`` and the role's translated choices per row, most of the page's own CPU). The same
    HTML, escaped as the template escaped it (``default:"—"``, ``join:", "``)."""
    name, role, neighbourhood, skills = (
        escape(_(label)) for label in ("Name", "Role", "Neighbourhood", "Skills")
    )
    role_labels = {value: escape(label) for value, label in Membership.Role.choices}
    address = by_id("members:detail", slug)
    rows = []
    for person in people:
        role_label: str = role_labels.get(person.role) or escape(person.role)
        if person.role != Membership.Role.MEMBER:
            role_label = f'<span class="badge">{role_label}</span>'
        try:  # as ``join`` does: a list's items escaped and joined, anything else as it is
            shown_skills = ", ".join(escape(skill) for skill in person.skills)
        except TypeError:
            shown_skills = escape(person.skills) if person.skills else ""
        rows.append(
            "\n      <tr>\n"
            f'        <th scope="row" data-label="{name}"><a href="{escape(address(person.pk))}">'
            f"{escape(person.display_name)}</a></th>\n"
            f'        <td data-label="{role}">{role_label}</td>\n'
            f'        <td data-label="{neighbourhood}">{escape(person.neighbourhood or "—")}</td>\n'
            f'        <td data-label="{skills}">{shown_skills or "—"}</td>\n'
            "      </tr>\n    "
        )
    return mark_safe("".join(rows))  # noqa: S308  # every value escaped above


@require_http_methods(["GET", "HEAD"])
@with_community
def member_detail(request: HttpRequest, community: Community, member_id: int) -> HttpResponse:
    check(request, "members.view_member", community)
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
    check(request, "members.change_own_profile", community)
    membership = membership_for(request.user, community)
    assert membership is not None
    form = ProfileForm(request.POST) if request.method == "POST" else ProfileForm.for_membership(membership)
    return form_action(
        request,
        form=form,
        run=lambda data: services.profile_update(membership=membership, **form.changes()),
        success=reverse("members:detail", args=[community.slug, membership.pk]),
        message=_("Your profile has been saved."),
        template="members/profile_form.html",
        context={"membership": membership},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@mfa_redirect
@with_community
def role_change(request: HttpRequest, community: Community, member_id: int) -> HttpResponse:
    check(request, "members.change_role", community)
    membership = selectors.member_get(community=community, member_id=member_id)
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    return form_action(
        request,
        form=form,
        run=lambda data: services.role_change(
            membership=membership,
            role=data["role"],
            by=signed_in(request),
            reason=data["reason"],
            decision_ref=data["decision_ref"],
        ),
        success=reverse("members:detail", args=[community.slug, membership.pk]),
        message=_("The role has been changed and recorded."),
        template="members/role_form.html",
        context={"membership": membership},
    )
