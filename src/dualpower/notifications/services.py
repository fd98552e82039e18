"""Telling people things. Other apps call ``notification_send`` (a few people) or
``notification_fanout`` (a whole audience); nothing else writes here but the jobs in ``tasks``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from dualpower.community.models import Community
from dualpower.holdings import erasure_flush
from dualpower.members.models import Membership, User
from dualpower.notifications import audiences
from dualpower.notifications.models import Fanout, Notification
from dualpower.notifications.text import Text, as_text, text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = [
    "notification_fanout",
    "notification_mark_read",
    "notification_send",
    "notification_withdraw",
    "text",
]


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


def _message(title: Text | StrOrPromise, body: Text | StrOrPromise, url: str) -> dict[str, Any]:
    """The columns a notification keeps of its message (shared by ``Notification`` and ``Fanout``)."""
    if url and not url.startswith("/"):
        raise ValueError("Notifications link to a page of this node, not elsewhere.")
    title_text, body_text = as_text(title), as_text(body)
    params = {}
    if title_text is not None:
        params["title"] = {k: v for k, v in title_text.spec().items() if k != "msgid"}
    if body_text is not None:
        params["body"] = {k: v for k, v in body_text.spec().items() if k != "msgid"}
    # The plain columns keep the text as the sender's language says it (shown for a plain str).
    return {
        "title": str(title)[:200],
        "body": str(body),
        "title_msgid": title_text.msgid if title_text is not None else "",
        "body_msgid": body_text.msgid if body_text is not None else "",
        "params": params,
        "url": url,
    }


def notification_send(
    *,
    recipients: Iterable[Membership | User | int],
    community: Community | None,
    kind: str,
    title: Text | StrOrPromise,
    body: Text | StrOrPromise = "",
    url: str = "",
    email: bool = True,
) -> int:
    """Notify each recipient (Memberships, Users or user ids; duplicates count once) in the app,
    and by email after the surrounding transaction commits. Returns how many were notified.

    Call it inside the service's transaction: if the change is rolled back, nobody is told.
    Keep private details out of ``title`` and ``body``: they go by email; link to the page instead.
    For a whole audience (everyone in an assembly) use ``notification_fanout``: it writes one row.

    Give ``title`` and ``body`` as ``text(gettext_lazy("... %(name)s ..."), name=...)`` (or a bare
    ``gettext_lazy``): they are stored untranslated and each reader sees them in their own language.
    A plain ``str`` is shown as given, in the language it was written in.
    """
    message = _message(title, body, url)
    user_ids = _user_ids(recipients)
    if not user_ids:
        return 0
    rows = Notification.objects.bulk_create(
        [Notification(user_id=uid, community=community, kind=kind, **message) for uid in user_ids]
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


def notification_fanout(
    *,
    audience: str,
    ref: int,
    community: Community | None,
    kind: str,
    title: Text | StrOrPromise,
    body: Text | StrOrPromise = "",
    url: str = "",
    email: bool = True,
) -> Fanout:
    """Notify everyone in ``audience`` (registered in ``notifications.audiences``; ``ref`` the id
    of its object, an assembly's say) in the app, and by email: as ``notification_send`` does,
    but for any number of people at the cost of one row.

    Call it inside the service's transaction: it records the fan-out there, and once the
    transaction commits a background job writes each person's notification in short
    transactions (``tasks.fanout_run``); if the change is rolled back, nobody is told. The people
    are those in the audience when the job runs.
    """
    if not audiences.is_known(audience):
        raise ValueError(f"No audience {audience!r} is registered.")
    fanout = Fanout.objects.create(
        audience=audience,
        audience_ref=ref,
        community=community,
        kind=kind,
        email=email,
        **_message(title, body, url),
    )
    from dualpower.notifications.tasks import fanout_run

    transaction.on_commit(lambda: fanout_run.enqueue(fanout.pk))
    return fanout


@transaction.atomic
def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or, with ids None, all) of ``user``'s notifications read."""
    unread = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_withdraw(*, community: Community, url: str) -> int:
    """Delete every in-app notification of ``community`` that points to ``url`` or below it (read
    or not, mailed or not): for a record that is being erased (an incident forgotten by default),
    so that nobody's list still says it existed, to whom and when. Returns how many were deleted.
    A mail already sent is out of the node's hands; one not yet sent is not sent (its row is gone)."""
    if not url:
        return 0
    deleted, _by_model = Notification.objects.filter(community=community, url__startswith=url).delete()
    erasure_flush()
    return deleted
