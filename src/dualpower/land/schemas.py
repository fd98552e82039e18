"""What the land trust API reads and writes. Money is integer cents."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


class HomeOut(Schema):
    id: int
    label: str
    parcel: str
    bedrooms: int
    min_household: int
    max_household: int
    status: str
    description: str
    address: str | None = Field(
        None, description="Only for coordinators and the household holding the lease."
    )


class ParcelIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    description: str = ""
    address: str = ""
    acquired_on: date | None = None


class ParcelOut(Schema):
    id: int
    name: str
    description: str


class HomeIn(Schema):
    parcel: int = Field(..., strict=True)
    label: str = Field(..., min_length=1, max_length=120)
    address: str = ""
    bedrooms: int = Field(1, strict=True)
    min_household: int = Field(1, strict=True)
    max_household: int = Field(2, strict=True)
    description: str = ""


class LeaseIn(Schema):
    home: int = Field(..., strict=True)
    leaseholder: int = Field(..., strict=True, description="The member's id in the community.")
    start: date
    term_years: int = Field(99, strict=True)
    monthly_fee: int = Field(..., strict=True, description="In cents.")
    formula: str
    formula_params: dict[str, Any]


class LeaseOut(Schema):
    id: int
    home: int = Field(..., alias="home_id")
    leaseholder: int = Field(..., alias="leaseholder_id")
    start: date
    term_years: int
    monthly_fee: int
    status: str
    formula: str
    formula_params: dict[str, Any]
    ended_on: date | None


class ResaleLineOut(Schema):
    kind: str = Field(
        ...,
        description="What the line is: purchase_price, appreciation_share, index_growth, "
        "fixed_rate_growth, improvement, adjustment, floor or rounding.",
    )
    label: str = Field(..., description="The line in words, in the request's language.")
    amount: int = Field(..., description="In cents.")
    params: dict[str, int | str | None] = Field(
        ...,
        description="The numbers the line is made of, so a client can word it itself: amounts in cents; "
        'shares, rates and index values as exact text ("0.25", or "1/3" when no decimal ends); '
        "dates as YYYY-MM-DD.",
    )


class ResaleOut(Schema):
    formula: str
    price: int
    lines: list[ResaleLineOut]
    settings: list[tuple[str, str]]


class WaitlistApplicationIn(Schema):
    household_size: int = Field(..., strict=True)
    facts: dict[str, int] = Field(default_factory=dict)


class WaitlistApplicationOut(Schema):
    id: int
    public_id: str
    household_size: int
    facts: dict[str, int]
    status: str
    applied_at: datetime


class AnnounceIn(Schema):
    seed: str = Field("", max_length=200)


class AllocationOut(Schema):
    id: int
    home: int = Field(..., alias="home_id")
    status: str
    seed: str
    seed_announced_at: datetime
    drawn_at: datetime | None
    chosen: str | None = None
    result: dict[str, Any]
    decision_ref: str

    @staticmethod
    def resolve_chosen(obj) -> str | None:
        return obj.chosen.public_id if obj.chosen_id else None
