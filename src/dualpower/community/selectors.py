"""Reads for a community and its audit log."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from dualpower.community import hooks
from dualpower.community.models import AuditEntry, Community
from dualpower.errors import NotFound
from dualpower.web import fragments
from dualpower.web.prepared import Prepared


def community_get(*, slug: str) -> Community:
    """The community called ``slug`` (404 with a sentence)."""
    return _read_community(slug, None)[0]


# The memberships of a user known within a request, by community id (None: not a member), kept on
# the user object (Django makes one per request). ``community_for_visitor`` fills it; members'
# ``membership_for`` reads and fills the same attribute, and forgets it when a service changes a
# membership.
KNOWN_MEMBERSHIPS = "_dp_memberships"


def community_for_visitor(*, slug: str, user: Any) -> Community:
    """``community_get``, with the signed-in visitor's active membership read in the same query
    and left where ``membership_for`` finds it: every page of a community asks who the visitor is
    in it (the permission check, the menu), now at no query of its own."""
    if user is None or not getattr(user, "is_authenticated", False):
        return community_get(slug=slug)
    found, mine, counts = _read_community(slug, user.pk)
    setattr(user, hooks.VISITOR_COUNTS, counts)
    known: dict[int, Any] | None = getattr(user, KNOWN_MEMBERSHIPS, None)
    if known is None:
        known = {}
        setattr(user, KNOWN_MEMBERSHIPS, known)
    known[found.pk] = mine
    return found


def active_membership(*, community: Community, user_id: int) -> Any:
    """The active membership (a members.Membership, or None) of ``user_id`` in ``community``, read
    as ``community_for_visitor`` reads it (for members.roles, which keeps it for the request)."""
    read = _visitor_read(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(read.by_id, [*read.count_params(user_id), user_id, "active", community.pk])
        row = cursor.fetchone()
    return read.membership(row, community) if row is not None else None


def _read_community(slug: str, user_id: int | None) -> tuple[Community, Any, dict[str, int]]:
    """The community ``slug``, the active membership of ``user_id`` in it (None for no one: the
    join then finds no row) and their counts (hooks.register_visitor_count)."""
    read = _visitor_read(connection.vendor)

    def rows() -> fragments.Rows:
        with connection.cursor() as cursor:
            cursor.execute(read.by_slug, [*read.count_params(user_id), user_id, "active", slug])
            return cursor.fetchall()

    # Kept while nothing is written, when the request has read the database's state already (a
    # signed-in visitor's session did); otherwise this query is the request's reading of it.
    found = fragments.kept_rows(("community", slug, user_id), rows)
    if not found:
        raise NotFound(f"There is no community “{slug}” on this node.")
    row = found[0]
    fragments.note_version(row[read.end])
    community = read.make(0, row)
    counts = {key: int(n) for key, n in zip(read.count_keys, row[read.end + 1 :], strict=True)}
    return community, read.membership(row, community), counts


class _VisitorRead:
    """The community row joined to one person's active membership, its SQL written once per
    process: building the same join through the ORM on every page cost more CPU (about 0.5 ms)
    than running it. At most one membership joins (members' constraints
    ``one_membership_per_person`` and ``membership_active_has_account``). Its columns become a
    Community and a Membership as the ORM makes them: the same conversions of the database's
    values (``compiler.get_converters``). The membership is reached through the reverse relation
    by name, so this layer imports nothing of members."""

    def __init__(self) -> None:
        quote = connection.ops.quote_name
        membership = Community._meta.get_field("memberships").related_model
        self.models = (Community, membership)
        fields = (Community._meta.concrete_fields, membership._meta.concrete_fields)
        self.attnames = tuple([f.attname for f in part] for part in fields)
        self.converters = tuple([_converters(f) for f in part] for part in fields)
        self.split = len(fields[0])
        self.end = self.split + len(fields[1])
        counts = hooks.visitor_count_sql(connection.vendor)
        self.count_keys = tuple(key for key, _ in counts)
        # Then the database's state (web/fragments.py: the page's kept fragments are keyed by it)
        # and the visitor's counts, each given the user id.
        columns = ", ".join(
            [
                *(
                    f"{alias}.{quote(str(f.column))}"
                    for alias, part in zip("cm", fields, strict=True)
                    for f in part
                ),
                fragments.version_sql(connection.vendor),
                *(f"({sql})" for _, sql in counts),
            ]
        )

        def column(model: Any, name: str) -> str:
            return quote(str(model._meta.get_field(name).column))

        select = (
            f"SELECT {columns} FROM {quote(Community._meta.db_table)} c "  # noqa: S608  # our own names
            f"LEFT OUTER JOIN {quote(membership._meta.db_table)} m "
            f"ON m.{column(membership, 'community')} = c.{column(Community, 'id')} "
            f"AND m.{column(membership, 'user')} = %s AND m.{column(membership, 'status')} = %s "
        )
        self.by_slug = f"{select}WHERE c.{column(Community, 'slug')} = %s"
        self.by_id = f"{select}WHERE c.{column(Community, 'id')} = %s"

    def count_params(self, user_id: int | None) -> list[int | None]:
        return [user_id] * len(self.count_keys)

    def make(self, which: int, row: tuple[Any, ...]) -> Any:
        """The community (``which`` 0) or the membership (1) of ``row``."""
        values = row[: self.split] if which == 0 else row[self.split : self.end]
        converted = []
        for (col, convs), value in zip(self.converters[which], values, strict=True):
            for convert in convs:
                value = convert(value, col, connection)
            converted.append(value)
        return self.models[which].from_db(connection.alias, self.attnames[which], converted)

    def membership(self, row: tuple[Any, ...], community: Community) -> Any:
        if row[self.split] is None:  # no membership joined
            return None
        mine = self.make(1, row)
        mine.community = community
        return mine


def _converters(field: Any) -> tuple[Any, list[Any]]:
    col = field.get_col(field.model._meta.db_table)
    return col, [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]


@cache
def _visitor_read(vendor: str) -> _VisitorRead:
    return _VisitorRead()


def community_find(*, slug: str) -> Community | None:
    """The community called ``slug`` on this node, or None (``community_get`` raises instead)."""
    return Community.objects.filter(slug=slug).first()


def communities_all() -> QuerySet[Community]:
    """Every community on this node, by name."""
    return Community.objects.all()


def communities_public() -> QuerySet[Community]:
    """The communities listed on the node's front page."""
    return Community.objects.filter(is_public=True)


def communities_visible(*, user: Any) -> QuerySet[Community]:
    """Public communities, and those ``user`` is an active member of."""
    from django.db.models import Q

    if user is None or not user.is_authenticated:
        return Community.objects.filter(is_public=True)
    mine = Q(memberships__user=user, memberships__status="active")
    return Community.objects.filter(Q(is_public=True) | mine).distinct()


def audit_entries(*, community: Community) -> QuerySet[AuditEntry]:
    return hooks.audit_view(AuditEntry.objects.filter(community=community).select_related("actor"))


AUDIT_PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditPage:
    """One page of the audit log, newest first, found by keyset: "older than entry N" or "newer
    than entry N", never "page 3". A new entry never moves the entries of a page already linked
    to, and a page deep in the log costs what the first one does (no OFFSET to walk past).

    ``older`` is the ``before`` cursor of the next older page (None on the oldest), ``newer`` the
    ``after`` cursor of the next newer page (None on the newest).
    """

    entries: list[AuditEntry]
    older: int | None
    newer: int | None


def audit_page(
    *, community: Community, before: int | None = None, after: int | None = None, size: int = AUDIT_PAGE_SIZE
) -> AuditPage:
    """The ``size`` entries just older than entry ``before`` (or just newer than entry ``after``;
    the newest without either), newest first, in one query by the index on the community and id
    (its SQL written once per process: ``_audit_*`` below). The entries' community is ``community``."""
    if after is not None:
        rows = _audit_newer(community=community.pk, after=after, limit=size + 1, offset=0)
        more = len(rows) > size
        rows = _of(community, rows[:size][::-1])
        return AuditPage(
            entries=rows,
            older=rows[-1].pk if rows else after + 1,
            newer=rows[0].pk if more else None,
        )
    if before is not None:
        rows = _audit_older(community=community.pk, before=before, limit=size + 1, offset=0)
    else:
        rows = _audit_newest(community=community.pk, limit=size + 1, offset=0)
    more = len(rows) > size
    rows = _of(community, rows[:size])
    newer = None
    if before is not None:
        newer = rows[0].pk if rows else before - 1
    return AuditPage(entries=rows, older=rows[-1].pk if more else None, newer=newer)


def _of(community: Community, entries: list[AuditEntry]) -> list[AuditEntry]:
    for entry in entries:
        entry.community = community
    return entries


# ``audit_entries`` (readers' view of the entries, with their actor) by id, the SQL of each of
# the three pages written once per process (web/prepared.py); the audit views are registered
# when the apps load, before the first page is asked for.
def _audit_of(community: int) -> QuerySet[AuditEntry]:
    return hooks.audit_view(AuditEntry.objects.filter(community_id=community).select_related("actor"))


_audit_newest = Prepared(lambda community: _audit_of(community).order_by("-pk"), window=True, community=int)
_audit_older = Prepared(
    lambda community, before: _audit_of(community).filter(pk__lt=before).order_by("-pk"),
    window=True,
    community=int,
    before=int,
)
_audit_newer = Prepared(
    lambda community, after: _audit_of(community).filter(pk__gt=after).order_by("pk"),
    window=True,
    community=int,
    after=int,
)


def audit_entries_as_stored(*, community: Community) -> QuerySet[AuditEntry]:
    """The entries as they were written, before any view of them (redactions) is applied: for the
    services that maintain those views."""
    return AuditEntry.objects.filter(community=community)


def audit_entries_by(*, user: Any) -> QuerySet[AuditEntry]:
    """What ``user`` did, across communities, oldest first: the entries whose actor is one of
    their memberships (for the export of their data)."""
    return AuditEntry.objects.filter(actor__user=user).select_related("community").order_by("created_at")


def community_overview(*, community: Community, latest: int = 5) -> dict[str, Any]:
    """Counts for the dashboard (active members and working groups, registered by their apps in
    ``hooks.register_overview_count``) and the latest audit entries."""
    return {
        **hooks.overview_counts(community),
        "latest_entries": list(audit_entries(community=community)[:latest]),
    }
