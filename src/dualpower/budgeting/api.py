"""API for participatory budgeting: parse → check rule → call service → schema.

Every path is inside one community: /communities/{slug}/budgets/...; a voter sees and changes
only their own ballot, and results (with vote counts) exist only once the vote is counted.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from dualpower.api_tools import AUTH_OPTIONAL, paginate
from dualpower.budgeting import selectors, services
from dualpower.budgeting.models import Ballot, Cycle, Proposal
from dualpower.budgeting.schemas import (
    BallotIn,
    BallotOut,
    BudgetProposalIn,
    BudgetProposalOut,
    CycleIn,
    CycleOut,
    FeasibilityIn,
    IdeaIn,
    IdeaOut,
    ProjectOut,
    ProjectPatch,
    ResultOut,
    UpdateIn,
)
from dualpower.budgeting.services import cycle_import, read_upload
from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.errors import InvalidInput, NotFound
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check

router = Router(tags=["participatory budgeting"])

CYCLES = "/communities/{slug}/budgets"
CYCLE = CYCLES + "/{cycle_slug}"
PROPOSAL = CYCLE + "/proposals/{code}"
UPLOAD = File(...)
RULE_FIELD = Form("")


def _me(request: HttpRequest, community: Community) -> Membership | None:
    return membership_for(request.user, community)


def _cycle(request: HttpRequest, slug: str, cycle_slug: str, perm: str = "budgeting.view_cycle") -> Cycle:
    community = community_get(slug=slug)
    check(request, "budgeting.list_cycles", community)
    cycle = selectors.cycle_get(community=community, slug=cycle_slug)
    check(request, perm, cycle)
    return cycle


def _proposal(request: HttpRequest, slug: str, cycle_slug: str, code: str, perm: str) -> Proposal:
    cycle = _cycle(request, slug, cycle_slug)
    proposal = selectors.proposal_get(cycle=cycle, code=code)
    check(request, perm, proposal if perm == "budgeting.track_implementation" else cycle)
    return proposal


@router.get(CYCLES, response=list[CycleOut], auth=AUTH_OPTIONAL)
@paginate
def cycle_list(request: HttpRequest, slug: str) -> Any:
    community = community_get(slug=slug)
    check(request, "budgeting.list_cycles", community)
    return selectors.cycles_of(community=community).prefetch_related("districts")


@router.post(CYCLES, response={201: CycleOut})
def cycle_create(request: HttpRequest, slug: str, payload: CycleIn) -> Status[Cycle]:
    community = community_get(slug=slug)
    check(request, "budgeting.add_cycle", community)
    data = payload.dict()
    data["districts"] = [(d["name"], d["budget"]) for d in data["districts"]]
    data["categories"] = [(c["name"], c["max_share_percent"]) for c in data["categories"]]
    cycle = services.cycle_create(community=community, by=_me(request, community), **data)
    return Status(201, cycle)


@router.post(CYCLES + "/import", response={201: CycleOut})
def cycle_import_file(
    request: HttpRequest,
    slug: str,
    file: UploadedFile = UPLOAD,
    rule: str = RULE_FIELD,
) -> Status[Cycle]:
    """Import a pabulib .pb file (multipart, field ``file``) as a closed, counted cycle."""
    community = community_get(slug=slug)
    check(request, "budgeting.import_cycle", community)
    election = read_upload(file.read(), file.name or "upload.pb")
    cycle = cycle_import(
        community=community,
        by=_me(request, community),
        election=election,
        name=file.name or "upload.pb",
        rule=rule or None,
    )
    return Status(201, cycle)


@router.get(CYCLE, response=CycleOut, auth=AUTH_OPTIONAL)
def cycle_detail(request: HttpRequest, slug: str, cycle_slug: str) -> Cycle:
    return _cycle(request, slug, cycle_slug)


@router.post(CYCLE + "/advance", response=CycleOut)
def cycle_advance(request: HttpRequest, slug: str, cycle_slug: str) -> Cycle:
    """Move the cycle to its next phase; closing the vote counts it."""
    cycle = _cycle(request, slug, cycle_slug, "budgeting.manage_cycle")
    return services.cycle_advance(cycle=cycle, by=_me(request, cycle.community))


@router.get(CYCLE + "/ideas", response=list[IdeaOut], auth=AUTH_OPTIONAL)
@paginate
def idea_list(request: HttpRequest, slug: str, cycle_slug: str) -> Any:
    return selectors.ideas_of(cycle=_cycle(request, slug, cycle_slug))


@router.post(CYCLE + "/ideas", response={201: IdeaOut})
def idea_submit(request: HttpRequest, slug: str, cycle_slug: str, payload: IdeaIn) -> Status[Any]:
    cycle = _cycle(request, slug, cycle_slug, "budgeting.submit_idea")
    me = _me(request, cycle.community)
    assert me is not None  # the rule admits only members
    return Status(201, services.idea_submit(cycle=cycle, by=me, **payload.dict()))


@router.get(CYCLE + "/proposals", response=list[BudgetProposalOut], auth=AUTH_OPTIONAL)
@paginate
def proposal_list(request: HttpRequest, slug: str, cycle_slug: str) -> Any:
    return selectors.proposals_of(cycle=_cycle(request, slug, cycle_slug))


@router.post(CYCLE + "/proposals", response={201: BudgetProposalOut})
def proposal_create(
    request: HttpRequest, slug: str, cycle_slug: str, payload: BudgetProposalIn
) -> Status[Proposal]:
    cycle = _cycle(request, slug, cycle_slug, "budgeting.develop_proposals")
    data = payload.dict()
    ideas = list(cycle.ideas.filter(pk__in=data.pop("ideas")))
    proposal = services.proposal_create(cycle=cycle, by=_me(request, cycle.community), ideas=ideas, **data)
    return Status(201, proposal)


@router.get(PROPOSAL, response=BudgetProposalOut, auth=AUTH_OPTIONAL)
def proposal_detail(request: HttpRequest, slug: str, cycle_slug: str, code: str) -> Proposal:
    return _proposal(request, slug, cycle_slug, code, "budgeting.view_cycle")


@router.post(PROPOSAL + "/feasibility", response=BudgetProposalOut)
def feasibility(
    request: HttpRequest, slug: str, cycle_slug: str, code: str, payload: FeasibilityIn
) -> Proposal:
    proposal = _proposal(request, slug, cycle_slug, code, "budgeting.review_feasibility")
    return services.feasibility_decide(
        proposal=proposal, by=_me(request, proposal.cycle.community), **payload.dict()
    )


def _area(cycle: Cycle, district: int | None) -> Any:
    try:
        return selectors.district_get(cycle=cycle, pk=district)
    except NotFound:
        raise InvalidInput("Choose one of this cycle's districts.", field="district") from None


@router.get(CYCLE + "/ballots/mine", response=list[BallotOut])
def my_ballots(request: HttpRequest, slug: str, cycle_slug: str) -> list[Ballot]:
    """Your own ballots in this cycle (one per area you voted in). Nobody else's, ever."""
    cycle = _cycle(request, slug, cycle_slug)
    return list(selectors.my_ballots(cycle=cycle, voter=_me(request, cycle.community)).values())


@router.put(CYCLE + "/ballots/mine", response=BallotOut)
def ballot_submit(request: HttpRequest, slug: str, cycle_slug: str, payload: BallotIn) -> Ballot:
    """Cast or replace your ballot in one area (``district``: null for the city-wide ballot)."""
    cycle = _cycle(request, slug, cycle_slug, "budgeting.vote")
    me = _me(request, cycle.community)
    assert me is not None
    choices = [(c.project, c.points) for c in payload.choices]
    ballot = services.ballot_submit(
        cycle=cycle, voter=me, district=_area(cycle, payload.district), choices=choices
    )
    return Ballot.objects.prefetch_related("entries__proposal").get(pk=ballot.pk)


@router.delete(CYCLE + "/ballots/mine", response={204: None})
def ballot_withdraw(
    request: HttpRequest, slug: str, cycle_slug: str, district: int | None = None
) -> Status[None]:
    cycle = _cycle(request, slug, cycle_slug, "budgeting.vote")
    me = _me(request, cycle.community)
    assert me is not None
    services.ballot_withdraw(cycle=cycle, voter=me, district=_area(cycle, district))
    return Status(204, None)


@router.get(CYCLE + "/results", response=list[ResultOut], auth=AUTH_OPTIONAL)
def results(request: HttpRequest, slug: str, cycle_slug: str) -> list[dict[str, Any]]:
    """The counted results per area, with the recount file's hash and command. 403 until counted."""
    community = community_get(slug=slug)
    cycle = selectors.cycle_get(community=community, slug=cycle_slug)
    check(request, "budgeting.view_results", cycle)
    out = []
    for r in selectors.results_of(cycle=cycle):
        area = str(r.district_id) if r.district_id else "citywide"
        url = reverse("budgeting:ballot-file", args=[community.slug, cycle.slug, area])
        out.append(
            {
                **{f: getattr(r, f) for f in ResultOut.model_fields if f != "ballot_file_url"},
                "ballot_file_url": url,
            }
        )
    return out


@router.get(CYCLE + "/implementation", response=list[ProjectOut], auth=AUTH_OPTIONAL)
def implementation(request: HttpRequest, slug: str, cycle_slug: str) -> list[Proposal]:
    community = community_get(slug=slug)
    cycle = selectors.cycle_get(community=community, slug=cycle_slug)
    check(request, "budgeting.view_results", cycle)
    return selectors.funded_projects(cycle=cycle)


@router.patch(PROPOSAL + "/implementation", response=ProjectOut)
def project_update(
    request: HttpRequest, slug: str, cycle_slug: str, code: str, payload: ProjectPatch
) -> Proposal:
    proposal = _proposal(request, slug, cycle_slug, code, "budgeting.track_implementation")
    me = _me(request, proposal.cycle.community)
    if payload.status is not None:
        services.project_status_set(proposal=proposal, by=me, status=payload.status, reason=payload.reason)
    if payload.spent is not None:
        services.project_spending_set(proposal=proposal, by=me, spent=payload.spent)
    return next(p for p in selectors.funded_projects(cycle=proposal.cycle) if p.code == proposal.code)


@router.post(PROPOSAL + "/updates", response={201: ProjectOut})
def progress_update(
    request: HttpRequest, slug: str, cycle_slug: str, code: str, payload: UpdateIn
) -> Status[Proposal]:
    """A progress update in text (photos are added on the project's page)."""
    proposal = _proposal(request, slug, cycle_slug, code, "budgeting.track_implementation")
    services.progress_update_add(
        proposal=proposal, by=_me(request, proposal.cycle.community), text=payload.text
    )
    fresh = next(p for p in selectors.funded_projects(cycle=proposal.cycle) if p.code == proposal.code)
    return Status(201, fresh)
