"""Pages for liquid delegation: passing one's vote to another member, and taking it back."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dualpower.assemblies import services
from dualpower.assemblies.models import Delegation, Proposal
from dualpower.assemblies.views._common import _assembly
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput, NotFound
from dualpower.members import selectors as member_selectors
from dualpower.members.roles import membership_for
from dualpower.web.actions import post_action
from dualpower.web.permissions import check


@require_POST
@with_community
def delegate(request: HttpRequest, community: Community, assembly: str) -> HttpResponse:
    a = _assembly(request, community, assembly)
    check(request, "assemblies.delegate", a)
    target = member_selectors.membership_find(community=community, pk=request.POST.get("delegate"))
    proposal = None
    if request.POST.get("proposal"):
        proposal = Proposal.objects.filter(assembly=a, pk=request.POST.get("proposal") or 0).first()

    def set_delegation() -> Delegation:
        if target is None:
            raise InvalidInput(_("Choose who votes for you."), field="delegate")
        return services.delegation_set(
            assembly=a,
            by=membership_for(request.user, community),
            delegate=target,
            topic=request.POST.get("topic", ""),
            proposal=proposal,
        )

    return post_action(
        request,
        run=set_delegation,
        back=a.get_absolute_url(),
        message=lambda d: (
            _("%(name)s now votes for you unless you vote yourself.") % {"name": d.delegate.display_name}
        ),
    )


@require_POST
@with_community
def delegation_remove(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    a = _assembly(request, community, assembly)
    found = (
        Delegation.objects.filter(assembly=a, pk=pk).select_related("delegate", "assembly__community").first()
    )
    if found is None:
        raise NotFound(_("There is no such delegation."))
    services.delegation_remove(delegation=found, by=membership_for(request.user, community))
    messages.success(request, _("You vote for yourself again."))
    return redirect(a.get_absolute_url())
