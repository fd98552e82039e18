"""Every write about a budgeting cycle except ballots and counting (voting.py, counting.py).

Setting a cycle up, moving it through its phases, ideas, proposals, feasibility review and
implementation tracking. Who may call each verb is decided in rules.py; the services keep the
cycle's invariants (the phase allows it, money is whole and not negative) and write the audit log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dualpower.budgeting.models import (
    PHASE_ORDER,
    BallotType,
    Category,
    Cycle,
    District,
    Eligibility,
    Idea,
    Phase,
    ProgressUpdate,
    Proposal,
    Rule,
)
from dualpower.errors import Conflict, InvalidInput
from dualpower.groups.models import WorkingGroup
from dualpower.members.models import Membership
from dualpower.node.models import Community
from dualpower.node.services import audit_record

MAX_MONEY = 10**15  # a sanity bound: no budget in cents is larger
PHOTO_TYPES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n", "image/webp": b"RIFF"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def clean_money(value: Any, *, field: str, what: str) -> int:
    """A whole, non-negative amount in cents (bools and floats are refused: money is never a float)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput(_("%(what)s must be a whole number of cents.") % {"what": what}, field=field)
    try:
        amount = int(str(value).strip())
    except ValueError:
        raise InvalidInput(
            _("%(what)s must be a whole number of cents.") % {"what": what}, field=field
        ) from None
    if amount < 0 or amount > MAX_MONEY:
        raise InvalidInput(_("%(what)s cannot be negative or absurdly large.") % {"what": what}, field=field)
    return amount


def _text(value: Any, *, field: str, what: str, max_length: int, required: bool = True) -> str:
    text = str(value if value is not None else "").strip()
    if required and not text:
        raise InvalidInput(_("%(what)s is needed.") % {"what": what}, field=field)
    if len(text) > max_length:
        raise InvalidInput(
            _("%(what)s has at most %(n)d characters.") % {"what": what, "n": max_length}, field=field
        )
    return text


def _choice(value: Any, choices: Any, *, field: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise InvalidInput(_("Choose one of: %(allowed)s.") % {"allowed": allowed}, field=field)
    return str(value)


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


def _int(value: Any, *, field: str, what: str, allow_none: bool = False) -> int | None:
    if value in (None, "") and allow_none:
        return None
    if isinstance(value, bool):
        raise InvalidInput(_("%(what)s must be a whole number.") % {"what": what}, field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("%(what)s must be a whole number.") % {"what": what}, field=field) from None
    if number < 0:
        raise InvalidInput(_("%(what)s cannot be negative.") % {"what": what}, field=field)
    return number


@transaction.atomic
def cycle_create(
    *,
    community: Community,
    by: Membership | None,
    title: str,
    budget: Any,
    currency: str = "EUR",
    description: str = "",
    rule: str = Rule.MES,
    tie_break_seed: Any = 0,
    count_is_binding: bool = False,
    ballot_type: str = BallotType.APPROVAL,
    min_choices: Any = 1,
    max_choices: Any = None,
    max_total_cost: Any = None,
    points: Any = 10,
    eligibility: str = Eligibility.MEMBERS,
    allow_other_district: bool = False,
    working_group: WorkingGroup | None = None,
    development_from: datetime | None = None,
    feasibility_from: datetime | None = None,
    voting_from: datetime | None = None,
    voting_until: datetime | None = None,
    implementation_from: datetime | None = None,
    districts: list[tuple[str, Any]] | None = None,
    categories: list[tuple[str, Any]] | None = None,
    phase: str = Phase.IDEAS,
    imported_from: str = "",
) -> Cycle:
    """Set up a budgeting cycle: its money, its rule and ballot (shown to voters before they vote)."""
    title = _text(title, field="title", what=_("A title"), max_length=160)
    description = _text(
        description, field="description", what=_("The description"), max_length=10000, required=False
    )
    budget_amount = clean_money(budget, field="budget", what=_("The budget"))
    currency = _text(currency, field="currency", what=_("The currency"), max_length=3).upper()
    rule = _choice(rule, Rule, field="rule")
    ballot_type = _choice(ballot_type, BallotType, field="ballot_type")
    eligibility = _choice(eligibility, Eligibility, field="eligibility")
    phase = _choice(phase, Phase, field="phase")
    seed = _int(tie_break_seed, field="tie_break_seed", what=_("The tie-break seed"))
    low = _int(min_choices, field="min_choices", what=_("The fewest projects"))
    high = _int(max_choices, field="max_choices", what=_("The most projects"), allow_none=True)
    cap = (
        None
        if max_total_cost in (None, "")
        else clean_money(max_total_cost, field="max_total_cost", what=_("The most a ballot may cost"))
    )
    pts = _int(points, field="points", what=_("The points"))
    assert seed is not None and low is not None and pts is not None
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
def district_add(*, cycle: Cycle, name: str, budget: Any, by: Membership | None) -> District:
    _before_voting(cycle)
    name = _text(name, field="name", what=_("A district's name"), max_length=120)
    amount = clean_money(budget, field="budget", what=_("The district's budget"))
    if cycle.districts.filter(name__iexact=name).exists():
        raise Conflict(_("This cycle already has a district called “%(name)s”.") % {"name": name})
    district = District.objects.create(cycle=cycle, name=name, budget=amount)
    audit_record(
        community=cycle.community, actor=by, action="budget.district_add", target=cycle, summary=name
    )
    return district


@transaction.atomic
def category_add(*, cycle: Cycle, name: str, max_share_percent: Any, by: Membership | None) -> Category:
    _before_voting(cycle)
    name = _text(name, field="name", what=_("A category's name"), max_length=120)
    share = _int(max_share_percent, field="max_share_percent", what=_("The limit"), allow_none=True)
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
    return Cycle.objects.select_for_update().select_related("community").get(pk=cycle.pk)


@transaction.atomic
def cycle_advance(*, cycle: Cycle, by: Membership | None, to: str | None = None) -> Cycle:
    """Move the cycle to its next phase (phases never go back). Closing the vote counts it."""
    locked = _locked(cycle)
    here = locked.phase_index()
    if here == len(PHASE_ORDER) - 1:
        raise Conflict(_("This cycle is already in its last phase."))
    target = PHASE_ORDER[here + 1] if to is None else _choice(to, Phase, field="phase")
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
        from dualpower.budgeting.counting import cycle_count

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
    from dualpower.notifications.services import notification_send

    members = Membership.objects.filter(
        community=cycle.community,
        status=Membership.Status.ACTIVE,
        role__in=[Membership.Role.MEMBER, Membership.Role.COORDINATOR],
    )
    if phase == Phase.VOTING:
        title = _("Voting is open: %(title)s") % {"title": cycle.title}
        body = _("Choose the projects the community's budget should fund.")
    else:
        title = _("Results: %(title)s") % {"title": cycle.title}
        body = _("The votes have been counted. See which projects are funded and check the count.")
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
    starts = {
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
    return f"{moved} cycle(s) advanced, {stuck} waiting"


# Ideas and proposals -------------------------------------------------------------------------


def _phase(cycle: Cycle, *phases: str) -> None:
    # Read the phase from the database: the object in hand may predate a move to the next phase.
    cycle.phase = Cycle.objects.filter(pk=cycle.pk).values_list("phase", flat=True).get()
    if cycle.phase not in phases:
        names = ", ".join(str(Phase(p).label) for p in phases)
        raise Conflict(_("This can only be done during: %(phases)s.") % {"phases": names})


def _district(cycle: Cycle, district: Any) -> District | None:
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
    *, cycle: Cycle, by: Membership, title: str, description: str = "", district: Any = None
) -> Idea:
    _phase(cycle, Phase.IDEAS)
    idea = Idea.objects.create(
        cycle=cycle,
        district=_district(cycle, district),
        title=_text(title, field="title", what=_("A title"), max_length=200),
        description=_text(
            description, field="description", what=_("The description"), max_length=5000, required=False
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


def _coordinate(value: Any, *, field: str, limit: int) -> int | None:
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
    cost: Any = None,
    district: Any = None,
    category: Category | None = None,
    ideas: list[Idea] | None = None,
    latitude_e6: Any = None,
    longitude_e6: Any = None,
    code: str = "",
) -> Proposal:
    """Develop a proposal, merging ideas into it; volunteers cost it while it is being developed."""
    if not cycle.imported_from:
        _phase(cycle, Phase.IDEAS, Phase.DEVELOPMENT)
    if category is not None and category.cycle_id != cycle.pk:
        raise InvalidInput(_("Choose one of this cycle's categories."), field="category")
    code = _text(code, field="code", what=_("A code"), max_length=40, required=False) or _next_code(cycle)
    if cycle.proposals.filter(code=code).exists():
        raise Conflict(_("This cycle already has a proposal numbered %(code)s.") % {"code": code})
    proposal = Proposal.objects.create(
        cycle=cycle,
        district=_district(cycle, district),
        category=category,
        code=code,
        title=_text(title, field="title", what=_("A title"), max_length=200),
        description=_text(
            description, field="description", what=_("The description"), max_length=10000, required=False
        ),
        cost=None if cost in (None, "") else clean_money(cost, field="cost", what=_("The cost")),
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


@transaction.atomic
def proposal_update(*, proposal: Proposal, by: Membership | None, **changes: Any) -> Proposal:
    """Edit or cost a proposal while proposals are being developed."""
    cycle = proposal.cycle
    _phase(cycle, Phase.IDEAS, Phase.DEVELOPMENT)
    allowed = {"title", "description", "cost", "latitude_e6", "longitude_e6"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "title" in changes:
        proposal.title = _text(changes["title"], field="title", what=_("A title"), max_length=200)
    if "description" in changes:
        proposal.description = _text(
            changes["description"],
            field="description",
            what=_("The description"),
            max_length=10000,
            required=False,
        )
    if "cost" in changes:
        proposal.cost = (
            None
            if changes["cost"] in (None, "")
            else clean_money(changes["cost"], field="cost", what=_("The cost"))
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
    _phase(proposal.cycle, Phase.IDEAS, Phase.DEVELOPMENT)
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
    _phase(proposal.cycle, Phase.FEASIBILITY)
    reason = _text(reason, field="reason", what=_("The reason"), max_length=5000, required=not feasible)
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


# Implementation -----------------------------------------------------------------------------


def _funded(proposal: Proposal) -> None:
    from dualpower.budgeting.selectors import funded_codes

    if proposal.code not in funded_codes(cycle=proposal.cycle):
        raise Conflict(_("Only funded projects are tracked through implementation."))


@transaction.atomic
def project_status_set(
    *, proposal: Proposal, by: Membership | None, status: str, reason: str = ""
) -> Proposal:
    _phase(proposal.cycle, Phase.IMPLEMENTATION)
    _funded(proposal)
    status = _choice(status, Proposal.Status, field="status")
    reason = _text(
        reason,
        field="reason",
        what=_("The reason"),
        max_length=5000,
        required=status == Proposal.Status.ABANDONED,
    )
    proposal.status = status
    proposal.abandoned_reason = reason if status == Proposal.Status.ABANDONED else ""
    proposal.save(update_fields=["status", "abandoned_reason"])
    audit_record(
        community=proposal.cycle.community,
        actor=by,
        action="budget.project_status",
        target=proposal,
        summary=f"{proposal.title}: {status}",
        data={"status": status, "reason": reason},
    )
    return proposal


@transaction.atomic
def project_spending_set(*, proposal: Proposal, by: Membership | None, spent: Any) -> Proposal:
    _phase(proposal.cycle, Phase.IMPLEMENTATION)
    _funded(proposal)
    before = proposal.spent
    proposal.spent = clean_money(spent, field="spent", what=_("The money spent"))
    proposal.save(update_fields=["spent"])
    audit_record(
        community=proposal.cycle.community,
        actor=by,
        action="budget.project_spent",
        target=proposal,
        summary=proposal.title,
        data={"before": before, "after": proposal.spent},
    )
    return proposal


@transaction.atomic
def project_group_set(*, proposal: Proposal, by: Membership | None, group: WorkingGroup | None) -> Proposal:
    _funded(proposal)
    if group is not None and group.community_id != proposal.cycle.community_id:
        raise InvalidInput(_("Choose one of this community's working groups."), field="group")
    proposal.responsible_group = group
    proposal.save(update_fields=["responsible_group"])
    audit_record(
        community=proposal.cycle.community,
        actor=by,
        action="budget.project_group",
        target=proposal,
        summary=proposal.title,
        data={"group": group.pk if group else None},
    )
    return proposal


def _check_photo(photo: Any) -> None:
    if photo is None:
        return
    size = getattr(photo, "size", 0) or 0
    if size > PHOTO_MAX_BYTES:
        raise InvalidInput(_("A photo can be at most 5 MB."), field="photo")
    head = photo.read(12)
    photo.seek(0)
    # Judge the file by its first bytes, not by the name or type the browser claims.
    if not any(head.startswith(magic) for magic in PHOTO_TYPES.values()):
        raise InvalidInput(_("A photo must be a JPEG, PNG or WebP image."), field="photo")
    if head.startswith(b"RIFF") and head[8:12] != b"WEBP":
        raise InvalidInput(_("A photo must be a JPEG, PNG or WebP image."), field="photo")


@transaction.atomic
def progress_update_add(
    *, proposal: Proposal, by: Membership | None, text: str, photo: Any = None
) -> ProgressUpdate:
    _phase(proposal.cycle, Phase.IMPLEMENTATION)
    _funded(proposal)
    text = _text(text, field="text", what=_("The update"), max_length=5000)
    _check_photo(photo)
    update = ProgressUpdate(proposal=proposal, text=text, author=by)
    if photo is not None:
        update.photo.save(getattr(photo, "name", "photo") or "photo", photo, save=False)
    update.save()
    audit_record(
        community=proposal.cycle.community,
        actor=by,
        action="budget.progress_update",
        target=proposal,
        summary=proposal.title,
    )
    return update


@transaction.atomic
def result_adopt(*, cycle: Cycle, decision_ref: str, when: datetime | None = None) -> Cycle:
    """The assembly adopted the result: record it, and move the cycle to implementation."""
    locked = _locked(cycle)
    if not locked.is_counted:
        raise Conflict(_("This cycle has not been counted yet; there is no result to adopt."))
    if locked.adopted_at is not None:
        raise Conflict(_("This result has already been adopted."))
    locked.adopted_at = when or timezone.now()
    locked.adopted_ref = decision_ref
    locked.phase = Phase.IMPLEMENTATION
    locked.save(update_fields=["adopted_at", "adopted_ref", "phase"])
    audit_record(
        community=locked.community,
        actor=None,
        action="budget.adopt",
        target=locked,
        summary=locked.title,
        decision_ref=decision_ref,
    )
    return locked
