"""The waitlist and the allocation of vacant homes by the trust's published method.

1. A coordinator announces the seed for a vacant home's draw; it is published (and the waiting
   households told) before any draw. Only households on the waitlist before the announcement take
   part, so nobody can join knowing the seed.
2. The draw ranks them with core.economy.rank_waitlist: the home's household-size requirement, the
   published priority points, then the lottery key SHA-256(seed + "\\n" + applicant id). Everything it
   used is stored with the result, so anyone can replay it (``allocation_replay``).
3. The first household ranked is proposed; the allocation is adopted by a decision of the assembly
   (action "land.allocate_home") or, if the trust's settings allow it, by a coordinator.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.core.economy import (
    Applicant,
    Criterion,
    Requirement,
    WaitlistRanking,
    full_years,
    rank_waitlist,
)
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.land.models import Allocation, Home, WaitlistApplication
from dualpower.land.services.trust import COMPUTED_FACTS, criteria_of, settings_for
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send

SEED_MAX = 200
WAITING = WaitlistApplication.Status.WAITING
# Where the method lives, shown on the allocation page so anyone can read the code that ranked.
METHOD_PATH = "dualpower.core.economy.waitlist.rank_waitlist"


def _facts(community: Community, facts: object) -> dict[str, int]:
    if not isinstance(facts, dict):
        raise InvalidInput(_("The answers must be an object."), field="facts")
    asked = {c.key: c for c in criteria_of(settings_for(community)) if c.key not in COMPUTED_FACTS}
    unknown = set(facts) - set(asked)
    if unknown:
        raise InvalidInput(
            _("The trust does not ask about: %(u)s.") % {"u": ", ".join(sorted(unknown))}, field="facts"
        )
    cleaned = {}
    for key, criterion in asked.items():
        value = facts.get(key, 0)
        high = criterion.max_units if criterion.max_units is not None else 1000
        if isinstance(value, bool):
            value = int(value)
        if not isinstance(value, int) or not 0 <= value <= max(high, 1000):
            raise InvalidInput(
                _("The answer for “%(c)s” must be a whole number of 0 or more.") % {"c": key}, field="facts"
            )
        cleaned[key] = value
    return cleaned


@transaction.atomic
def waitlist_apply(
    *,
    community: Community,
    membership: Membership,
    household_size: int,
    facts: dict[str, int] | None = None,
) -> WaitlistApplication:
    """Put a household on the waitlist, answering the published criteria."""
    if membership.community_id != community.pk or not membership.is_active:
        raise PermissionDenied(_("Only members of this community join its waitlist."))
    if (
        isinstance(household_size, bool)
        or not isinstance(household_size, int)
        or not 1 <= household_size <= 50
    ):
        raise InvalidInput(_("The household is from 1 to 50 people."), field="household_size")
    cleaned = _facts(community, facts or {})
    if WaitlistApplication.objects.filter(
        community=community, membership=membership, status=WAITING
    ).exists():
        raise Conflict(_("You are already on the waitlist."))
    try:
        with transaction.atomic():
            application = WaitlistApplication.objects.create(
                community=community,
                membership=membership,
                household_size=household_size,
                facts=cleaned,
                applied_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict(_("You are already on the waitlist.")) from None
    audit_record(community=community, actor=membership, action="land.waitlist_apply", target=application)
    return application


@transaction.atomic
def waitlist_withdraw(*, application: WaitlistApplication, by: Membership) -> WaitlistApplication:
    application = WaitlistApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != WAITING:
        raise Conflict(_("This application is no longer on the waitlist."))
    application.status = WaitlistApplication.Status.WITHDRAWN
    application.save(update_fields=["status"])
    audit_record(
        community=application.community, actor=by, action="land.waitlist_withdraw", target=application
    )
    return application


@transaction.atomic
def allocation_announce(*, home: Home, seed: str = "", by: Membership) -> Allocation:
    """Publish the seed of the coming draw for a vacant home (a random one if none is given)."""
    home = Home.objects.select_for_update(of=("self",)).select_related("community").get(pk=home.pk)
    if home.status != Home.Status.VACANT:
        raise Conflict(_("%(home)s is not vacant.") % {"home": home.label})
    seed = str(seed or "").strip() or secrets.token_hex(16)
    if len(seed) > SEED_MAX or "\n" in seed:
        raise InvalidInput(
            _("The seed is one line of at most %(n)d characters.") % {"n": SEED_MAX}, field="seed"
        )
    try:
        with transaction.atomic():
            allocation = Allocation.objects.create(
                home=home, seed=seed, seed_announced_at=timezone.now(), created_by=by
            )
    except IntegrityError:
        raise Conflict(_("%(home)s already has an allocation under way.") % {"home": home.label}) from None
    audit_record(
        community=home.community,
        actor=by,
        action="land.allocation_announce",
        target=allocation,
        summary=home.label,
        data={"seed": seed},
    )
    notification_send(
        recipients=[
            a.membership
            for a in WaitlistApplication.objects.filter(
                community=home.community, status=WAITING
            ).select_related("membership")
        ],
        community=home.community,
        kind="land.allocation_announce",
        title=gettext_lazy("A land trust home will be allocated: the draw's seed is published"),
        url=f"/c/{home.community.slug}/land/allocations/{allocation.pk}/",
    )
    return allocation


def _criteria_json(criteria: list[Criterion]) -> list[dict[str, Any]]:
    return [asdict(c) for c in criteria]


def ranking_inputs(allocation: Allocation) -> tuple[list[Applicant], list[Criterion], list[Requirement]]:
    """The draw's inputs as the draw stored them (for replay) — or, before the draw, as they stand."""
    if allocation.result:
        result = allocation.result
        return (
            [Applicant(a["applicant_id"], a["facts"]) for a in result["applicants"]],
            [Criterion(**c) for c in result["criteria"]],
            [Requirement(**r) for r in result["requirements"]],
        )
    home = allocation.home
    criteria = criteria_of(settings_for(home.community))
    announced: datetime = allocation.seed_announced_at
    applications = WaitlistApplication.objects.filter(
        community=home.community, status=WAITING, applied_at__lt=announced
    ).order_by("applied_at", "id")
    applicants = [
        Applicant(
            a.public_id,
            {
                **{c.key: 0 for c in criteria},
                **a.facts,
                "years_waiting": full_years(a.applied_at.date(), announced.date()),
                "household_size": a.household_size,
            },
        )
        for a in applications
    ]
    requirement = Requirement(
        key="household_size",
        description=f"{home.label} houses {home.min_household} to {home.max_household} people",
        minimum=home.min_household,
        maximum=home.max_household,
    )
    return applicants, criteria, [requirement]


def _result_json(
    ranking: WaitlistRanking,
    applicants: list[Applicant],
    criteria: list[Criterion],
    requirements: list[Requirement],
) -> dict[str, Any]:
    return {
        "method": METHOD_PATH,
        "seed": ranking.seed,
        "criteria": _criteria_json(criteria),
        "requirements": [asdict(r) for r in requirements],
        "applicants": [{"applicant_id": a.applicant_id, "facts": dict(a.facts)} for a in applicants],
        "ranking": [
            {
                "place": p.place,
                "applicant_id": p.applicant_id,
                "points": p.points,
                "points_by_criterion": [list(x) for x in p.points_by_criterion],
                "lottery_key": p.lottery_key,
                "tied": p.tied,
                "reason": p.reason,
            }
            for p in ranking.ranking
        ],
        "excluded": [{"applicant_id": e.applicant_id, "reason": e.reason} for e in ranking.excluded],
    }


@transaction.atomic
def allocation_draw(*, allocation: Allocation, by: Membership) -> Allocation:
    """Rank the waitlist for the home by the published method and propose the first household."""
    allocation = (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("home__community")
        .get(pk=allocation.pk)
    )
    if allocation.status != Allocation.Status.ANNOUNCED or not allocation.seed:
        # The seed must be public before the draw: a draw without one could be rerun until it suits.
        raise Conflict(
            _("The draw needs a seed announced beforehand; this allocation is %(s)s.")
            % {"s": allocation.get_status_display()}
        )
    applicants, criteria, requirements = ranking_inputs(allocation)
    try:
        ranking = rank_waitlist(
            applicants=applicants, criteria=criteria, seed=allocation.seed, requirements=requirements
        )
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    if not ranking.ranking:
        raise Conflict(_("No household on the waitlist is eligible for this home."))
    first = ranking.ranking[0].applicant_id
    allocation.chosen = WaitlistApplication.objects.get(pk=int(first.removeprefix("A-")))
    allocation.result = _result_json(ranking, applicants, criteria, requirements)
    allocation.status, allocation.drawn_at = Allocation.Status.PROPOSED, timezone.now()
    allocation.save(update_fields=["chosen", "result", "status", "drawn_at"])
    audit_record(
        community=allocation.home.community,
        actor=by,
        action="land.allocation_draw",
        target=allocation,
        summary=allocation.home.label,
        data={"seed": allocation.seed, "first": first, "eligible": len(ranking.ranking)},
    )
    return allocation


def allocation_replay(*, allocation: Allocation) -> bool:
    """Rerun the stored draw from its stored inputs: True when it gives the same ranking."""
    if not allocation.result:
        return False
    applicants, criteria, requirements = ranking_inputs(allocation)
    again = rank_waitlist(
        applicants=applicants, criteria=criteria, seed=allocation.seed, requirements=requirements
    )
    return _result_json(again, applicants, criteria, requirements)["ranking"] == allocation.result["ranking"]


@transaction.atomic
def allocation_adopt(*, allocation: Allocation, by: Membership | None, decision_ref: str = "") -> Allocation:
    """The allocation takes effect: the home goes to the household proposed by the draw.

    By a decision of the assembly (``decision_ref``), or by a coordinator if the trust allows it."""
    allocation = (
        # Lock only the allocation's row: PostgreSQL refuses FOR UPDATE across the nullable "chosen".
        Allocation.objects.select_for_update(of=("self",))
        .select_related("home__community", "chosen__membership")
        .get(pk=allocation.pk)
    )
    community = allocation.home.community
    if not decision_ref and not settings_for(community).coordinators_may_allocate:
        raise PermissionDenied(_("In this trust an allocation takes effect by a decision of the assembly."))
    if allocation.status != Allocation.Status.PROPOSED or allocation.chosen_id is None:
        raise Conflict(
            _("Only a drawn allocation can be adopted; this one is %(s)s.")
            % {"s": allocation.get_status_display()}
        )
    chosen = WaitlistApplication.objects.select_for_update().get(pk=allocation.chosen_id)
    if chosen.status != WAITING:
        raise Conflict(_("The household drawn is no longer on the waitlist; cancel and draw again."))
    home = Home.objects.select_for_update().get(pk=allocation.home_id)
    if home.status != Home.Status.VACANT:
        raise Conflict(_("%(home)s is not vacant any more.") % {"home": home.label})
    allocation.status, allocation.adopted_at, allocation.decision_ref = (
        Allocation.Status.ADOPTED,
        timezone.now(),
        decision_ref,
    )
    allocation.save(update_fields=["status", "adopted_at", "decision_ref"])
    chosen.status = WaitlistApplication.Status.HOUSED
    chosen.save(update_fields=["status"])
    home.status = Home.Status.ALLOCATED
    home.save(update_fields=["status"])
    audit_record(
        community=community,
        actor=by,
        action="land.allocation_adopt",
        target=allocation,
        summary=home.label,
        data={"application": chosen.public_id},
        decision_ref=decision_ref,
    )
    notification_send(
        recipients=[chosen.membership],
        community=community,
        kind="land.allocation_adopt",
        title=gettext_lazy("A land trust home has been allocated to your household"),
        url=f"/c/{community.slug}/land/allocations/{allocation.pk}/",
    )
    return allocation


@transaction.atomic
def allocation_cancel(*, allocation: Allocation, by: Membership | None) -> Allocation:
    allocation = (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("home__community")
        .get(pk=allocation.pk)
    )
    if allocation.status not in (Allocation.Status.ANNOUNCED, Allocation.Status.PROPOSED):
        raise Conflict(
            _("This allocation is %(s)s and cannot be cancelled.") % {"s": allocation.get_status_display()}
        )
    allocation.status = Allocation.Status.CANCELLED
    allocation.save(update_fields=["status"])
    audit_record(
        community=allocation.home.community,
        actor=by,
        action="land.allocation_cancel",
        target=allocation,
        summary=allocation.home.label,
    )
    return allocation
