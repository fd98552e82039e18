"""What the inventory API reads and writes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from dualpower.inventory.services import LOCATION_MAX, LOT_MAX, NAME_MAX, REASON_MAX, UNIT_MAX


class ItemOut(Schema):
    id: int
    name: str
    unit: str
    location: str
    stock: int
    low_threshold: int
    is_low: bool
    expiry_warning_days: int


class ItemIn(Schema):
    name: str = Field(..., min_length=1, max_length=NAME_MAX)
    unit: str = Field(..., min_length=1, max_length=UNIT_MAX)
    low_threshold: int = Field(0, strict=True)
    location: str = Field("", max_length=LOCATION_MAX)
    expiry_warning_days: int = Field(30, strict=True)


class ItemPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=NAME_MAX)
    unit: str | None = Field(None, min_length=1, max_length=UNIT_MAX)
    low_threshold: int | None = Field(None, strict=True)
    location: str | None = Field(None, max_length=LOCATION_MAX)
    expiry_warning_days: int | None = Field(None, strict=True)


class MovementIn(Schema):
    kind: Literal["in", "out", "count"]
    quantity: int | None = Field(None, strict=True, description="For in and out: how many (1 or more).")
    counted: int | None = Field(None, strict=True, description="For a count: what is on the shelf.")
    reason: str = Field("", max_length=REASON_MAX)
    aid_request: str | None = Field(None, description="For out: the code of the aid request it serves.")
    lot: str = Field("", max_length=LOT_MAX, description="The lot number, for goods kept by lot.")
    expires_on: dt.date | None = Field(None, description="For in: the new lot's expiry date.")


class MovementOut(Schema):
    id: int
    kind: str
    quantity: int
    stock_after: int
    reason: str
    by: str | None = None
    aid_request: str | None = None
    lot: str | None = None
    created_at: dt.datetime

    @staticmethod
    def resolve_by(obj) -> str | None:
        return obj.by.display_name if obj.by_id else None

    @staticmethod
    def resolve_aid_request(obj) -> str | None:
        return obj.aid_request.code if obj.aid_request_id else None

    @staticmethod
    def resolve_lot(obj) -> str | None:
        return obj.lot.code if obj.lot_id else None


class LotOut(Schema):
    code: str
    expires_on: dt.date | None
    remaining: int
