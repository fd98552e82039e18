from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from dualpower.community import hooks


class CommunityOut(Schema):
    slug: str
    name: str
    description: str
    languages: list[str]
    admission: str
    trust_threshold: int
    application_questions: list[str]
    is_public: bool


class CommunityPatch(Schema):
    # Strict numbers and booleans: JSON has both, and pydantic would read `true` as a threshold of 1.
    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=5000)
    languages: list[str] | None = Field(None, max_length=20)
    admission: str | None = None
    trust_threshold: int | None = Field(None, ge=1, le=100, strict=True)
    application_questions: list[str] | None = Field(None, max_length=20)
    is_public: bool | None = Field(None, strict=True)


class NodeOut(Schema):
    software: str
    version: str
    communities: list[CommunityOut]


class AuditEntryOut(Schema):
    id: int
    action: str
    actor: str | None
    target_type: str
    target_id: str
    summary: str
    data: dict[str, Any]
    decision_ref: str
    created_at: datetime

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.display_name if obj.actor else None

    @staticmethod
    def resolve_summary(obj) -> str:
        # The words readers see: a deleted account's name is not among them (hooks.audit_view).
        return hooks.audit_shown(obj).summary

    @staticmethod
    def resolve_data(obj) -> dict[str, Any]:
        return hooks.audit_shown(obj).data


class AuditLogOut(Schema):
    """A page of the audit log, newest first; ``next`` is the address of the older entries (None
    on the last page)."""

    items: list[AuditEntryOut]
    next: str | None
