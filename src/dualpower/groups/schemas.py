"""What the groups API reads and writes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator

from dualpower.groups.services import NAME_MAX, PURPOSE_MAX


class GroupOut(Schema):
    slug: str
    name: str
    purpose: str
    is_open: bool
    template: str
    member_count: int = 0
    request_count: int = 0
    created_at: datetime


# Booleans and ids are strict: JSON has both, and pydantic would otherwise read 1 or "yes" as true
# and `true` as the id 1.
class GroupIn(Schema):
    name: str = Field(..., min_length=1, max_length=NAME_MAX)
    purpose: str = Field("", max_length=PURPOSE_MAX)
    is_open: bool = Field(True, strict=True)


class GroupPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=NAME_MAX)
    purpose: str | None = Field(None, max_length=PURPOSE_MAX)
    is_open: bool | None = Field(None, strict=True)


class GroupMemberOut(Schema):
    id: int = Field(..., description="The id of this place in the group (use it to approve, decline...).")
    member_id: int = Field(..., alias="membership_id")
    display_name: str
    is_convener: bool
    status: str
    joined_at: datetime

    @staticmethod
    def resolve_display_name(obj) -> str:
        return obj.membership.display_name


class LeaveIn(Schema):
    new_convener: int | None = Field(
        None,
        description="When the last convener leaves: the id (in this group) of the member who takes over.",
    )

    @field_validator("new_convener", mode="before")
    @classmethod
    def _not_a_boolean(cls, value: Any) -> Any:
        # Not strict: the form on the page sends the id as text. But `true` is no one's id.
        if isinstance(value, bool):
            raise ValueError("Give the id of the member who takes over.")
        return value


class ConvenerIn(Schema):
    is_convener: bool = Field(..., strict=True)
