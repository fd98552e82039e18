"""Telling people things. Other apps call ``notification_send``; nothing else writes here."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from dualpower.community.models import Community
from dualpower.members.models import Membership, User
from dualpower.notifications.models import Notification


def _user_ids(recipients: Iterable[Membership | User | int]) -> list[int]:
    ids: set[int] = set()
    for each in recipients:
        if isinstance(each, Membership):
            if each.user_id is not None:  # a former member has no account left to notify
                ids.add(each.user_id)
        elif isinstance(each, User):
            ids.add(each.pk)
        else:
            ids.add(int(each))  # a user id
    return sorted(ids)


def notification_send(
    *,
    recipients: Iterable[Membership | User | int],
    community: Community | None,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> int:
    """Notify each recipient (Memberships, Users or user ids; duplicates count once) in the app,
    and by email after the surrounding transaction commits. Returns how many were notified.

    Call it inside the service's transaction: if the change is rolled back, nobody is told.
    Keep private details out of ``title`` and ``body``: they go by email; link to the page instead.
    """
    if url and not url.startswith("/"):
        raise ValueError("Notifications link to a page of this node, not elsewhere.")
    user_ids = _user_ids(recipients)
    if not user_ids:
        return 0
    rows = Notification.objects.bulk_create(
        [
            Notification(user_id=uid, community=community, kind=kind, title=title[:200], body=body, url=url)
            for uid in user_ids
        ]
    )
    if email:
        from dualpower.notifications.tasks import send_notification_emails

        ids = [row.pk for row in rows if row.pk is not None]
        if not ids:  # databases that do not return ids from bulk_create
            ids = list(
                Notification.objects.filter(user_id__in=user_ids, kind=kind, emailed_at=None).values_list(
                    "pk", flat=True
                )
            )
        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return len(user_ids)


@transaction.atomic
def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or, with ids None, all) of ``user``'s notifications read."""
    unread = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
