"""Advisory polls (federation/polls.py): the panel on a proposal's page, the coordinators' button
that publishes the proposal as a poll, and the Question at its id.

/c/<slug>/network/polls/<assembly>/<pk>/publish/   POST: publish (coordinators)
/ap/c/<slug>/polls/<uuid>                          the Question: JSON for servers (with the counts
                                                   as they are now); a browser goes to the proposal

The panel is registered with assemblies/panels.py (registrations.py): the proposal's page shows it
below the vote, under its own heading, so that the fediverse's answers are never read as the
members' result.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from dualpower.assemblies import selectors as assembly_selectors
from dualpower.assemblies.models import Proposal
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.federation import polls
from dualpower.federation.views._responses import json_errors, json_response, wants_html
from dualpower.members.roles import membership_for
from dualpower.web.actions import post_action
from dualpower.web.permissions import check


def poll_panel(proposal: Proposal, request: HttpRequest) -> SafeString | None:
    """The fediverse's answers, per option, once published; before that, to the proposal's
    coordinators while it may be published, the button that does it. Three queries at most,
    however many answers (the counts are aggregated in the database)."""
    poll = polls.poll_of(proposal)
    if poll is None:
        if not request.user.has_perm("federation.publish_poll", proposal) or polls.refusal(proposal):
            return None
        context: dict[str, Any] = {"proposal": proposal, "poll": None}
    else:
        counts = polls.counts_of(poll)
        context = {
            "proposal": proposal,
            "poll": poll,
            "rows": list(zip(poll.options, counts.per_option, strict=True)),
            "voters": counts.voters,
            "question_id": polls.poll_id(poll),
        }
    return render_to_string("federation/poll_panel.html", context, request=request)


@require_POST
@with_community
def poll_publish(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    found = assembly_selectors.assembly_get(community=community, slug=assembly)
    check(request, "assemblies.view_assembly", found)
    proposal = assembly_selectors.proposal_get(assembly=found, pk=pk)
    check(request, "assemblies.view_proposal", proposal)
    check(request, "federation.publish_poll", proposal)
    return post_action(
        request,
        run=lambda: polls.poll_publish(proposal=proposal, by=membership_for(request.user, community)),
        back=proposal.get_absolute_url(),
        message=_("Published: people following this community on the fediverse can answer the poll."),
    )


@require_GET
@vary_on_headers("Accept")
@json_errors
def question(request: HttpRequest, slug: str, poll_uuid: UUID) -> HttpResponse:
    community = community_get(slug=slug)
    check(request, "federation.view_announcement", community)
    poll = polls.poll_get(community=community, uuid=poll_uuid)
    if poll is None:
        return json_response(
            {"detail": "not found", "code": "not_found"}, content_type="application/json", status=404
        )
    if wants_html(request):
        return redirect(poll.proposal.get_absolute_url())
    return json_response({"@context": polls.POLL_CONTEXT, **polls.question_object(poll)})
