"""Pages for assemblies themselves: the list, an assembly's page and its policy."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from dualpower.assemblies import bodies, builtin_actions, processes, selectors, services
from dualpower.assemblies.models import Policy, Proposal
from dualpower.assemblies.views._common import _assembly
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD"])
@with_community
def assembly_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "assemblies.list_assemblies", community)
    if not community.assemblies.exists():
        services.general_assembly_for(community)  # every community has one, made on first visit
    me = membership_for(request.user, community)
    counted = selectors.assemblies_with_open_counts(community=community)
    votes_in = bodies.voting_in([a for a, _open in counted], me)
    rows = [{"assembly": a, "open": n, "votes": a.pk in votes_in} for a, n in counted]
    waiting = selectors.votes_waiting_for(community=community, membership=me) if me else []
    return render(request, "assemblies/list.html", {"rows": rows, "waiting": waiting})


@require_http_methods(["GET", "HEAD"])
@with_community
def assembly_detail(request: HttpRequest, community: Community, assembly: str) -> HttpResponse:
    a = _assembly(request, community, assembly)
    me = membership_for(request.user, community)
    open_now = list(selectors.proposals_open(assembly=a))
    return render(
        request,
        "assemblies/detail.html",
        {
            "assembly": a,
            "voting": [p for p in open_now if p.state == Proposal.State.VOTING and not p.amends_id],
            "discussion": [p for p in open_now if p.state == Proposal.State.DISCUSSION],
            "amendment_votes": [p for p in open_now if p.state == Proposal.State.VOTING and p.amends_id],
            "decided": list(selectors.proposals_decided(assembly=a)),
            "drafts": list(selectors.drafts_of(assembly=a, membership=me)),
            "meetings": selectors.next_meetings(a),
            "voters": selectors.voters_count(a),
            "is_voter": bodies.is_voter(a, me),
            "can_propose": request.user.has_perm("assemblies.propose", a),
            "can_delegate": request.user.has_perm("assemblies.delegate", a),
            "delegations": list(selectors.delegations_of(assembly=a, membership=me)),
            "others": bodies.voters_of(a).exclude(pk=me.pk).order_by("display_name")
            if me is not None and request.user.has_perm("assemblies.delegate", a)
            else [],
            "process": processes.get(a.policy.default_process),
        },
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def policy_page(request: HttpRequest, community: Community, assembly: str) -> HttpResponse:
    a = _assembly(request, community, assembly)
    policy = a.policy
    rows = [
        (Policy.setting(name).verbose_name, _display(policy, name))
        for name in (
            "default_process",
            "quorum",
            "supermajority",
            "discussion_days",
            "voting_days",
            "secret_ballots",
            "results_hidden_until_close",
            "who_may_propose",
            "liquid_delegation",
            "early_close",
        )
    ]
    return render(
        request,
        "assemblies/policy.html",
        {
            "assembly": a,
            "rows": rows,
            "processes": processes.PROCESSES.values(),
            "can_propose": request.user.has_perm("assemblies.propose", a),
        },
    )


def _display(policy: Policy, name: str) -> str:
    return builtin_actions.setting_words(name, getattr(policy, name))
