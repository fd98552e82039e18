"""What the learn API reads and writes. Deposits are integers in the currency's smallest unit."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from dualpower.api_tools import MAX_ID


class LearnThingOut(Schema):
    id: int
    title: str
    description: str
    category: str
    condition: str
    pickup: str
    deposit: int
    deposit_currency: str | None = Field(
        None, description="The currency's short name, when a deposit is asked."
    )
    trust_role: str | None = Field(None, description="The trust role a borrower needs (its slug), if any.")
    lent_by_member: bool
    is_lendable: bool
    on_loan: bool
    holds: int
    times_lent: int


class LearnThingDetailOut(LearnThingOut):
    due_on: date | None = Field(None, description="When it is due back, if it is out.")
    my_loan: bool
    my_hold: str | None = Field(None, description="waiting or ready, when the caller holds it.")
    my_place: int | None = None


class LearnThingIn(Schema):
    title: str = Field(..., max_length=400)
    description: str = Field("", max_length=10_000)
    category: str = "other"
    condition: str = "good"
    pickup: str = Field("", max_length=400)
    deposit: int = Field(0, ge=0, le=10**9, strict=True)
    deposit_currency: str = Field("", max_length=40, description="A currency's short name.")
    loan_days: int = Field(14, strict=True, ge=-(2**31), le=2**31)
    max_renewals: int = Field(2, strict=True, ge=-(2**31), le=2**31)
    ready_days: int = Field(3, strict=True, ge=-(2**31), le=2**31)


class LearnHoldOut(Schema):
    thing: int
    status: str
    paused_until: date | None
    ready_until: datetime | None


class LearnPauseIn(Schema):
    until: date | None = None


class LearnLoanOut(Schema):
    thing: int
    due_on: date
    renewals: int
    deposit: int


class LearnReturnIn(Schema):
    condition: str = Field(..., max_length=20)


class LearnOfferingOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    language: str
    place: str
    accessibility: str
    reciprocity: str
    minutes: int | None
    asks: str
    capacity: int
    is_open: bool
    role: str | None = Field(None, description="The trust role completing it proposes (its slug).")


class LearnOfferingIn(Schema):
    kind: str = Field(..., max_length=20)
    title: str = Field(..., max_length=400)
    description: str = Field("", max_length=10_000)
    language: str = Field("en", max_length=10)
    place: str = Field("", max_length=400)
    accessibility: str = Field("", max_length=600)
    reciprocity: str = Field("free", max_length=10)
    minutes: int | None = Field(None, strict=True, ge=-(2**31), le=2**31)
    asks: str = Field("", max_length=600)
    capacity: int = Field(12, strict=True, ge=-(2**31), le=2**31)


class LearnEnrolmentOut(Schema):
    offering: int
    status: str


class LearnParticipantOut(Schema):
    member: int
    name: str
    status: str
    sessions_attended: int
    completed: bool


class LearnCompletionIn(Schema):
    member: int = Field(..., strict=True, ge=1, le=MAX_ID)


class LearnCompletionOut(Schema):
    offering: int
    member: int
    shown_to_members: bool
    asks_vouches: bool
