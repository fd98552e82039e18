"""API for assemblies: parse → check rule → call service → schema.

Paths live under /communities/{slug}/assemblies/...; an assembly of another community is not
found there. Running results are only given while the policy shows them; secret ballots never
say who voted what.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from dualpower.api_prepared import served_as_prepared
from dualpower.api_tools import AUTH_OPTIONAL, PageOf, paginate
from dualpower.assemblies import selectors, services
from dualpower.assemblies.models import Assembly, Delegation, OutcomeStatement, Proposal
from dualpower.assemblies.schemas import (
    ActionOut,
    AssemblyOut,
    CommentIn,
    CommentOut,
    DelegationIn,
    DelegationOut,
    OptionOut,
    OutcomeOut,
    OutcomeStatementIn,
    OutcomeStatementOut,
    ProposalIn,
    ProposalOut,
    VoteCloseIn,
    VoteIn,
    VoteOut,
    VoteRowOut,
)
from dualpower.community.selectors import community_for_visitor, community_get
from dualpower.errors import InvalidInput, NotFound, PermissionDenied
from dualpower.members import selectors as member_selectors
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web import fragments
from dualpower.web.permissions import check

router = Router(tags=["assemblies"])

ASSEMBLIES = "/communities/{slug}/assemblies"
ASSEMBLY = ASSEMBLIES + "/{assembly_slug}"
PROPOSALS = ASSEMBLY + "/proposals"
PROPOSAL = PROPOSALS + "/{proposal_id}"


def _assembly(request: HttpRequest, slug: str, assembly_slug: str) -> Assembly:
    # The visitor's membership is read with the community (the checks below ask it).
    community = community_for_visitor(slug=slug, user=getattr(request, "user", None))
    check(request, "assemblies.list_assemblies", community)
    assembly = selectors.assembly_get(community=community, slug=assembly_slug)
    check(request, "assemblies.view_assembly", assembly)
    return assembly


def _proposal(request: HttpRequest, slug: str, assembly_slug: str, proposal_id: int) -> Proposal:
    assembly = _assembly(request, slug, assembly_slug)
    proposal = selectors.proposal_get(assembly=assembly, pk=proposal_id)
    check(request, "assemblies.view_proposal", proposal)
    return proposal


def _me(request: HttpRequest, assembly: Assembly) -> Membership | None:
    return membership_for(request.user, assembly.community)


def _shows_counts(proposal: Proposal) -> bool:
    return selectors.results_visible(proposal) and proposal.state == Proposal.State.VOTING


def _out(proposal: Proposal, counts: dict[int, dict[str, int]] | None = None) -> dict[str, Any]:
    """The proposal as the API shows it; ``counts`` are the running counts already fetched for a
    list (``selectors.running_counts_of``), else they are fetched here when shown."""
    running = None
    if _shows_counts(proposal):
        running = counts[proposal.pk] if counts is not None else selectors.running_counts(proposal)
    return {
        **{f: getattr(proposal, f) for f in ProposalOut.model_fields if hasattr(proposal, f)},
        # A page of a list has them read for the whole page (``selectors.ListedProposals``).
        **{part: _part(proposal, part) for part in ("options", "actions")},
        "running_counts": running,
        "url": proposal.get_absolute_url(),
    }


def _part(proposal: Proposal, part: str) -> list[Any]:
    kept = proposal.__dict__.get(f"_dp_{part}")
    return kept if kept is not None else selectors.parts_of(proposal, part)


@router.get(ASSEMBLIES, response=list[AssemblyOut], auth=AUTH_OPTIONAL)
@paginate
def assembly_list(request: HttpRequest, slug: str) -> Any:
    community = community_get(slug=slug)
    check(request, "assemblies.list_assemblies", community)
    return selectors.assemblies_for(community=community)


@router.get(ASSEMBLY, response=AssemblyOut, auth=AUTH_OPTIONAL)
def assembly_detail(request: HttpRequest, slug: str, assembly_slug: str) -> Assembly:
    return _assembly(request, slug, assembly_slug)


@router.patch(ASSEMBLY + "/policy", response={403: dict})
def policy_update(request: HttpRequest, slug: str, assembly_slug: str) -> Any:
    """Refused for everyone: a policy changes only by a decision of its assembly."""
    assembly = _assembly(request, slug, assembly_slug)
    check(request, "assemblies.change_policy", assembly)
    raise PermissionDenied()  # pragma: no cover - the rule above always refuses


# The fields of each shape in its order: a listed proposal is written as the schema would write it.
_PROPOSAL_FIELDS = tuple(ProposalOut.model_fields)
_OPTION_FIELDS = tuple(OptionOut.model_fields)
_ACTION_FIELDS = tuple(ActionOut.model_fields)


def _listed(proposal: Proposal, counts: dict[int, dict[str, int]]) -> dict[str, Any]:
    """``_out`` as ``ProposalOut`` dumps it (options and actions too, every field in its schema's
    order), so the list is served without validating it again (api_prepared); the list's test
    compares the two."""
    out = _out(proposal, counts)
    out["options"] = [{f: getattr(o, f) for f in _OPTION_FIELDS} for o in out["options"]]
    out["actions"] = [{f: getattr(a, f) for f in _ACTION_FIELDS} for a in out["actions"]]
    return {f: out[f] for f in _PROPOSAL_FIELDS}


# The assembly ``_kept_for_readers`` read and checked, left on the request for the list it wraps.
_CHECKED_ASSEMBLY = "_dp_assemblies_assembly"


def _kept_for_readers(func: Callable[..., Any]) -> Callable[..., Any]:
    """The list's JSON kept while the data is unchanged (web.fragments.kept_answer): the same for
    everyone who may see the assembly, so keyed by the assembly, the state asked for and the page.
    The permission checks run on every request. Put it between the router's decorator and
    ``served_as_prepared``."""

    @functools.wraps(func)
    def operation(request: HttpRequest, slug: str, assembly_slug: str, **kwargs: Any) -> Any:
        assembly = _assembly(request, slug, assembly_slug)
        setattr(request, _CHECKED_ASSEMBLY, assembly)
        window = kwargs.get("ninja_pagination")
        return fragments.kept_answer(
            key=(
                "api-proposals",
                assembly.pk,
                kwargs.get("state", ""),
                getattr(window, "limit", None),
                getattr(window, "offset", None),
            ),
            answer=lambda: func(request, slug=slug, assembly_slug=assembly_slug, **kwargs),
        )

    return operation


@router.get(PROPOSALS, response=list[ProposalOut], auth=AUTH_OPTIONAL)
@_kept_for_readers
@served_as_prepared
@paginate
def proposal_list(request: HttpRequest, slug: str, assembly_slug: str, state: str = "") -> Any:
    assembly = getattr(request, _CHECKED_ASSEMBLY, None) or _assembly(request, slug, assembly_slug)
    if state and state not in Proposal.State.values:
        raise InvalidInput(_("Unknown state."), field="state")

    def page(proposals: list[Proposal]) -> list[dict[str, Any]]:
        counts = selectors.running_counts_of(p for p in proposals if _shows_counts(p))
        return [_listed(p, counts) for p in proposals]

    return PageOf(selectors.ListedProposals(assembly, state), page)


@router.post(PROPOSALS, response={201: ProposalOut})
def proposal_create(request: HttpRequest, slug: str, assembly_slug: str, payload: ProposalIn) -> Any:
    assembly = _assembly(request, slug, assembly_slug)
    check(request, "assemblies.propose", assembly)
    data = payload.dict()
    proposal = services.proposal_create(
        assembly=assembly,
        by=_me(request, assembly),
        options=[{k: v for k, v in o.items() if v not in (None, "")} for o in data.pop("options")],
        actions=data.pop("actions"),
        **data,
    )
    return Status(201, _out(selectors.proposal_get(assembly=assembly, pk=proposal.pk)))


@router.get(PROPOSAL, response=ProposalOut, auth=AUTH_OPTIONAL)
def proposal_detail(request: HttpRequest, slug: str, assembly_slug: str, proposal_id: int) -> Any:
    proposal = _proposal(request, slug, assembly_slug, proposal_id)
    if proposal.state == Proposal.State.DRAFT and not request.user.has_perm(
        "assemblies.manage_proposal", proposal
    ):
        raise NotFound(_("There is no such proposal in this assembly."))
    return _out(proposal)


@router.get(PROPOSAL + "/outcome", response=OutcomeOut, auth=AUTH_OPTIONAL)
def outcome_detail(request: HttpRequest, slug: str, assembly_slug: str, proposal_id: int) -> Any:
    proposal = _proposal(request, slug, assembly_slug, proposal_id)
    outcome = getattr(proposal, "outcome", None) if proposal.state == Proposal.State.CLOSED else None
    if outcome is None:
        raise NotFound(_("This proposal has not been decided yet."))
    return outcome


@router.post(PROPOSAL + "/close", response=OutcomeOut)
def proposal_close(
    request: HttpRequest, slug: str, assembly_slug: str, proposal_id: int, payload: VoteCloseIn
) -> Any:
    """Close an open vote early: when everyone eligible has voted (the author or a coordinator), or
    with a reason if the assembly's policy permits early closing (a coordinator). The outcome is
    returned, and its actions have been carried out."""
    proposal = _proposal(request, slug, assembly_slug, proposal_id)
    check(request, "assemblies.close_proposal", proposal)
    return services.proposal_close_early(
        proposal=proposal, by=_me(request, proposal.assembly), reason=payload.reason
    )


def _statement_out(version: OutcomeStatement, current: bool) -> dict[str, Any]:
    return {
        "id": version.pk,
        "text": version.text,
        "author_id": version.author_id,
        "author": version.author.display_name,
        "created_at": version.created_at,
        "current": current,
    }


@router.get(PROPOSAL + "/outcome/statements", response=list[OutcomeStatementOut], auth=AUTH_OPTIONAL)
def outcome_statement_list(request: HttpRequest, slug: str, assembly_slug: str, proposal_id: int) -> Any:
    """Every version of the outcome statement, newest (the one shown) first."""
    proposal = _proposal(request, slug, assembly_slug, proposal_id)
    if proposal.state != Proposal.State.CLOSED:
        raise NotFound(_("This proposal has not been decided yet."))
    versions = selectors.outcome_statements(proposal)
    return [_statement_out(v, current=i == 0) for i, v in enumerate(versions)]


@router.post(PROPOSAL + "/outcome/statements", response={201: OutcomeStatementOut})
def outcome_statement_create(
    request: HttpRequest, slug: str, assembly_slug: str, proposal_id: int, payload: OutcomeStatementIn
) -> Any:
    """Write a new version of the outcome statement (its author or a coordinator, after the vote)."""
    proposal = _proposal(request, slug, assembly_slug, proposal_id)
    check(request, "assemblies.write_outcome", proposal)
    version = services.outcome_statement_write(
        proposal=proposal, by=_me(request, proposal.assembly), text=payload.text
    )
    return Status(201, _statement_out(version, current=True))


@router.get(PROPOSAL + "/votes", response=list[VoteRowOut], auth=AUTH_OPTIONAL)
def vote_list(request: HttpRequest, slug: str, assembly_slug: str, proposal_id: int) -> Any:
    """Who voted what, for open ballots, once results may be seen; never for secret ballots."""
    proposal = _proposal(request, slug, assembly_slug, proposal_id)
    if not selectors.results_visible(proposal):
        return []
    return selectors.vote_rows(proposal)


@router.get(PROPOSAL + "/comments", response=list[CommentOut], auth=AUTH_OPTIONAL)
def comment_list(request: HttpRequest, slug: str, assembly_slug: str, proposal_id: int) -> Any:
    proposal = _proposal(request, slug, assembly_slug, proposal_id)
    return [
        {
            "id": c.pk,
            "author_id": c.author_id,
            "author": c.author.display_name,
            "body": c.body,
            "created_at": c.created_at,
        }
        for c in proposal.comments.select_related("author")
    ]


@router.post(PROPOSAL + "/comments", response={201: CommentOut})
def comment_create(
    request: HttpRequest, slug: str, assembly_slug: str, proposal_id: int, payload: CommentIn
) -> Any:
    proposal = _proposal(request, slug, assembly_slug, proposal_id)
    check(request, "assemblies.comment", proposal)
    c = services.comment_add(proposal=proposal, by=_me(request, proposal.assembly), body=payload.body)
    return Status(
        201,
        {
            "id": c.pk,
            "author_id": c.author_id,
            "author": c.author.display_name,
            "body": c.body,
            "created_at": c.created_at,
        },
    )


@router.get(PROPOSAL + "/vote", response=VoteOut)
def my_vote(request: HttpRequest, slug: str, assembly_slug: str, proposal_id: int) -> Any:
    proposal = _proposal(request, slug, assembly_slug, proposal_id)
    me = _me(request, proposal.assembly)
    vote = selectors.my_vote(proposal, me)
    if vote is None:
        return {"voted": selectors.has_voted(proposal, me), "secret": proposal.is_secret}
    return {"voted": True, "position": vote.position, "choices": vote.choices, "reason": vote.reason}


@router.put(PROPOSAL + "/vote", response=VoteOut)
def vote_put(request: HttpRequest, slug: str, assembly_slug: str, proposal_id: int, payload: VoteIn) -> Any:
    """Cast or change your vote (a second vote replaces the first)."""
    proposal = _proposal(request, slug, assembly_slug, proposal_id)
    check(request, "assemblies.vote", proposal)
    cast = services.vote_cast(
        proposal=proposal,
        by=_me(request, proposal.assembly),
        position=payload.position,
        choices=payload.choices,
        reason=payload.reason,
        receipt=payload.receipt,
    )
    if cast.vote is None:
        # The ballot as cast, to its voter, once: afterwards nothing links it to them.
        return {"voted": True, "secret": True, "receipt": cast.receipt, "choices": cast.choices}
    v = cast.vote
    return {"voted": True, "position": v.position, "choices": v.choices, "reason": v.reason}


@router.delete(PROPOSAL + "/vote", response={204: None})
def vote_delete(request: HttpRequest, slug: str, assembly_slug: str, proposal_id: int) -> Any:
    proposal = _proposal(request, slug, assembly_slug, proposal_id)
    check(request, "assemblies.vote", proposal)
    services.vote_retract(proposal=proposal, by=_me(request, proposal.assembly))
    return Status(204, None)


@router.post(ASSEMBLY + "/delegations", response={201: DelegationOut})
def delegation_create(request: HttpRequest, slug: str, assembly_slug: str, payload: DelegationIn) -> Any:
    assembly = _assembly(request, slug, assembly_slug)
    check(request, "assemblies.delegate", assembly)
    target = member_selectors.membership_find(community=assembly.community, pk=payload.delegate)
    if target is None:
        raise InvalidInput(_("There is no such member here."), field="delegate")
    proposal = None
    if payload.proposal is not None:
        proposal = selectors.proposal_get(assembly=assembly, pk=payload.proposal)
    d = services.delegation_set(
        assembly=assembly, by=_me(request, assembly), delegate=target, topic=payload.topic, proposal=proposal
    )
    return Status(201, d)


@router.get(ASSEMBLY + "/delegations", response=list[DelegationOut])
def delegation_list(request: HttpRequest, slug: str, assembly_slug: str) -> Any:
    assembly = _assembly(request, slug, assembly_slug)
    return list(selectors.delegations_of(assembly=assembly, membership=_me(request, assembly)))


@router.delete(ASSEMBLY + "/delegations/{delegation_id}", response={204: None})
def delegation_delete(request: HttpRequest, slug: str, assembly_slug: str, delegation_id: int) -> Any:
    assembly = _assembly(request, slug, assembly_slug)
    found = Delegation.objects.filter(assembly=assembly, pk=delegation_id).first()
    if found is None:
        raise NotFound(_("There is no such delegation."))
    services.delegation_remove(delegation=found, by=_me(request, assembly))
    return Status(204, None)
