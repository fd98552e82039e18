"""API for notifications: my own, nobody else's."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from dualpower.api_tools import paginate
from dualpower.members.roles import signed_in
from dualpower.notifications import selectors, services
from dualpower.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    community: str | None
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_title(obj: Notification) -> str:
        return obj.title_text  # in the reader's language

    @staticmethod
    def resolve_body(obj: Notification) -> str:
        return obj.body_text

    @staticmethod
    def resolve_community(obj: Notification) -> str | None:
        return obj.community.slug if obj.community else None


NotificationId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ReadIn(Schema):
    ids: list[NotificationId] | None = Field(default=None, max_length=1000)


class ReadOut(Schema):
    marked: int


@router.get("/me/notifications", response=list[NotificationOut])
@paginate
def notification_list(request: HttpRequest, unread: bool = False):
    """My notifications, newest first."""
    return selectors.notifications_for(user=signed_in(request), unread_only=unread)


@router.post("/me/notifications/read", response=ReadOut)
def notification_read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    """Mark the given notifications (or all, without ids) as read."""
    return {"marked": services.notification_mark_read(user=signed_in(request), ids=payload.ids)}
