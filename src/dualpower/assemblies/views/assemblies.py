"""Pages for assemblies themselves: the list, an assembly's page and its policy."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from dualpower.assemblies import bodies, builtin_actions, processes, selectors, services
from dualpower.assemblies.forms import LONG_LIST
from dualpower.assemblies.models import Assembly, Policy, Proposal
from dualpower.assemblies.views._common import _assembly
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.fragments import Later
from dualpower.web.pages import PER_PAGE, Page, page_number, page_of
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
    """An assembly's page. Every list on it is bounded, whatever the assembly's size: the open
    proposals a page at a time (``?voting=``, ``?discussion=``), the people one may delegate to
    through a search (``?find=``) that shows at most ``LONG_LIST`` names."""
    a = _assembly(request, community, assembly)
    me = membership_for(request.user, community)
    can_delegate = me is not None and request.user.has_perm("assemblies.delegate", a)
    find = request.GET.get("find", "").strip()[:80] if can_delegate else ""
    others: list[Membership] = []
    if can_delegate:
        others = selectors.voters_named(assembly=a, find=find, exclude=me, limit=LONG_LIST + 1)
    voting, discussion = request.GET.get("voting"), request.GET.get("discussion")
    # What is the same for every visitor (the lists, the counts) is read only when the page's kept
    # fragment is not (templates/assemblies/detail.html): its key is the assembly, the pages of
    # its two lists and whether the visitor may put a proposal forward.
    return render(
        request,
        "assemblies/detail.html",
        {
            "assembly": a,
            "pages": (page_number(voting), page_number(discussion)),
            "voting": Later(_open, a, "voting", voting),
            "discussion": Later(_open, a, "discussion", discussion),
            "amendment_votes": Later(selectors.open_page, assembly=a, kind="amendment_votes", limit=PER_PAGE),
            "decided": Later(selectors.decided_page, assembly=a),
            "drafts": selectors.drafts_page(assembly=a, membership=me, limit=PER_PAGE),
            "meetings": Later(selectors.next_meetings, a),
            "voters": Later(selectors.voters_count, a),
            "is_voter": bodies.is_voter(a, me),
            "can_propose": request.user.has_perm("assemblies.propose", a),
            # As has_perm answers (true for a superuser without a membership, who has no one to pick).
            "can_delegate": can_delegate
            if me is not None
            else request.user.has_perm("assemblies.delegate", a),
            # Shown only to whoever may delegate: read only then.
            "delegations": Later(selectors.delegations_list, assembly=a, membership=me),
            "others": others[:LONG_LIST],
            "more_others": len(others) > LONG_LIST,
            "find": find,
            "long_list": LONG_LIST,
            "process": Later(processes.get, a.policy.default_process),
        },
    )


def _open(assembly: Assembly, kind: str, raw: str | None) -> Page[Proposal]:
    """Page ``raw`` of the open proposals of ``kind``, read in one query (web.pages)."""
    return page_of(
        lambda limit, offset: selectors.open_page(assembly=assembly, kind=kind, limit=limit, offset=offset),
        raw=raw,
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
