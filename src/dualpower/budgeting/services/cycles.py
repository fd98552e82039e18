"""Setting up a budgeting cycle and moving it through its phases (the clock job calls these too).

Who may call each verb is decided in rules.py; the services keep the cycle's
invariants (the phase allows it, money is whole and not negative) and write the audit log.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dualpower.budgeting.models import (
    PHASE_ORDER,
    BallotType,
    Category,
    Cycle,
    District,
    Eligibility,
    Phase,
    Proposal,
    Rule,
)
from dualpower.budgeting.services.counts import cycle_count
from dualpower.clean import MAX_AMOUNT, clean_choice, clean_int, clean_int_or_none, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.groups.models import WorkingGroup
from dualpower.members.models import Membership
from dualpower.members.selectors import members_of
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text


def _free_slug(community: Community, title: str) -> str:
    base = slugify(title)[:50] or "budget"
    slug, n = base, 1
    while slug in {"new", "import"} or Cycle.objects.filter(community=community, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _ballot_limits(
    *,
    ballot_type: str,
    rule: str,
    min_choices: int,
    max_choices: int | None,
    max_total_cost: int | None,
    points: int,
) -> None:
    if rule == Rule.PHRAGMEN and ballot_type not in (BallotType.APPROVAL, BallotType.KNAPSACK):
        raise InvalidInput(
            _("Phragmén counts approval ballots only; choose approval or knapsack ballots."), field="rule"
        )
    if max_choices is not None and max_choices < min_choices:
        raise InvalidInput(
            _("The most projects on a ballot cannot be fewer than the fewest."), field="max_choices"
        )
    if ballot_type == BallotType.RANKED and max_choices is None:
        raise InvalidInput(
            _("A ranked ballot needs a number of choices to rank (top K)."), field="max_choices"
        )
    if ballot_type == BallotType.CUMULATIVE and points < 1:
        raise InvalidInput(_("A cumulative ballot needs at least one point to spread."), field="points")


@transaction.atomic
def cycle_create(
    *,
    community: Community,
    by: Membership | None,
    title: str,
    budget: int,
    currency: str = "EUR",
    description: str = "",
    rule: str = Rule.MES,
    tie_break_seed: int = 0,
    count_is_binding: bool = False,
    ballot_type: str = BallotType.APPROVAL,
    min_choices: int = 1,
    max_choices: int | None = None,
    max_total_cost: int | None = None,
    points: int = 10,
    eligibility: str = Eligibility.MEMBERS,
    allow_other_district: bool = False,
    working_group: WorkingGroup | None = None,
    development_from: datetime | None = None,
    feasibility_from: datetime | None = None,
    voting_from: datetime | None = None,
    voting_until: datetime | None = None,
    implementation_from: datetime | None = None,
    districts: list[tuple[str, int]] | None = None,
    categories: list[tuple[str, int | None]] | None = None,
    phase: str = Phase.IDEAS,
    imported_from: str = "",
) -> Cycle:
    """Set up a budgeting cycle: its money, its rule and ballot (shown to voters before they vote)."""
    title = clean_text(
        title,
        field="title",
        label=_("A title"),
        limit=160,
        required=True,
    )
    description = clean_text(
        description,
        field="description",
        label=_("The description"),
        limit=10000,
        required=False,
    )
    budget_amount = clean_int(
        budget,
        field="budget",
        label=_("The budget"),
        low=0,
        high=MAX_AMOUNT,
    )
    currency = clean_text(
        currency,
        field="currency",
        label=_("The currency"),
        limit=3,
        required=True,
    ).upper()
    rule = clean_choice(rule, Rule, field="rule")
    ballot_type = clean_choice(ballot_type, BallotType, field="ballot_type")
    eligibility = clean_choice(eligibility, Eligibility, field="eligibility")
    phase = clean_choice(phase, Phase, field="phase")
    seed = clean_int(
        tie_break_seed,
        field="tie_break_seed",
        label=_("The tie-break seed"),
        low=0,
    )
    low = clean_int(
        min_choices,
        field="min_choices",
        label=_("The fewest projects"),
        low=0,
    )
    high = clean_int_or_none(
        max_choices,
        field="max_choices",
        label=_("The most projects"),
        low=0,
    )
    cap = (
        None
        if max_total_cost in (None, "")
        else clean_int(
            max_total_cost,
            field="max_total_cost",
            label=_("The most a ballot may cost"),
            low=0,
            high=MAX_AMOUNT,
        )
    )
    pts = clean_int(
        points,
        field="points",
        label=_("The points"),
        low=0,
    )
    _ballot_limits(
        ballot_type=ballot_type, rule=rule, min_choices=low, max_choices=high, max_total_cost=cap, points=pts
    )
    dates = [development_from, feasibility_from, voting_from, voting_until, implementation_from]
    given = [d for d in dates if d is not None]
    if given != sorted(given):
        raise InvalidInput(_("The phase dates must come one after another, in order."), field="voting_from")
    if working_group is not None and working_group.community_id != community.pk:
        raise InvalidInput(_("Choose one of this community's working groups."), field="working_group")
    cycle = Cycle.objects.create(
        community=community,
        slug=_free_slug(community, title),
        title=title,
        description=description,
        budget=budget_amount,
        currency=currency,
        rule=rule,
        tie_break_seed=seed,
        count_is_binding=bool(count_is_binding),
        ballot_type=ballot_type,
        min_choices=low,
        max_choices=high,
        max_total_cost=cap,
        points=pts,
        eligibility=eligibility,
        allow_other_district=bool(allow_other_district),
        working_group=working_group,
        development_from=development_from,
        feasibility_from=feasibility_from,
        voting_from=voting_from,
        voting_until=voting_until,
        implementation_from=implementation_from,
        phase=phase,
        imported_from=imported_from,
    )
    for name, amount in districts or []:
        district_add(cycle=cycle, name=name, budget=amount, by=by)
    for name, share in categories or []:
        category_add(cycle=cycle, name=name, max_share_percent=share, by=by)
    audit_record(community=community, actor=by, action="budget.cycle_create", target=cycle, summary=title)
    return cycle


def _before_voting(cycle: Cycle) -> None:
    if cycle.phase_index() >= PHASE_ORDER.index(Phase.VOTING):
        raise Conflict(_("Voting has started: the cycle's money, districts and categories are fixed."))


@transaction.atomic
def district_add(*, cycle: Cycle, name: str, budget: int, by: Membership | None) -> District:
    _before_voting(cycle)
    name = clean_text(
        name,
        field="name",
        label=_("A district's name"),
        limit=120,
        required=True,
    )
    amount = clean_int(
        budget,
        field="budget",
        label=_("The district's budget"),
        low=0,
        high=MAX_AMOUNT,
    )
    if cycle.districts.filter(name__iexact=name).exists():
        raise Conflict(_("This cycle already has a district called “%(name)s”.") % {"name": name})
    district = District.objects.create(cycle=cycle, name=name, budget=amount)
    audit_record(
        community=cycle.community, actor=by, action="budget.district_add", target=cycle, summary=name
    )
    return district


@transaction.atomic
def category_add(
    *, cycle: Cycle, name: str, max_share_percent: int | None, by: Membership | None
) -> Category:
    _before_voting(cycle)
    name = clean_text(
        name,
        field="name",
        label=_("A category's name"),
        limit=120,
        required=True,
    )
    share = clean_int_or_none(
        max_share_percent,
        field="max_share_percent",
        label=_("The limit"),
        low=0,
    )
    if share is not None and share > 100:
        raise InvalidInput(_("A category's limit is a percentage from 0 to 100."), field="max_share_percent")
    if cycle.categories.filter(name__iexact=name).exists():
        raise Conflict(_("This cycle already has a category called “%(name)s”.") % {"name": name})
    category = Category.objects.create(cycle=cycle, name=name, max_share_percent=share)
    audit_record(
        community=cycle.community, actor=by, action="budget.category_add", target=cycle, summary=name
    )
    return category


def _locked(cycle: Cycle) -> Cycle:
    return Cycle.objects.select_for_update(of=("self",)).select_related("community").get(pk=cycle.pk)


@transaction.atomic
def cycle_advance(*, cycle: Cycle, by: Membership | None, to: str | None = None) -> Cycle:
    """Move the cycle to its next phase (phases never go back). Closing the vote counts it."""
    locked = _locked(cycle)
    here = locked.phase_index()
    if here == len(PHASE_ORDER) - 1:
        raise Conflict(_("This cycle is already in its last phase."))
    target = PHASE_ORDER[here + 1] if to is None else clean_choice(to, Phase, field="phase")
    if PHASE_ORDER.index(target) <= here:
        raise Conflict(_("A cycle's phases only move forward."))
    if locked.imported_from:
        raise Conflict(_("An imported cycle is a closed record; its phase does not change."))
    if target == Phase.VOTING or (here < PHASE_ORDER.index(Phase.VOTING) < PHASE_ORDER.index(target)):
        _ready_for_voting(locked)
    if target == Phase.IMPLEMENTATION and not (locked.count_is_binding or locked.adopted_at):
        raise Conflict(
            _("The assembly has not adopted this result yet; implementation waits for its decision.")
        )
    before = locked.phase
    locked.phase = target
    locked.save(update_fields=["phase"])
    audit_record(
        community=locked.community,
        actor=by,
        action="budget.phase",
        target=locked,
        summary=f"{before} → {target}",
        data={"before": before, "after": target},
    )
    if target == Phase.RESULTS:
        cycle_count(cycle=locked, by=by)
    if target in (Phase.VOTING, Phase.RESULTS):
        _tell_members(locked, target)
    return locked


def _ready_for_voting(cycle: Cycle) -> None:
    on_ballot = cycle.proposals.filter(feasibility=Proposal.Feasibility.FEASIBLE)
    if not on_ballot.exists():
        raise Conflict(_("No proposal has been found feasible: there is nothing to vote on yet."))
    if on_ballot.filter(cost__isnull=True).exists():
        raise Conflict(_("Every feasible proposal needs a cost before voting opens."))


def _tell_members(cycle: Cycle, phase: str) -> None:
    members = members_of(community=cycle.community).filter(
        role__in=[Membership.Role.MEMBER, Membership.Role.COORDINATOR]
    )
    if phase == Phase.VOTING:
        title = notice_text(gettext_lazy("Voting is open: %(title)s"), title=cycle.title)
        body = gettext_lazy("Choose the projects the community's budget should fund.")
    else:
        title = notice_text(gettext_lazy("Results: %(title)s"), title=cycle.title)
        body = gettext_lazy("The votes have been counted. See which projects are funded and check the count.")
    notification_send(
        recipients=members,
        community=cycle.community,
        kind=f"budgeting.{phase}",
        title=title,
        body=body,
        url=f"/c/{cycle.community.slug}/budgets/{cycle.slug}/",
    )


def cycles_due(now: datetime) -> list[tuple[Cycle, str]]:
    """The cycles whose next phase has come by its date, with that phase."""
    due: list[tuple[Cycle, str]] = []
    starts: dict[str, str] = {
        Phase.DEVELOPMENT: "development_from",
        Phase.FEASIBILITY: "feasibility_from",
        Phase.VOTING: "voting_from",
        Phase.RESULTS: "voting_until",
        Phase.IMPLEMENTATION: "implementation_from",
    }
    for cycle in (
        Cycle.objects.exclude(phase=Phase.IMPLEMENTATION).filter(imported_from="").select_related("community")
    ):
        nxt = PHASE_ORDER[cycle.phase_index() + 1]
        when = getattr(cycle, starts[nxt])
        if when is not None and when <= now:
            due.append((cycle, nxt))
    return due


def cycles_advance_due(now: datetime) -> str:
    """The clock job's work: advance every cycle whose date has come; a cycle not ready is left and logged."""
    moved, stuck = 0, 0
    for cycle, nxt in cycles_due(now):
        try:
            cycle_advance(cycle=cycle, by=None, to=nxt)
            moved += 1
        except Conflict:
            stuck += 1
    return ngettext(
        "%(moved)d cycle advanced, %(waiting)d waiting",
        "%(moved)d cycles advanced, %(waiting)d waiting",
        moved,
    ) % {"moved": moved, "waiting": stuck}
