"""Ideas and proposals: collecting ideas, merging them into costed proposals, the feasibility review."""

from __future__ import annotations

from typing import TypedDict, Unpack

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.budgeting.models import Category, Cycle, District, Idea, Phase, Proposal
from dualpower.budgeting.services._common import require_phase
from dualpower.clean import MAX_AMOUNT, clean_int, clean_text
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.models import Membership


def _district(cycle: Cycle, district: District | int | str | None) -> District | None:
    if district in (None, ""):
        return None
    if isinstance(district, District):
        found = district if district.cycle_id == cycle.pk else None
    else:
        found = cycle.districts.filter(pk=int(district) if str(district).isdigit() else 0).first()
    if found is None:
        raise InvalidInput(_("Choose one of this cycle's districts."), field="district")
    return found


@transaction.atomic
def idea_submit(
    *,
    cycle: Cycle,
    by: Membership,
    title: str,
    description: str = "",
    district: District | int | str | None = None,  # a form's choice is the district's id as text
) -> Idea:
    require_phase(cycle, Phase.IDEAS)
    idea = Idea.objects.create(
        cycle=cycle,
        district=_district(cycle, district),
        title=clean_text(
            title,
            field="title",
            label=_("A title"),
            limit=200,
            required=True,
        ),
        description=clean_text(
            description,
            field="description",
            label=_("The description"),
            limit=5000,
            required=False,
        ),
        author=by,
    )
    audit_record(
        community=cycle.community, actor=by, action="budget.idea_submit", target=idea, summary=idea.title
    )
    return idea


def _next_code(cycle: Cycle) -> str:
    taken = set(cycle.proposals.values_list("code", flat=True))
    n = len(taken) + 1
    while str(n) in taken:
        n += 1
    return str(n)


def _coordinate(value: int | str | None, *, field: str, limit: int) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not str(value).strip().lstrip("-").isdigit():
        raise InvalidInput(_("A coordinate is a whole number of millionths of a degree."), field=field)
    signed = int(str(value).strip())
    if abs(signed) > limit * 1_000_000:
        raise InvalidInput(_("This coordinate is outside the map."), field=field)
    return signed


@transaction.atomic
def proposal_create(
    *,
    cycle: Cycle,
    by: Membership | None,
    title: str,
    description: str = "",
    cost: int | None = None,
    district: District | int | None = None,
    category: Category | None = None,
    ideas: list[Idea] | None = None,
    latitude_e6: int | None = None,
    longitude_e6: int | None = None,
    code: str = "",
) -> Proposal:
    """Develop a proposal, merging ideas into it; volunteers cost it while it is being developed."""
    if not cycle.imported_from:
        require_phase(cycle, Phase.IDEAS, Phase.DEVELOPMENT)
    if category is not None and category.cycle_id != cycle.pk:
        raise InvalidInput(_("Choose one of this cycle's categories."), field="category")
    code = clean_text(
        code,
        field="code",
        label=_("A code"),
        limit=40,
        required=False,
    ) or _next_code(cycle)
    if cycle.proposals.filter(code=code).exists():
        raise Conflict(_("This cycle already has a proposal numbered %(code)s.") % {"code": code})
    proposal = Proposal.objects.create(
        cycle=cycle,
        district=_district(cycle, district),
        category=category,
        code=code,
        title=clean_text(
            title,
            field="title",
            label=_("A title"),
            limit=200,
            required=True,
        ),
        description=clean_text(
            description,
            field="description",
            label=_("The description"),
            limit=10000,
            required=False,
        ),
        cost=None
        if cost in (None, "")
        else clean_int(
            cost,
            field="cost",
            label=_("The cost"),
            low=0,
            high=MAX_AMOUNT,
        ),
        latitude_e6=_coordinate(latitude_e6, field="latitude_e6", limit=90),
        longitude_e6=_coordinate(longitude_e6, field="longitude_e6", limit=180),
        created_by=by,
    )
    for idea in ideas or []:
        if idea.cycle_id != cycle.pk:
            raise InvalidInput(_("Only this cycle's ideas can be merged into its proposals."), field="ideas")
        idea.merged_into = proposal
        idea.save(update_fields=["merged_into"])
    audit_record(
        community=cycle.community,
        actor=by,
        action="budget.proposal_create",
        target=proposal,
        summary=proposal.title,
    )
    return proposal


class ProposalChanges(TypedDict, total=False):
    """What ``proposal_update`` may change; coordinates are millionths of a degree."""

    title: str
    description: str
    cost: int | None
    latitude_e6: int | None
    longitude_e6: int | None


@transaction.atomic
def proposal_update(
    *, proposal: Proposal, by: Membership | None, **changes: Unpack[ProposalChanges]
) -> Proposal:
    """Edit or cost a proposal while proposals are being developed."""
    cycle = proposal.cycle
    require_phase(cycle, Phase.IDEAS, Phase.DEVELOPMENT)
    allowed = {"title", "description", "cost", "latitude_e6", "longitude_e6"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "title" in changes:
        proposal.title = clean_text(
            changes["title"],
            field="title",
            label=_("A title"),
            limit=200,
            required=True,
        )
    if "description" in changes:
        proposal.description = clean_text(
            changes["description"],
            field="description",
            label=_("The description"),
            limit=10000,
            required=False,
        )
    if "cost" in changes:
        proposal.cost = (
            None
            if changes["cost"] in (None, "")
            else clean_int(
                changes["cost"],
                field="cost",
                label=_("The cost"),
                low=0,
                high=MAX_AMOUNT,
            )
        )
    if "latitude_e6" in changes:
        proposal.latitude_e6 = _coordinate(changes["latitude_e6"], field="latitude_e6", limit=90)
    if "longitude_e6" in changes:
        proposal.longitude_e6 = _coordinate(changes["longitude_e6"], field="longitude_e6", limit=180)
    proposal.save()
    audit_record(
        community=cycle.community,
        actor=by,
        action="budget.proposal_update",
        target=proposal,
        summary=proposal.title,
        data={k: v for k, v in changes.items() if k in allowed and k != "description"},
    )
    return proposal


@transaction.atomic
def idea_merge(*, idea: Idea, proposal: Proposal, by: Membership | None) -> Idea:
    require_phase(proposal.cycle, Phase.IDEAS, Phase.DEVELOPMENT)
    if idea.cycle_id != proposal.cycle_id:
        raise InvalidInput(_("Only this cycle's ideas can be merged into its proposals."), field="idea")
    idea.merged_into = proposal
    idea.save(update_fields=["merged_into"])
    audit_record(
        community=proposal.cycle.community,
        actor=by,
        action="budget.idea_merge",
        target=proposal,
        summary=idea.title,
    )
    return idea


@transaction.atomic
def feasibility_decide(
    *, proposal: Proposal, by: Membership | None, feasible: bool, reason: str = ""
) -> Proposal:
    """The working group's verdict, with a public reason (required when a proposal is refused)."""
    require_phase(proposal.cycle, Phase.FEASIBILITY)
    reason = clean_text(
        reason,
        field="reason",
        label=_("The reason"),
        limit=5000,
        required=not feasible,
    )
    if feasible and proposal.cost is None:
        raise Conflict(_("A proposal needs a cost before it can be found feasible."))
    proposal.feasibility = Proposal.Feasibility.FEASIBLE if feasible else Proposal.Feasibility.NOT_FEASIBLE
    proposal.feasibility_reason = reason
    proposal.save(update_fields=["feasibility", "feasibility_reason"])
    audit_record(
        community=proposal.cycle.community,
        actor=by,
        action="budget.feasibility",
        target=proposal,
        summary=f"{proposal.title}: {proposal.feasibility}",
        data={"feasible": feasible, "reason": reason},
    )
    return proposal
