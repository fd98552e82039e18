"""Decision processes as data: what each asks of members and how it is counted.

Like Loomio's decision tools, each process is a template an organiser picks when putting a
proposal forward. It says what a ballot looks like (positions such as agree / block, or options to
approve, score, rank or place dots on), which positions exist and which need a reason, and how the
votes are counted with ``dualpower.core.choice`` — never with arithmetic of our own.
docs/assemblies.md explains to organisers how to choose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from django.utils.translation import gettext_lazy as _

from dualpower.core.choice.decision import DecisionRule

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from dualpower.assemblies.models import Policy

# positions: members take a position (agree, block...) and a decision rule decides.
# advice: members give advice (a position and a reason); the author then decides.
# approval / time: members tick any number of options (time: dates for a meeting).
# score: members score each option from 0 to 5. dots: members place a number of dots.
# ranked: members rank the options (IRV for one winner, STV for several).
Shape = Literal["positions", "advice", "approval", "time", "score", "dots", "ranked"]

POSITION_LABELS: dict[str, Promise] = {
    "agree": _("Agree"),
    "disagree": _("Disagree"),
    "abstain": _("Abstain"),
    "stand_aside": _("Stand aside"),
    "block": _("Block"),
    "object": _("Object"),
}
# The words the advice process uses for the same positions.
ADVICE_LABELS: dict[str, Promise] = {
    "agree": _("Support"),
    "disagree": _("Concern"),
    "abstain": _("No strong view"),
}
# A block or an objection stops a decision, so the assembly must be able to answer it.
REASON_REQUIRED = frozenset({"block", "object"})
SCORE_MAX = 5


@dataclass(frozen=True)
class Process:
    key: str
    label: Promise
    description: Promise
    shape: Shape
    positions: tuple[str, ...] = ()
    rule: Callable[[Policy], DecisionRule] | None = None
    multi_winner: bool = False  # several seats (STV) or several winners (polls)

    @property
    def has_options(self) -> bool:
        return self.shape not in ("positions", "advice")

    def position_label(self, position: str) -> str:
        labels = ADVICE_LABELS if self.shape == "advice" else POSITION_LABELS
        return str(labels.get(position, position))

    def position_choices(self) -> list[tuple[str, str]]:
        return [(p, self.position_label(p)) for p in self.positions]


def fraction(value: Decimal | float | None) -> Fraction | None:
    """A policy's decimal share as the fraction members mean: 0.6667 is two thirds.

    Policies store four decimals; the nearest fraction with a denominator of at most 100 is the
    one the assembly voted for (2/3, 3/4, 3/5), so counts are exact, never 0.6667 of a vote.
    """
    if value is None:
        return None
    f = Fraction(Decimal(value)).limit_denominator(100)
    return f if f > 0 else None


def _quorum(policy: Policy) -> Fraction | None:
    return fraction(policy.quorum)


def _super(policy: Policy) -> Fraction:
    return fraction(policy.supermajority) or Fraction(2, 3)


def _majority(policy: Policy) -> DecisionRule:
    return DecisionRule.majority(quorum=_quorum(policy))


def _supermajority(policy: Policy) -> DecisionRule:
    return DecisionRule.supermajority(_super(policy), quorum=_quorum(policy))


def _consensus(policy: Policy) -> DecisionRule:
    return DecisionRule("consensus", quorum=_quorum(policy))


def _consent(policy: Policy) -> DecisionRule:
    return DecisionRule("consent", quorum=_quorum(policy))


def _modified(policy: Policy) -> DecisionRule:
    return DecisionRule(
        "modified_consensus",
        quorum=_quorum(policy),
        fallback=DecisionRule.supermajority(_super(policy)),
    )


VOTE = ("agree", "disagree", "abstain")
CONSENSUS = ("agree", "stand_aside", "abstain", "disagree", "block")

PROCESSES: dict[str, Process] = {
    p.key: p
    for p in (
        Process(
            "advice",
            _("Advice process"),
            _(
                "The author asks everyone affected and those with expertise for advice, then decides "
                "and records the decision. Good for day-to-day decisions a person or group owns."
            ),
            "advice",
            positions=("agree", "disagree", "abstain"),
        ),
        Process(
            "consent",
            _("Consent"),
            _(
                "Passes unless someone objects: “good enough for now, safe enough to try”. "
                "An objection needs a reason, so the proposal can be improved."
            ),
            "positions",
            positions=("agree", "object", "abstain"),
            rule=_consent,
        ),
        Process(
            "consensus",
            _("Consensus"),
            _(
                "Everyone agrees or stands aside. One block stops the proposal: use it when "
                "you could not stay in the group if it passed. Blocks need a reason."
            ),
            "positions",
            positions=CONSENSUS,
            rule=_consensus,
        ),
        Process(
            "modified_consensus",
            _("Consensus with a fallback vote"),
            _(
                "Consensus first; if it is blocked or not reached, a supermajority of the votes "
                "cast decides (the share set in the policy)."
            ),
            "positions",
            positions=CONSENSUS,
            rule=_modified,
        ),
        Process(
            "majority",
            _("Majority vote"),
            _("Passes with more agree than disagree votes. Abstentions are not counted as votes."),
            "positions",
            positions=VOTE,
            rule=_majority,
        ),
        Process(
            "supermajority",
            _("Supermajority vote"),
            _(
                "Passes when at least the share set in the policy (for example two thirds) of the "
                "votes cast agree. For changes to the rules and other weighty decisions."
            ),
            "positions",
            positions=VOTE,
            rule=_supermajority,
        ),
        Process(
            "approval",
            _("Approval poll"),
            _("Tick every option you can live with; the option ticked by most people wins."),
            "approval",
            multi_winner=True,
        ),
        Process(
            "score",
            _("Score poll"),
            _("Give each option 0 to 5 points; the option with most points wins."),
            "score",
            multi_winner=True,
        ),
        Process(
            "ranked",
            _("Ranked choice (instant runoff)"),
            _(
                "Rank the options in order of preference. The option with fewest first choices "
                "drops out and its votes go to the next choice, until one has a majority."
            ),
            "ranked",
        ),
        Process(
            "stv",
            _("Election (single transferable vote)"),
            _(
                "Rank the candidates. Several people are elected in proportion to the votes: "
                "for delegates, committees and panels."
            ),
            "ranked",
            multi_winner=True,
        ),
        Process(
            "dot",
            _("Dot vote"),
            _("Place your dots on the options you like best, several on one if you wish."),
            "dots",
            multi_winner=True,
        ),
        Process(
            "time",
            _("Time poll"),
            _("Tick every date and time you can come; the time most people can make is chosen."),
            "time",
        ),
    )
}


def get(key: str) -> Process:
    from dualpower.errors import InvalidInput

    try:
        return PROCESSES[key]
    except KeyError:
        raise InvalidInput(
            _("There is no decision process called “%(k)s”.") % {"k": key}, field="process"
        ) from None


def choices() -> list[tuple[str, str]]:
    return [(p.key, str(p.label)) for p in PROCESSES.values()]
