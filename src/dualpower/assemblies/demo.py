"""Demo data for assemblies: the general assembly, decisions with outcomes, proposals open now.

Built through the services with dates in the past, deterministic from the demo's seeded random
source: a consensus decision stopped by a block, a vote whose action changed the policy (a quorum,
and early closing by a coordinator), an approval poll, two proposals open for votes and one in
discussion. One open vote waits only for the coordinator: their vote and then "Close the vote
now" (or an early close with a reason) decides it, and its action changes the policy at once, so
a newcomer sees a decision take effect in the first minutes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from dualpower.assemblies import bodies, notify, services
from dualpower.assemblies.models import Proposal

if TYPE_CHECKING:
    from dualpower.demo import Demo

# The open vote that waits only for the coordinator (named in the demo logins).
DECIDE_NOW = "Discuss a proposal for three days, not seven"


def _voters(demo: Demo) -> list:
    assembly = services.general_assembly_for(demo.community)
    return list(bodies.voters_of(assembly).order_by("id"))


def load_assemblies(demo: Demo) -> None:
    # Records of the past, and demo people with made-up addresses: nobody is notified.
    with notify.held():
        _load(demo)


def _load(demo: Demo) -> None:
    ga = services.general_assembly_for(demo.community)
    ga.description = "All members of the community, deciding together."
    ga.save(update_fields=["description"])
    demo.extra["general_assembly"] = ga
    people = _voters(demo)
    rng = demo.rng
    now = timezone.now()

    def decided(title: str, body: str, process: str, days_ago: int, ballots: list, **kw: Any) -> Proposal:
        start = now - timedelta(days=days_ago)
        p = services.proposal_create(
            assembly=ga,
            by=kw.pop("by", demo.member),
            title=title,
            body=body,
            process=process,
            now=start,
            **kw,
        )
        services.proposal_open_voting(proposal=p, by=None, now=start + timedelta(days=1))
        p.refresh_from_db()
        when = start + timedelta(days=2)
        for voter, ballot in ballots:
            services.vote_cast(proposal=p, by=voter, now=when, **ballot)
        services.proposal_close(proposal=p, now=_just_after_close(p))
        return p

    # A consensus stopped by one block, with its reason.
    crowd = people[: min(len(people), 9)]
    ballots = [(m, {"position": rng.choice(["agree", "agree", "agree", "stand_aside"])}) for m in crowd[1:]]
    ballots.append(
        (crowd[0], {"position": "block", "reason": "The car park is where the Saturday market sets up."})
    )
    decided(
        "Turn the car park into a community garden",
        "Dig up half of the car park behind the hall for raised beds, run by the food group.",
        "consensus",
        40,
        ballots,
    )
    # A vote whose action changed how the assembly decides.
    ballots = [(m, {"position": "agree" if i % 4 else "disagree"}) for i, m in enumerate(crowd)]
    decided(
        "Give the general assembly a quorum of one in five",
        "A decision counts only if at least a fifth of us take part. A coordinator may close a vote "
        "early, giving a reason that is kept in the audit log.",
        "supermajority",
        30,
        ballots,
        actions=[
            {
                "kind": "assemblies.change_policy",
                "params": {"assembly": ga.pk, "changes": {"quorum": "0.2", "early_close": "yes"}},
            }
        ],
    )
    # An approval poll.
    options = ["Tuesday evenings", "Thursday evenings", "Saturday mornings"]
    start = now - timedelta(days=20)
    poll = services.proposal_create(
        assembly=ga,
        by=demo.coordinator,
        title="When should the general assembly meet?",
        process="approval",
        options=options,
        now=start,
    )
    services.proposal_open_voting(proposal=poll, by=None, now=start + timedelta(days=1))
    poll.refresh_from_db()
    ids = [str(o.pk) for o in poll.options.all()]
    for m in crowd:
        picks = [i for i in ids if rng.random() < 0.5] or [ids[1]]
        services.vote_cast(proposal=poll, by=m, choices=picks, now=start + timedelta(days=2))
    services.proposal_close(proposal=poll, now=_just_after_close(poll))

    # Open now: a proposal in its vote, and one in discussion with a comment.
    open_vote = services.proposal_create(
        assembly=ga,
        by=demo.coordinator,
        title="Buy a shared cargo bike for food deliveries",
        body="Spend up to 2,400 from the common fund on a cargo bike kept at the hall.",
        process="consent",
        topic="food",
        now=now - timedelta(days=2),
    )
    services.proposal_open_voting(proposal=open_vote, by=None, now=now - timedelta(hours=6))
    for m in crowd[2:6]:
        services.vote_cast(proposal=open_vote, by=m, position="agree")
    # Open now and waiting only for the coordinator: decided in a newcomer's first minutes.
    quick = services.proposal_create(
        assembly=ga,
        by=demo.member,
        title=DECIDE_NOW,
        body="Seven days of discussion before every vote is too slow for us; three are enough.",
        process="consent",
        now=now - timedelta(days=1),
        actions=[
            {
                "kind": "assemblies.change_policy",
                "params": {"assembly": ga.pk, "changes": {"discussion_days": "3"}},
            }
        ],
    )
    services.proposal_open_voting(proposal=quick, by=None, now=now - timedelta(hours=3))
    for m in people:
        if m.pk != demo.coordinator.pk:
            services.vote_cast(proposal=quick, by=m, position="agree", now=now - timedelta(hours=2))
    talk = services.proposal_create(
        assembly=ga,
        by=demo.member,
        title="Translate the assembly minutes into Spanish",
        body="Volunteers translate the minutes within a week of each assembly.",
        process="consent",
        now=now - timedelta(days=1),
    )
    services.comment_add(proposal=talk, by=demo.coordinator, body="Yes — the education group can help.")
    demo.say("assemblies: general assembly, 3 decisions, 3 open proposals")


def _just_after_close(proposal: Proposal) -> datetime:
    """A minute after the vote's closing time: when the clock closes it."""
    assert proposal.voting_closes_at is not None  # set when the vote opened
    return proposal.voting_closes_at + timedelta(minutes=1)
