"""What the delegates API sends and accepts."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class AssemblyRef(Schema):
    id: int
    slug: str
    name: str


class SeatOut(Schema):
    id: int
    delegate: str = Field(..., alias="membership.display_name")
    membership_id: int
    sending: AssemblyRef
    receiving: AssemblyRef
    status: str
    elected_by_id: int | None
    decision_ref: str
    started_at: datetime
    ends_at: datetime | None
    ended_at: datetime | None


class MandateOut(Schema):
    id: int
    sending: AssemblyRef
    proposal_id: int
    position: str
    note: str
    expires_at: datetime | None
    status: str
    decision_ref: str
    adopted_at: datetime | None


class MandateDraftIn(Schema):
    sending: str = Field(..., description="Slug of the assembly that sends the delegates")
    proposal: int = Field(..., strict=True)
    position: str
    note: str = ""
    expires_at: datetime | None = None


class MandateRowOut(Schema):
    seat: SeatOut
    mandate: MandateOut | None
    draft: MandateOut | None
    vote: str | None
    against_mandate: bool
    breach_recorded: bool


class BreachOut(Schema):
    id: int
    seat_id: int
    delegate: str = Field(..., alias="seat.membership.display_name")
    mandate_id: int
    proposal_id: int = Field(..., alias="mandate.proposal_id")
    vote: str
    recorded_at: datetime
