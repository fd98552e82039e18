"""Deliberations across peer communities (parse → check → service → template).

c/<slug>/deliberations/<pk>/peers/                               facilitators: open to peers, or stop (POST)
c/<slug>/deliberations/peer/<id>/                                a peer's deliberation: vote, add one
c/<slug>/deliberations/peer/<id>/statements/<n>/vote/            agree / disagree / pass (POST)
c/<slug>/deliberations/peer/<id>/statements/new/                 add a statement (POST)
c/<slug>/deliberations/peer/<id>/erase/                          erase my votes, here and there (POST)
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.deliberation import selectors, services
from dualpower.deliberation.forms import StatementForm
from dualpower.deliberation.map_drawing import drawn, sent_statements
from dualpower.deliberation.models import PeerDeliberation
from dualpower.deliberation.services.peers import peer_participant_id
from dualpower.deliberation.views.common import member_acting, vote_posted
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check


@require_POST
@with_community
def peers_set(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    deliberation = selectors.deliberation_get(community=community, pk=pk)
    me = member_acting(request, community, "deliberation.open_to_peers", deliberation)
    opening = request.POST.get("open") == "1"
    return post_action(
        request,
        run=lambda: services.deliberation_peers_set(deliberation=deliberation, by=me, open_to_peers=opening),
        back=reverse("deliberation:detail", args=[community.slug, pk]) + "#peers",
        message=_("The members of our peer communities may now take part.")
        if opening
        else _("The deliberation is no longer open to peer communities."),
    )


def _context(request: HttpRequest, deliberation: PeerDeliberation) -> dict[str, Any]:
    me = membership_for(request.user, deliberation.community)
    mine = (
        selectors.peer_votes_of(
            deliberation=deliberation,
            participant=peer_participant_id(deliberation=deliberation, membership=me),
        )
        if me is not None
        else {}
    )
    may_take_part = request.user.has_perm("deliberation.take_part_peer", deliberation)
    waiting = [s for s in deliberation.statements if s["number"] not in mine]
    return {
        "peer": deliberation,
        "map": drawn(deliberation.opinion_map or {}, sent_statements(deliberation.statements)),
        "may_take_part": may_take_part,
        "next": waiting[0] if may_take_part and waiting else None,
        "my_votes_count": len(mine),
        "form": StatementForm(),
    }


@require_GET
@with_community
def peer_detail(request: HttpRequest, community: Community, peer_pk: int) -> HttpResponse:
    deliberation = selectors.peer_deliberation_get(community=community, pk=peer_pk)
    check(request, "deliberation.view_peer", deliberation)
    return render(request, "deliberation/peer.html", _context(request, deliberation))


@require_POST
@with_community
def peer_vote(request: HttpRequest, community: Community, peer_pk: int, number: int) -> HttpResponse:
    deliberation = selectors.peer_deliberation_get(community=community, pk=peer_pk)
    me = member_acting(request, community, "deliberation.take_part_peer", deliberation)
    return vote_posted(
        request,
        cast=lambda value: services.peer_vote_cast(
            deliberation=deliberation, by=me, statement=number, value=value
        ),
        back=reverse("deliberation:peer", args=[community.slug, peer_pk]) + "#vote",
        message=_("Your vote is sent. Here is the next statement."),
    )


@require_POST
@with_community
def peer_statement_new(request: HttpRequest, community: Community, peer_pk: int) -> HttpResponse:
    deliberation = selectors.peer_deliberation_get(community=community, pk=peer_pk)
    me = member_acting(request, community, "deliberation.take_part_peer", deliberation)
    return form_action(
        request,
        form=StatementForm(request.POST),
        run=lambda data: services.peer_statement_add(deliberation=deliberation, by=me, text=data["text"]),
        success=reverse("deliberation:peer", args=[community.slug, peer_pk]) + "#add",
        message=_("Thank you: your statement is sent; their facilitators read it first."),
        template="deliberation/peer.html",
        context={k: v for k, v in _context(request, deliberation).items() if k != "form"},
    )


@require_POST
@with_community
def peer_erase(request: HttpRequest, community: Community, peer_pk: int) -> HttpResponse:
    deliberation = selectors.peer_deliberation_get(community=community, pk=peer_pk)
    # Anyone who could read it may erase what they sent, closed or not: only their own votes go.
    me = member_acting(request, community, "deliberation.view_peer", deliberation)
    return post_action(
        request,
        run=lambda: services.peer_votes_erase(deliberation=deliberation, by=me),
        back=reverse("deliberation:peer", args=[community.slug, peer_pk]),
        message=lambda asked: (
            _("Your votes are erased here, and the community that opened it is asked to erase them.")
            if asked
            else _("Your votes are erased here; that community is no longer our peer, so its count stays.")
        ),
    )
