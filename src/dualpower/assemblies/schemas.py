"""API shapes for assemblies. Results of an open vote are left out while the policy hides them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class PolicyOut(Schema):
    default_process: str
    quorum: Decimal
    supermajority: Decimal
    discussion_days: int
    voting_days: int
    secret_ballots: bool
    results_hidden_until_close: bool
    who_may_propose: str
    liquid_delegation: bool
    early_close: bool


class AssemblyOut(Schema):
    slug: str
    name: str
    description: str
    kind: str
    policy: PolicyOut


class OptionOut(Schema):
    id: int
    label: str
    membership_id: int | None = None
    starts_at: datetime | None = None


class ActionOut(Schema):
    kind: str
    params: dict[str, Any]
    description: str
    status: str
    result: str


class ActionIn(Schema):
    kind: str = Field(..., max_length=60)
    params: dict[str, Any] = Field(default_factory=dict)


class OptionIn(Schema):
    label: str = Field("", max_length=200)
    membership: int | None = None
    starts_at: datetime | None = None


class ProposalIn(Schema):
    title: str = Field(..., max_length=200)
    body: str = Field("", max_length=20000)
    process: str = Field("", max_length=40)
    voting_mode: str = "online"
    topic: str = Field("", max_length=60)
    seats: int = Field(1, ge=1, le=50)
    dots: int = Field(0, ge=0, le=20)
    options: list[OptionIn] = Field(default_factory=list, max_length=50)
    actions: list[ActionIn] = Field(default_factory=list, max_length=20)
    draft: bool = False


class OutcomeOut(Schema):
    passed: bool | None
    process: str
    rule: dict[str, Any]
    tally: dict[str, Any]
    eligible: int
    participants: int
    quorum_needed: int | None
    quorum_met: bool | None
    statement: str
    winners: list[str]
    elected_memberships: list[int]
    delegated_weight: dict[str, int]
    source: str
    link: str
    actions_status: str
    actions_error: str
    author_decision: str
    decided_at: datetime


class ProposalOut(Schema):
    id: int
    title: str
    body: str
    process: str
    state: str
    voting_mode: str
    is_secret: bool
    seats: int
    dots: int
    topic: str
    author_id: int | None
    amends_id: int | None
    discussion_closes_at: datetime | None
    voting_opens_at: datetime | None
    voting_closes_at: datetime | None
    options: list[OptionOut]
    actions: list[ActionOut]
    running_counts: dict[str, int] | None = Field(None, description="Only while the policy shows results.")
    url: str


class VoteCloseIn(Schema):
    reason: str = Field("", max_length=1000)


class CommentIn(Schema):
    body: str = Field(..., max_length=5000)


class CommentOut(Schema):
    id: int
    author_id: int
    author: str
    body: str
    created_at: datetime


class VoteIn(Schema):
    position: str = Field("", max_length=20)
    choices: list[str] | dict[str, int] | None = None
    reason: str = Field("", max_length=2000, description="Open votes only: a secret ballot keeps no reason.")
    receipt: str = Field("", max_length=40, description="Secret ballots: the code, to change your ballot.")


class VoteOut(Schema):
    voted: bool
    position: str = ""
    choices: Any = None
    reason: str = ""
    secret: bool = False
    receipt: str = Field(
        "", description="Secret ballots: shown once, keep it. Empty when a ballot was replaced."
    )


class VoteRowOut(Schema):
    membership_id: int
    name: str
    position: str
    ballot: str
    reason: str


class DelegationIn(Schema):
    delegate: int
    topic: str = Field("", max_length=60)
    proposal: int | None = None


class DelegationOut(Schema):
    id: int
    delegate_id: int
    topic: str
    proposal_id: int | None


class OutcomeStatementIn(Schema):
    text: str = Field(..., max_length=5000)


class OutcomeStatementOut(Schema):
    id: int
    text: str
    author_id: int
    author: str
    created_at: datetime
    current: bool = Field(description="The version shown; the others are its history.")
