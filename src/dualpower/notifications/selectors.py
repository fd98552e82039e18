"""Reads for notifications."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.db import connection
from django.db.models import Q, QuerySet

from dualpower.community.hooks import visitor_count
from dualpower.community.models import Community
from dualpower.members.models import User
from dualpower.notifications.models import Notification


def notifications_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    rows = Notification.objects.filter(user=user).select_related("community")
    return rows.filter(read_at=None) if unread_only else rows


def notifications_page(
    *, user: User, unread_only: bool = False, limit: int, offset: int = 0
) -> list[Notification]:
    """A window of ``notifications_for``, newest first, in one query (the list: web.pages)."""
    return list(notifications_for(user=user, unread_only=unread_only)[offset : offset + limit])


def notifications_count(
    *, community: Community, kind_prefixes: Iterable[str] = (), url_prefixes: Iterable[str] = ()
) -> int:
    """How many notification rows of ``community`` the node holds (read or not) whose kind or link
    starts with one of the prefixes ("aid.", "/c/demo/defence/"): for "What a seizure would reveal"."""
    about = Q()
    for prefix in kind_prefixes:
        about |= Q(kind__startswith=prefix)
    for prefix in url_prefixes:
        about |= Q(url__startswith=prefix)
    if not about:
        return 0
    return Notification.objects.filter(community=community).filter(about).count()


def unread_count(*, user: User) -> int:
    """How many of ``user``'s notifications are unread: on every signed-in page (the menu).

    The SQL is written once per process: building it through the ORM cost about 0.25 ms of CPU on
    each page, fifteen times what the count costs on the index on (user, read_at).
    """
    with connection.cursor() as cursor:
        cursor.execute(unread_sql(connection.vendor), [user.pk])
        row = cursor.fetchone()
    return int(row[0])


def menu_unread_count(*, user: User) -> int:
    """``unread_count`` for the menu of a page: read with the page's community when it was
    (community.hooks.register_visitor_count, registered below), else counted now."""
    known = visitor_count(user, UNREAD)
    return unread_count(user=user) if known is None else known


UNREAD = "unread_notifications"


@cache
def unread_sql(vendor: str) -> str:
    # The same statement as ``Notification.objects.filter(user=user, read_at=None).count()``;
    # keyed by the database's vendor only because quoting could differ between them.
    quote = connection.ops.quote_name
    meta = Notification._meta
    columns = {field.name: str(field.column) for field in meta.concrete_fields}
    user, read_at = quote(columns["user"]), quote(columns["read_at"])
    return f"SELECT COUNT(*) FROM {quote(meta.db_table)} WHERE {user} = %s AND {read_at} IS NULL"  # noqa: S608
