"""Shapes of the members API. Lengths mirror the models so oversized text is refused with its field."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from dualpower.web.permissions import may


class MemberOut(Schema):
    id: int
    display_name: str
    role: str
    languages: list[str]
    neighbourhood: str
    skills: list[str]
    contact: str | None = Field(None, description="Only when the member lets you see it.")
    joined_at: datetime

    @staticmethod
    def resolve_contact(obj: Any, context: dict[str, Any]) -> str | None:
        # The member decides who sees their contact details; the rule lives in members/rules.py.
        request = context.get("request") if context else None
        if request is None or not obj.contact or not may(request.user, "members.view_contact", obj):
            return None
        return str(obj.contact)


class MemberPageOut(Schema):
    """A page of the member list by name; ``next`` is the address of the following page (None on
    the last page)."""

    items: list[MemberOut]
    next: str | None


class ProfilePatch(Schema):
    display_name: str | None = Field(None, min_length=1, max_length=80)
    languages: list[str] | None = Field(None, max_length=20)
    neighbourhood: str | None = Field(None, max_length=80, description="A neighbourhood, never an address.")
    skills: list[str] | None = Field(None, max_length=20)
    contact: str | None = Field(None, max_length=200)
    contact_visibility: str | None = Field(None, description="nobody, coordinators or members")


class MyMembershipOut(MemberOut):
    community: str
    contact_visibility: str

    @staticmethod
    def resolve_community(obj: Any) -> str:
        return str(obj.community.slug)


class ApplicationIn(Schema):
    display_name: str = Field(..., min_length=1, max_length=80)
    answers: list[str] = Field(default_factory=list, max_length=50)


class ApplicationOut(Schema):
    id: int
    community: str
    display_name: str
    answers: list[str]
    status: str
    trust_count: int = 0
    trust_given_by_me: bool = False
    decision_reason: str
    created_at: datetime
    decided_at: datetime | None


class DeclineIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class RoleIn(Schema):
    role: str
    reason: str = Field(..., min_length=1, max_length=500)
    decision_ref: str = Field("", max_length=120)


class RoleChangeOut(Schema):
    id: int
    member: int
    role_before: str
    role_after: str
    reason: str
    decision_ref: str
    created_at: datetime


class TrustOut(Schema):
    application: ApplicationOut
    admitted: bool


class AccountOut(Schema):
    email: str
    two_factor: bool
    memberships: list[MyMembershipOut]
    applications: list[ApplicationOut]


class DeleteAccountIn(Schema):
    confirm_email: str = Field(..., max_length=254)


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    scope: Literal["read", "write"] = Field(
        "read",
        description=(
            "read: GET, HEAD and OPTIONS only; write: also changes. Neither manages tokens or the account."
        ),
    )


class TokenOut(Schema):
    id: int
    name: str
    scope: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="The secret. Shown only this once; store it safely.")
