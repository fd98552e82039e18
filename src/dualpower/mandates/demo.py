"""Demo data for delegates: a spokescouncil of working-group delegates, a closed STV election of
the housing group's delegates (its action seated them), a mandate decided by the housing group,
and a spokescouncil vote in which one delegate went against it (flagged).

Runs after the assemblies' loader (INSTALLED_APPS order), through the services, with past dates.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from dualpower.assemblies import bodies
from dualpower.assemblies import selectors as assembly_selectors
from dualpower.assemblies import services as assemblies
from dualpower.assemblies.models import Assembly, Proposal
from dualpower.groups import selectors as group_selectors
from dualpower.mandates import services

if TYPE_CHECKING:
    from dualpower.demo import Demo


def _group_assembly(demo: Demo, slug: str) -> Assembly:
    group = group_selectors.group_get(community=demo.community, slug=slug)
    found = assembly_selectors.assemblies_all(community=demo.community).filter(working_group=group).first()
    return found or assemblies.assembly_create(
        community=demo.community,
        name=group.name,
        slug=f"{slug}-group",
        kind=Assembly.Kind.WORKING_GROUP,
        working_group=group,
        policy={"default_process": "consent", "voting_days": 3, "discussion_days": 2},
    )


def load_delegates(demo: Demo) -> None:
    now = timezone.now()
    council = assemblies.assembly_create(
        community=demo.community,
        name="Spokescouncil",
        slug="spokescouncil",
        kind=Assembly.Kind.SPOKESCOUNCIL,
        description="Delegates of the working groups coordinate the work between groups.",
        policy={"default_process": "majority", "voting_days": 3, "discussion_days": 2},
    )
    housing = _group_assembly(demo, "housing")
    housing_people = list(bodies.voters_of(housing).order_by("id"))
    candidates = housing_people[:3]
    # The food and health groups seated their first delegates when the council was founded
    # (one person, one seat: someone in several groups is sent by one only).
    taken = {c.pk for c in candidates}
    for slug in ("food", "health"):
        group = _group_assembly(demo, slug)
        free = [m for m in bodies.voters_of(group).order_by("id") if m.pk not in taken][:1]
        if free:
            services.delegates_seat(sending=group, receiving=council, memberships=free)
            taken.add(free[0].pk)

    # The housing group elected two delegates by STV; the decision's action seated them.
    start = now - timedelta(days=21)
    election = assemblies.proposal_create(
        assembly=housing,
        by=candidates[0],
        title="Elect our two delegates to the spokescouncil",
        process="stv",
        seats=2,
        options=[{"membership": c.pk} for c in candidates],
        actions=[{"kind": "mandates.seat_delegates", "params": {"receiving": council.pk, "seats": 2}}],
        now=start,
    )
    assemblies.proposal_open_voting(proposal=election, by=None, now=start + timedelta(days=1))
    election.refresh_from_db()
    option = [str(o.pk) for o in election.options.order_by("position")]
    for i, voter in enumerate(housing_people):
        order = [option[i % 3], option[(i + 1) % 3], option[(i + 2) % 3]]
        assemblies.vote_cast(proposal=election, by=voter, choices=order, now=start + timedelta(days=2))
    assemblies.proposal_close(proposal=election, now=_just_after_close(election))

    # A spokescouncil proposal; the housing group mandates its delegates to vote for it.
    delegates = list(bodies.voters_of(council).order_by("id"))
    start = now - timedelta(days=8)
    shared = assemblies.proposal_create(
        assembly=council,
        by=delegates[0],
        title="Share one tool library between all working groups",
        body="Pool the groups' tools in the hall basement, with one sign-out sheet.",
        process="majority",
        now=start,
    )
    mandate = assemblies.proposal_create(
        assembly=housing,
        by=housing_people[0],
        title="Mandate our delegates: vote for the shared tool library",
        process="consent",
        actions=[
            {
                "kind": "mandates.set_mandate",
                "params": {
                    "proposal": shared.pk,
                    "position": "for",
                    "note": "Agreed at the housing meeting, if repair tools stay available on Saturdays.",
                },
            }
        ],
        now=start,
    )
    assemblies.proposal_open_voting(proposal=mandate, by=None, now=start + timedelta(hours=1))
    mandate.refresh_from_db()
    for voter in housing_people:
        assemblies.vote_cast(proposal=mandate, by=voter, position="agree", now=start + timedelta(hours=2))
    assemblies.proposal_close(proposal=mandate, now=_just_after_close(mandate))

    # The spokescouncil votes now; one housing delegate votes against the mandate.
    assemblies.proposal_open_voting(proposal=shared, by=None, now=now - timedelta(hours=12))
    shared.refresh_from_db()
    housing_delegates = sorted(s.membership_id for s in housing.delegations_sent.filter(status="seated"))
    breaker = housing_delegates[0] if housing_delegates else None
    for delegate in bodies.voters_of(council).order_by("id"):
        position = "disagree" if delegate.pk == breaker else "agree"
        assemblies.vote_cast(proposal=shared, by=delegate, position=position)
    flagged = services.breaches_flag(now=now)
    demo.say(
        f"delegates: spokescouncil with {len(list(bodies.voters_of(council)))} delegates, "
        f"an STV election, a mandate, {flagged} vote against it flagged"
    )


def _just_after_close(proposal: Proposal) -> datetime:
    """A minute after the vote's closing time: when the clock closes it."""
    assert proposal.voting_closes_at is not None  # set when the vote opened
    return proposal.voting_closes_at + timedelta(minutes=1)
