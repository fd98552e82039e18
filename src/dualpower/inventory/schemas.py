"""What the inventory API reads and writes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from dualpower.inventory.services import LOCATION_MAX, NAME_MAX, REASON_MAX, UNIT_MAX


class ItemOut(Schema):
    id: int
    name: str
    unit: str
    location: str
    stock: int
    low_threshold: int
    is_low: bool


class ItemIn(Schema):
    name: str = Field(..., min_length=1, max_length=NAME_MAX)
    unit: str = Field(..., min_length=1, max_length=UNIT_MAX)
    low_threshold: int = Field(0, strict=True)
    location: str = Field("", max_length=LOCATION_MAX)


class ItemPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=NAME_MAX)
    unit: str | None = Field(None, min_length=1, max_length=UNIT_MAX)
    low_threshold: int | None = Field(None, strict=True)
    location: str | None = Field(None, max_length=LOCATION_MAX)


class MovementIn(Schema):
    kind: Literal["in", "out", "count"]
    quantity: int | None = Field(None, strict=True, description="For in and out: how many (1 or more).")
    counted: int | None = Field(None, strict=True, description="For a count: what is on the shelf.")
    reason: str = Field("", max_length=REASON_MAX)
    aid_request: str | None = Field(None, description="For out: the code of the aid request it serves.")


class MovementOut(Schema):
    id: int
    kind: str
    quantity: int
    stock_after: int
    reason: str
    by: str | None = None
    aid_request: str | None = None
    created_at: dt.datetime

    @staticmethod
    def resolve_by(obj) -> str | None:
        return obj.by.display_name if obj.by_id else None

    @staticmethod
    def resolve_aid_request(obj) -> str | None:
        return obj.aid_request.code if obj.aid_request_id else None
