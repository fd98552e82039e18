"""Reads for notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from dualpower.members.models import User
from dualpower.notifications.models import Notification


def notifications_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    rows = Notification.objects.filter(user=user).select_related("community")
    return rows.filter(read_at=None) if unread_only else rows


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()
