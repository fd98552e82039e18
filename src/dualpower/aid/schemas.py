"""What the aid API reads and writes. Private fields come back only to those who may see them
(``details`` is null otherwise): selectors.request_view decides, here they are only shaped."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema


class RequestIn(Schema):
    category: str = Field(..., max_length=40)
    description: str = Field(..., min_length=1, max_length=2000)
    urgency: int = Field(1, ge=0, le=3, strict=True)
    quantity: int = Field(1, ge=1, le=100_000, strict=True)
    unit: str = Field("", max_length=40)
    window_start: datetime | None = None
    window_end: datetime | None = None
    languages: list[str] = Field(default_factory=list, max_length=12)
    neighbourhood: str = Field(
        ..., max_length=80, description="A neighbourhood or cross streets, never an address."
    )
    privacy: str = Field("members", description="members | volunteers | dispatchers")
    details: dict[str, str] | None = Field(
        None,
        description="Private, encrypted at rest: name, contact, address, health, immigration, safety.",
    )


class IntakeIn(RequestIn):
    contact_channel: str = Field(..., description="phone | sms | messenger | email | in_person")
    contact_language: str = Field("", max_length=40)


class RequestOut(Schema):
    code: str
    category: str
    category_name: str
    description: str
    urgency: int
    urgency_name: str
    quantity: int
    unit: str
    quantity_committed: int
    quantity_delivered: int
    quantity_open: int
    window_start: datetime | None
    window_end: datetime | None
    languages: list[str]
    neighbourhood: str
    privacy: str
    status: str
    status_name: str
    created_at: datetime
    is_mine: bool
    contact_channel: str | None = None
    contact_language: str | None = None
    taken_by: str | None = None
    stale_since: datetime | None = None
    referred_to: str | None = None
    details: dict[str, Any] | None = None
    details_erased: bool | None = None


class DetailsIn(Schema):
    details: dict[str, str]


class ReasonIn(Schema):
    reason: str = Field("", max_length=300)


class ReferIn(Schema):
    to: str = Field(..., min_length=1, max_length=120)


class AcceptIn(Schema):
    quantity: int | None = Field(None, ge=1, strict=True)
    offer: int | None = Field(None, strict=True)


class ProposeIn(Schema):
    offer: int = Field(..., strict=True)
    quantity: int | None = Field(None, ge=1, strict=True)


class ConfirmIn(Schema):
    side: str | None = Field(None, description="volunteer | requester (when you could confirm for both)")


class DeliverIn(Schema):
    delivered: int | None = Field(None, ge=0, strict=True)


class AidFeedbackIn(Schema):
    text: str = Field(..., min_length=1, max_length=1000)


class MatchReasonOut(Schema):
    """One of the matching engine's reasons, for programs: a stable code and its parameters (days as
    0 = Monday, times as minutes of the day). ``reasons`` beside it holds the same in words."""

    code: str
    params: dict[str, Any]


class MatchOut(Schema):
    id: int
    request: str
    volunteer: str
    status: str
    status_name: str
    quantity: int
    delivered: int
    explanation: str
    reason_codes: list[MatchReasonOut]
    volunteer_confirmed: bool
    requester_confirmed: bool
    volunteer_feedback: str
    requester_feedback: str
    created_at: datetime


class OfferIn(Schema):
    categories: list[str] = Field(..., min_length=1, max_length=13)
    description: str = Field(..., min_length=1, max_length=2000)
    kind: str = Field("one-off", description="one-off | recurring | inexhaustible")
    capacity: int | None = Field(None, ge=1, le=100_000, strict=True)
    period: str = Field("", description="week | month (recurring offers)")
    skills: list[str] = Field(default_factory=list, max_length=12)
    languages: list[str] = Field(default_factory=list, max_length=12)
    neighbourhood: str = Field(..., max_length=80)
    availability: list[list[Any]] = Field(default_factory=list, description='[[0, "18:00", "21:00"], ...]')
    privacy: str = "members"


class OfferStatusIn(Schema):
    status: str = Field(..., description="active | paused | withdrawn")


class OfferOut(Schema):
    id: int
    volunteer: str
    categories: list[str]
    category_names: list[str]
    description: str
    kind: str
    kind_name: str
    capacity: int | None
    period: str
    remaining: int | None
    skills: list[str]
    languages: list[str]
    neighbourhood: str
    availability: list[list[Any]]
    privacy: str
    status: str


class SuggestionOut(Schema):
    offer: OfferOut
    score: float
    reasons: list[str]
    reason_codes: list[MatchReasonOut]


class AssignmentProposalOut(Schema):
    request: str
    offer: int
    volunteer: str
    reasons: list[str]
    reason_codes: list[MatchReasonOut]


class UnmatchedOut(Schema):
    request: str
    reason: str
    reason_code: MatchReasonOut


class PlanOut(Schema):
    proposals: list[AssignmentProposalOut]
    unmatched: list[UnmatchedOut]


class PairIn(Schema):
    request: str
    offer: int = Field(..., strict=True)


class BatchIn(Schema):
    pairs: list[PairIn] = Field(..., min_length=1, max_length=5000)


class BatchOut(Schema):
    proposed: list[MatchOut]
    failed: list[UnmatchedOut]


class CountOut(Schema):
    label: str
    count: int


class VolunteerLoadOut(Schema):
    volunteer: str
    live: int
    done: int


def _counts(pairs: Any) -> list[dict[str, Any]]:
    # The stats give (label, count) pairs, which the charts take as they are; OpenAPI wants objects.
    return [{"label": label, "count": count} for label, count in pairs]


class AidSummaryOut(Schema):
    open: int
    fulfilled: int
    by_category: list[CountOut]
    by_urgency: list[CountOut]
    unmet_over_time: list[CountOut]

    @staticmethod
    def resolve_by_category(obj: dict[str, Any]) -> list[dict[str, Any]]:
        return _counts(obj["by_category"])

    @staticmethod
    def resolve_by_urgency(obj: dict[str, Any]) -> list[dict[str, Any]]:
        return _counts(obj["by_urgency"])

    @staticmethod
    def resolve_unmet_over_time(obj: dict[str, Any]) -> list[dict[str, Any]]:
        return _counts(obj["unmet_over_time"])


class DashboardOut(AidSummaryOut):
    by_neighbourhood: list[CountOut]
    median_first_response_hours: float | None
    median_fulfilment_hours: float | None
    stale: int
    volunteer_load: list[VolunteerLoadOut]

    @staticmethod
    def resolve_by_neighbourhood(obj: dict[str, Any]) -> list[dict[str, Any]]:
        return _counts(obj["by_neighbourhood"])

    @staticmethod
    def resolve_volunteer_load(obj: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"volunteer": v, "live": live, "done": done} for v, live, done in obj["volunteer_load"]]
