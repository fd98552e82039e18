"""What the co-ops API reads and writes. Money is integer cents; counts are strict integers."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from dualpower.coops.services import NAME_MAX, PURPOSE_MAX


class CoopOut(Schema):
    slug: str
    name: str
    kind: str
    purpose: str
    status: str
    share_price: int
    min_shares: int
    max_shares: int
    min_cash_percent: int
    member_count: int = 0
    assembly: str = Field(..., alias="assembly.slug")
    created_at: datetime


class CoopIn(Schema):
    name: str = Field(..., min_length=1, max_length=NAME_MAX)
    kind: str
    purpose: str = Field("", max_length=PURPOSE_MAX)
    share_price: int = Field(1000, strict=True, description="Price of one share in cents.")
    min_shares: int = Field(1, strict=True)
    max_shares: int = Field(100, strict=True)
    min_cash_percent: int = Field(20, strict=True)


class CoopPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=NAME_MAX)
    purpose: str | None = Field(None, max_length=PURPOSE_MAX)
    status: str | None = None
    share_price: int | None = Field(None, strict=True)
    min_shares: int | None = Field(None, strict=True)
    max_shares: int | None = Field(None, strict=True)
    min_cash_percent: int | None = Field(None, strict=True)


class CoopMemberOut(Schema):
    id: int
    member_id: int = Field(..., alias="membership_id")
    display_name: str = Field(..., alias="membership.display_name")
    status: str
    role: str
    joined_at: datetime | None


class BoardIn(Schema):
    is_board: bool = Field(..., strict=True)


class OperationIn(Schema):
    kind: str
    shares: int = Field(..., strict=True)
    member: int | None = Field(None, strict=True, description="Id in the co-op; yourself if left out.")
    to_member: int | None = Field(None, strict=True)
    note: str = Field("", max_length=300)


class OperationOut(Schema):
    id: int
    kind: str
    status: str
    member: int = Field(..., alias="member_id")
    to_member: int | None = Field(None, alias="to_member_id")
    shares: int
    share_price: int
    amount: int
    note: str
    created_at: datetime
    approved_at: datetime | None
    done_at: datetime | None


class CapitalOut(Schema):
    member: int
    display_name: str
    shares: int
    amount: int


class PatronageIn(Schema):
    year: int = Field(..., strict=True)
    surplus: int = Field(..., strict=True, description="The year's surplus in cents.")
    cash_percent: int = Field(..., strict=True)
    measure: str = "hours"
    patronage: dict[int, int] = Field(..., description="Co-op member id → hours or purchases.")


class PatronageLineOut(Schema):
    member: int = Field(..., alias="member_id")
    patronage: int
    amount: int
    cash: int
    retained: int


class PatronageOut(Schema):
    id: int
    year: int
    surplus: int
    measure: str
    cash_percent: int
    total_cash: int
    total_retained: int
    status: str
    lines: list[PatronageLineOut]

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.all())
