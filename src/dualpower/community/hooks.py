"""Where the apps above the community plug into it.

The community is the lowest app: it imports no other app. When it needs them (a new community
gets its starter working groups; the audit log names the member who acted; the dashboard counts
members and groups) the higher app registers a function here, from its ``registrations.py``.

- ``on_community_created(fn)``: ``fn(event)`` runs inside the transaction that creates a
  community, in the order registered; an exception undoes the creation.
- ``register_actor_lookup(fn)``: ``fn(user, community)`` returns the membership through which
  ``user`` acts in ``community`` (or None); the audit log records it as the actor.
- ``register_overview_count(key, fn)``: ``fn(community=community)`` is a number the community's dashboard
  panel shows under ``key`` (``member_count``, ``group_count``).
- ``register_visitor_page(fn)``: ``fn(user, community)`` is the page (a URL) to show a signed-in
  person who may not see the community's dashboard yet, or None: an applicant goes to their
  application's status rather than meeting a refusal.
- ``register_visitor_count(key, sql)``: ``sql(vendor)`` is a SQL expression counting something of
  the signed-in visitor (its one ``%s`` is their user id), read in the same query as the
  community on every page of it (``community_for_visitor``) and left on the user object for the
  request (``visitor_count(user, key)``): the menu's unread notifications cost no query of their own.
- ``register_audit_sentence(action, render)``: how the audit log and the dashboard's "Lately" tell
  an entry recorded under ``action`` as a sentence in the reader's language ("Rosa admitted Lee"),
  never as its code. Each app registers the actions it records in its ``<app>/audit.py``, imported
  by its ``registrations.py``; ``audit_sentence(entry)`` tells any entry (an unknown action as a
  generic sentence).
- ``register_audit_view(fn)``: ``fn(entries)`` returns the queryset of entries as readers see
  them, annotated with ``shown_summary`` (and ``shown_data``, JSON text) where a reader must see
  other words than the stored ones: members gives the words of entries that named a person who
  has since deleted their account (the entry itself is append-only). ``audit_shown(entry)`` puts
  them in place; ``audit_sentence`` and the API do so before reading an entry.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.translation import gettext as _

from dualpower.community.models import AuditEntry, Community

if TYPE_CHECKING:  # members sits above the community: only its type is named here
    from django.db.models import QuerySet
    from django_stubs_ext import StrOrPromise

    from dualpower.members.models import Membership


@dataclass(frozen=True)
class CommunityCreated:
    """What ``community_create`` was asked for, as its hooks see it."""

    community: Community
    # Whether the new community starts with the starter working groups (housing, health...).
    with_group_templates: bool = True


CreatedHook = Callable[[CommunityCreated], None]
# ``lookup(user, community)``: the acting membership (an audit entry's ``actor``) or None.
ActorLookup = Callable[[Any, Community], "Membership | None"]


class OverviewCount(Protocol):
    def __call__(self, *, community: Community) -> int: ...


# ``page(user, community)``: where a visitor refused the dashboard belongs instead (a URL), or None.
VisitorPage = Callable[[Any, Community], "str | None"]

_created: list[CreatedHook] = []
_visitor_pages: list[VisitorPage] = []
_actor_lookups: list[ActorLookup] = []
_overview_counts: dict[str, OverviewCount] = {}
_visitor_counts: dict[str, Callable[[str], str]] = {}
# Where ``community_for_visitor`` leaves the visitor's counts on the user object (one per request).
VISITOR_COUNTS = "_dp_visitor_counts"


def on_community_created(hook: CreatedHook) -> CreatedHook:
    """Register ``hook`` to run when a community is created; usable as a decorator."""
    if hook not in _created:
        _created.append(hook)
    return hook


def community_created(event: CommunityCreated) -> None:
    """Run every registered creation hook (called by ``services.community_create``)."""
    for hook in _created:
        hook(event)


def register_actor_lookup(lookup: ActorLookup) -> None:
    if lookup not in _actor_lookups:
        _actor_lookups.append(lookup)


def actor_for(user: Any, community: Community) -> Membership | None:
    """The membership through which ``user`` acts in ``community``, or None."""
    for lookup in _actor_lookups:
        actor = lookup(user, community)
        if actor is not None:
            return actor
    return None


def register_visitor_page(page: VisitorPage) -> None:
    if page not in _visitor_pages:
        _visitor_pages.append(page)


def visitor_page(user: Any, community: Community) -> str | None:
    """The page a signed-in visitor who may not see ``community``'s dashboard belongs on, if any."""
    for page in _visitor_pages:
        url = page(user, community)
        if url:
            return url
    return None


def register_visitor_count(key: str, sql: Callable[[str], str]) -> None:
    """Before the first request (an app's ``registrations.py``): the community's read is written
    once per process with the counts registered by then."""
    _visitor_counts[key] = sql


def visitor_count_sql(vendor: str) -> list[tuple[str, str]]:
    """(key, SQL expression) of each visitor count, in the order of the community read's columns."""
    return [(key, sql(vendor)) for key, sql in sorted(_visitor_counts.items())]


def visitor_count(user: Any, key: str) -> int | None:
    """The count ``key`` read with the community this request, or None if it was not read."""
    counts: dict[str, int] | None = getattr(user, VISITOR_COUNTS, None)
    return None if counts is None else counts.get(key)


def register_overview_count(key: str, count: OverviewCount) -> None:
    _overview_counts[key] = count


def overview_counts(community: Community) -> dict[str, int]:
    return {key: count(community=community) for key, count in _overview_counts.items()}


# ``render(entry, actor)``: the sentence telling ``entry``; ``actor`` is the acting member's name
# (or the node's, for what the node did by itself), ready to be the sentence's subject.
AuditRender = Callable[[AuditEntry, str], str]


@dataclass(frozen=True)
class _Sentence:
    """A sentence given as a translatable text: ``%(actor)s``, ``%(summary)s`` (the entry's own
    words: usually the name of what it is about) and the entry's plain data values fill it in.
    ``unattended`` (optional) tells the entry when nobody acted: the node did it by itself."""

    text: StrOrPromise
    unattended: StrOrPromise | None = None

    def __call__(self, entry: AuditEntry, actor: str) -> str:
        text = self.unattended if entry.actor_id is None and self.unattended is not None else self.text
        # ``text % values``, not ``str(text) % values``: a lazy plural (``ngettext_lazy(..., "count")``)
        # picks its form from the value it names.
        return str(text % sentence_values(entry, actor))


class _Values(dict[str, object]):
    # A value the entry lacks (an older entry, written before the field was recorded) reads as
    # nothing rather than breaking the page.
    def __missing__(self, key: str) -> str:
        return ""


def sentence_values(entry: AuditEntry, actor: str) -> dict[str, object]:
    """What a sentence may name: the actor, the summary, and each plain value of the entry's data."""
    values = _Values(
        {key: value for key, value in (entry.data or {}).items() if isinstance(value, str | int | float)}
    )
    values.update(actor=actor, summary=entry.summary)
    return values


_audit_sentences: dict[str, AuditRender] = {}


def register_audit_sentence(
    action: str, render: AuditRender | StrOrPromise, *, unattended: StrOrPromise | None = None
) -> None:
    """Tell entries recorded under ``action`` with ``render``: a function of the entry and the
    actor's name, or a translatable text (``gettext_lazy``) with ``%(actor)s``/``%(summary)s``."""
    _audit_sentences[action] = render if callable(render) else _Sentence(render, unattended)


def audit_actions() -> frozenset[str]:
    """The actions that have a sentence."""
    return frozenset(_audit_sentences)


def actor_name(entry: AuditEntry) -> str:
    if entry.actor is None:
        return _("The node")
    return entry.actor.display_name


AuditView = Callable[["QuerySet[AuditEntry]"], "QuerySet[AuditEntry]"]
_audit_views: list[AuditView] = []


def register_audit_view(view: AuditView) -> None:
    if view not in _audit_views:
        _audit_views.append(view)


def audit_view(entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """``entries`` as readers see them (each registered view's annotations)."""
    for view in _audit_views:
        entries = view(entries)
    return entries


def audit_shown(entry: AuditEntry) -> AuditEntry:
    """``entry`` with the words readers see in place of its stored ones (``shown_summary`` and
    ``shown_data`` from ``audit_view``), in memory only: the stored entry never changes."""
    summary = getattr(entry, "shown_summary", None)
    if summary is not None:
        entry.summary = summary
    data = getattr(entry, "shown_data", None)
    if data:
        entry.data = json.loads(data)
    return entry


def audit_sentence(entry: AuditEntry) -> str:
    """``entry`` as a sentence in the active language; an action nobody registered is told as a
    generic sentence with the entry's summary, never as its code."""
    audit_shown(entry)
    actor = actor_name(entry)
    render = _audit_sentences.get(entry.action)
    if render is not None:
        try:
            return render(entry, actor)
        except (TypeError, ValueError, KeyError, AttributeError):
            # An entry older than its sentence's values (a count it did not record yet) is told
            # generically rather than breaking the page.
            pass
    if entry.summary:
        return _("%(actor)s recorded a change: %(summary)s") % {"actor": actor, "summary": entry.summary}
    return _("%(actor)s recorded a change") % {"actor": actor}
