"""What the budgeting API reads and writes. Money is in cents (integers); vote counts appear only
in results, which exist only once the vote is counted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema


class DistrictOut(Schema):
    id: int
    name: str
    budget: int


class CycleOut(Schema):
    id: int
    slug: str
    title: str
    description: str
    budget: int = Field(..., description="The city-wide pot, in cents.")
    currency: str
    rule: str
    tie_break_seed: int
    count_is_binding: bool
    ballot_type: str
    min_choices: int
    max_choices: int | None
    max_total_cost: int | None
    points: int
    eligibility: str
    allow_other_district: bool
    phase: str
    voting_from: datetime | None
    voting_until: datetime | None
    adopted_at: datetime | None
    imported_from: str
    districts: list[DistrictOut] = []

    @staticmethod
    def resolve_districts(obj: Any) -> list[Any]:
        return list(obj.districts.all())


class DistrictIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    budget: int = Field(..., ge=0, strict=True)


class CategoryIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    max_share_percent: int | None = Field(None, ge=0, le=100, strict=True)


class CycleIn(Schema):
    title: str = Field(..., min_length=1, max_length=160)
    description: str = Field("", max_length=10000)
    budget: int = Field(..., ge=0, strict=True, description="In cents.")
    currency: str = Field("EUR", min_length=1, max_length=3)
    rule: str = "mes"
    tie_break_seed: int = Field(0, ge=0, strict=True)
    count_is_binding: bool = Field(False, strict=True)
    ballot_type: str = "approval"
    min_choices: int = Field(1, ge=0, strict=True)
    max_choices: int | None = Field(None, ge=1, strict=True)
    max_total_cost: int | None = Field(None, ge=0, strict=True)
    points: int = Field(10, ge=1, strict=True)
    eligibility: str = "members"
    allow_other_district: bool = Field(False, strict=True)
    development_from: datetime | None = None
    feasibility_from: datetime | None = None
    voting_from: datetime | None = None
    voting_until: datetime | None = None
    implementation_from: datetime | None = None
    districts: list[DistrictIn] = []
    categories: list[CategoryIn] = []


class IdeaIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    district: int | None = Field(None, strict=True)


class IdeaOut(Schema):
    id: int
    title: str
    description: str
    district_id: int | None
    merged_into_code: str | None = None
    created_at: datetime

    @staticmethod
    def resolve_merged_into_code(obj: Any) -> str | None:
        return obj.merged_into.code if obj.merged_into_id else None


class BudgetProposalIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=10000)
    cost: int | None = Field(None, ge=0, strict=True, description="In cents.")
    district: int | None = Field(None, strict=True)
    ideas: list[int] = []
    latitude_e6: int | None = Field(None, strict=True)
    longitude_e6: int | None = Field(None, strict=True)


class BudgetProposalOut(Schema):
    code: str
    title: str
    description: str
    cost: int | None
    district_id: int | None
    category: str | None = None
    feasibility: str
    feasibility_reason: str
    latitude_e6: int | None
    longitude_e6: int | None

    @staticmethod
    def resolve_category(obj: Any) -> str | None:
        return obj.category.name if obj.category_id else None


class FeasibilityIn(Schema):
    feasible: bool = Field(..., strict=True)
    reason: str = Field("", max_length=5000)


class ChoiceIn(Schema):
    project: str = Field(..., min_length=1, max_length=40, description="The proposal's number (code).")
    points: int = Field(1, ge=1, strict=True, description="Points (cumulative), the rank (ranked), else 1.")


class BallotIn(Schema):
    district: int | None = Field(None, strict=True)
    choices: list[ChoiceIn]


class BallotOut(Schema):
    district_id: int | None
    channel: str
    choices: list[ChoiceIn]
    updated_at: datetime

    @staticmethod
    def resolve_choices(obj: Any) -> list[dict[str, Any]]:
        return [{"project": e.proposal.code, "points": e.points} for e in obj.entries.all()]


class VotesOut(Schema):
    online: int
    paper: int
    points: int


class ResultOut(Schema):
    district_id: int | None
    rule: str
    budget: int
    selected: list[str]
    rule_selected: list[str]
    passed_over: list[str]
    greedy_selected: list[str]
    total_cost: int
    votes: dict[str, VotesOut]
    num_ballots: int
    settings: dict[str, Any]
    explanation: list[dict[str, Any]]
    command: str
    ballot_file_sha256: str
    ballot_file_url: str = ""


class ProjectOut(Schema):
    code: str
    title: str
    cost: int | None
    status: str
    abandoned_reason: str
    spent: int
    responsible_group: str | None = None
    updates: list[dict[str, Any]] = []

    @staticmethod
    def resolve_responsible_group(obj: Any) -> str | None:
        return obj.responsible_group.slug if obj.responsible_group_id else None

    @staticmethod
    def resolve_updates(obj: Any) -> list[dict[str, Any]]:
        return [
            {"text": u.text, "photo": u.photo.url if u.photo else None, "created_at": u.created_at}
            for u in obj.updates.all()
        ]


class ProjectPatch(Schema):
    status: str | None = None
    reason: str = Field("", max_length=5000)
    spent: int | None = Field(None, ge=0, strict=True)


class UpdateIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000)
