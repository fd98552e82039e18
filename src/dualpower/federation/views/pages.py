"""Federation's pages for people (ActivityPub's documents are in actors.py and discovery.py).

/c/<slug>/network/             the community's network: peers and offers waiting for a decision,
                               followers, who it follows (coordinators add and stop), the
                               communities the node knows (each with a link to propose peering)
/setup/federation/             the node's operators: blocked servers, failing servers, dead letters

Peering is never a button here: it is a proposal carrying the ``federation.peer`` action, decided
by the general assembly like any other decision.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.federation import selectors, services
from dualpower.federation.forms import BlockForm, FollowForm
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check

DEAD_LETTERS_SHOWN = 50


def _network_context(request: HttpRequest, community: Community) -> dict[str, Any]:
    network = selectors.network_of(community=community)
    assembly = selectors.deciding_assembly(community=community)
    may_propose = assembly is not None and request.user.has_perm("assemblies.propose", assembly)
    propose = ""
    if may_propose and assembly is not None:
        base = reverse("assemblies:new", args=[community.slug, assembly.slug])
        propose = f"{base}?process={assembly.policy.default_process}"
    return {
        "network": network,
        "invitations": [p for p in network.peers if p.state == p.State.INVITED],
        "peers": [p for p in network.peers if p.state != p.State.INVITED],
        "assembly": assembly,
        # The proposal form with the peering action chosen; the page adds the community to peer with.
        "propose_peer": f"{propose}&action=federation.peer" if propose else "",
        "propose_unpeer": f"{propose}&action=federation.unpeer" if propose else "",
        "may_follow": request.user.has_perm("federation.follow", community),
        "may_remove": request.user.has_perm("federation.remove_follower", community),
        "may_operate": request.user.has_perm("federation.operate"),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def network(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "federation.view_network", community)
    context = _network_context(request, community)
    if request.method != "POST" and not context["may_follow"]:
        return render(request, "federation/network.html", context)
    check(request, "federation.follow", community)
    me = membership_for(request.user, community)
    return form_action(
        request,
        form=FollowForm(request.POST or None),
        run=lambda data: services.following_start(community=community, handle=data["handle"], by=me),
        success=reverse("federation:network", args=[community.slug]),
        message=lambda following: (
            _("Asked to follow %(actor)s: waiting for their answer.") % {"actor": following.actor}
        ),
        template="federation/network.html",
        context=context,
        form_name="follow_form",
    )


@require_POST
@with_community
def following_stop(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "federation.follow", community)
    following = selectors.following_get(community=community, pk=pk)
    return post_action(
        request,
        run=lambda: services.following_stop(following=following, by=membership_for(request.user, community)),
        back=reverse("federation:network", args=[community.slug]),
        message=_("%(community)s no longer follows %(actor)s.")
        % {"community": community.name, "actor": following.actor},
    )


@require_POST
@with_community
def follower_remove(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "federation.remove_follower", community)
    follower = selectors.follower_get(community=community, pk=pk)
    return post_action(
        request,
        run=lambda: services.follower_remove(follower=follower, by=membership_for(request.user, community)),
        back=reverse("federation:network", args=[community.slug]),
        message=_("%(actor)s no longer follows %(community)s.")
        % {"community": community.name, "actor": follower.actor},
    )


# --- the node's operators -----------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def operator(request: HttpRequest) -> HttpResponse:
    check(request, "federation.operate")
    dead = selectors.dead_letters()
    context = {
        "blocked": list(selectors.hosts_blocked()),
        "failing": list(selectors.hosts_failing()),
        "dead": list(dead[:DEAD_LETTERS_SHOWN]),
        "dead_count": dead.count(),
    }
    return form_action(
        request,
        form=BlockForm(request.POST or None),
        run=lambda data: services.host_block(host=data["host"], reason=data["reason"], by=request.user),
        success=reverse("federation:operator"),
        message=lambda row: _("%(host)s is blocked.") % {"host": row.host},
        template="federation/operator.html",
        context=context,
        form_name="block_form",
    )


@require_POST
def host_unblock(request: HttpRequest, pk: int) -> HttpResponse:
    check(request, "federation.operate")
    row = selectors.host_blocked_get(pk=pk)
    return post_action(
        request,
        run=lambda: services.host_unblock(host=row.host, by=request.user),
        back=reverse("federation:operator"),
        message=_("%(host)s is no longer blocked.") % {"host": row.host},
    )


@require_POST
def dead_letter_retry(request: HttpRequest, pk: int) -> HttpResponse:
    check(request, "federation.operate")
    row = selectors.dead_letter_get(pk=pk)
    return post_action(
        request,
        run=lambda: services.dead_letter_retry(delivery_row=row, by=request.user),
        back=reverse("federation:operator"),
        message=_("Sending again to %(host)s.") % {"host": row.host},
    )


@require_POST
def dead_letters_retry_all(request: HttpRequest) -> HttpResponse:
    check(request, "federation.operate")
    return post_action(
        request,
        run=lambda: services.dead_letters_retry_all(by=request.user),
        back=reverse("federation:operator"),
        message=lambda n: (
            ngettext("%(n)s delivery is being sent again.", "%(n)s deliveries are being sent again.", n)
            % {"n": n}
        ),
    )
