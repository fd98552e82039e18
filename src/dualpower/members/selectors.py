"""Every non-trivial read about people: member lists, profiles as a viewer may see them, exports."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from dualpower.community.models import AuditEntry, Community
from dualpower.community.selectors import audit_entries_by
from dualpower.errors import NotFound
from dualpower.members.models import (
    AccessToken,
    Application,
    AuditRedaction,
    Membership,
    RoleChange,
    RollCount,
    Trust,
    User,
)
from dualpower.web.prepared import Prepared


@dataclass(frozen=True)
class Profile:
    """A member as one viewer may see them: contact details only when the member allows it."""

    id: int
    display_name: str
    role: str
    role_label: str
    languages: list[str]
    neighbourhood: str
    skills: list[str]
    contact: str | None
    contact_visibility: str
    joined_at: datetime
    is_me: bool


def profile_for(*, viewer: Any, membership: Membership) -> Profile:
    shows_contact = bool(membership.contact) and viewer.has_perm("members.view_contact", membership)
    return Profile(
        id=membership.pk,
        display_name=membership.display_name,
        role=membership.role,
        role_label=str(membership.get_role_display()),
        languages=list(membership.languages or []),
        neighbourhood=membership.neighbourhood,
        skills=list(membership.skills or []),
        contact=membership.contact if shows_contact else None,
        contact_visibility=membership.contact_visibility,
        joined_at=membership.joined_at,
        is_me=membership.user_id is not None and membership.user_id == getattr(viewer, "pk", None),
    )


def members_of(*, community: Community, skill: str = "", neighbourhood: str = "") -> QuerySet[Membership]:
    """Admitted people (observers included) of ``community``, optionally filtered."""
    qs = Membership.objects.filter(community=community, status=Membership.Status.ACTIVE)
    if neighbourhood.strip():
        qs = qs.filter(neighbourhood__icontains=neighbourhood.strip())
    if skill.strip():
        # Skills are a JSON list; a portable filter is the id set of members whose list holds the skill.
        wanted = skill.strip().lower()
        ids = [m.pk for m in qs.only("pk", "skills") if any(wanted in str(s).lower() for s in m.skills or [])]
        qs = qs.filter(pk__in=ids)
    return qs.order_by("display_name", "id")


MEMBERS_PAGE_SIZE = 25


@dataclass(frozen=True)
class MembersPage:
    """A page of a member list by name, found by keyset: "after member N" (or "before"), never
    "page 3", so that the last page of 50,000 members costs what the first one does (the index on
    the community, status, name and id; no OFFSET to walk past). ``next`` is the ``after`` cursor
    of the following page, ``previous`` the ``before`` cursor of the one before (None at either end)."""

    people: list[Membership]
    next: int | None
    previous: int | None
    count: int | None = None  # how many people the whole list holds, when asked for


def members_page(
    *,
    people: QuerySet[Membership],
    after: int | None = None,
    before: int | None = None,
    size: int = MEMBERS_PAGE_SIZE,
) -> MembersPage:
    """The ``size`` people of ``people`` (``members_of``, filters kept) that come just after the
    member ``after`` by name and id (or just before ``before``; the first ones without either), in
    one query: the boundary's name is read in a subquery, so the address carries only its id."""
    boundary = after if after is not None else before
    if boundary is None:
        rows = list(people.order_by("display_name", "id")[: size + 1])
        return _first_page(rows, size)
    name = Subquery(Membership.objects.filter(pk=boundary).values("display_name")[:1])
    if after is not None:
        rows = list(people.filter(_later(name, after)).order_by("display_name", "id")[: size + 1])
        return _page_after(rows, size)
    rows = list(people.filter(_earlier(name, boundary)).order_by("-display_name", "-id")[: size + 1])
    return _page_before(rows, size)


def _later(name: Any, after: Any) -> Q:
    # The range first (display_name >= name) so the index is sought, not scanned.
    return Q(display_name__gte=name) & (Q(display_name__gt=name) | Q(pk__gt=after))


def _earlier(name: Any, before: Any) -> Q:
    return Q(display_name__lte=name) & (Q(display_name__lt=name) | Q(pk__lt=before))


def _first_page(rows: list[Membership], size: int) -> MembersPage:
    return MembersPage(
        people=rows[:size], next=rows[size - 1].pk if len(rows) > size else None, previous=None
    )


def _page_after(rows: list[Membership], size: int) -> MembersPage:
    more = len(rows) > size
    rows = rows[:size]
    return MembersPage(people=rows, next=rows[-1].pk if more else None, previous=rows[0].pk if rows else None)


def _page_before(rows: list[Membership], size: int) -> MembersPage:
    more = len(rows) > size
    rows = rows[:size][::-1]
    return MembersPage(people=rows, next=rows[-1].pk if rows else None, previous=rows[0].pk if more else None)


# The unfiltered list (every visit but a search) with its SQL written once per process
# (web/prepared.py): the same statements as ``members_page`` over ``members_of`` without filters.
def _everyone(community: int) -> QuerySet[Membership]:
    return Membership.objects.filter(community_id=community, status=Membership.Status.ACTIVE)


def _around(side: Any, *order: str) -> Prepared[Membership]:
    """Everyone on one ``side`` (``_later``, ``_earlier``) of the member ``boundary``, by ``order``."""

    def build(community: int, boundary: int) -> QuerySet[Membership]:
        name = Subquery(Membership.objects.filter(pk=boundary).values("display_name")[:1])
        return _everyone(community).filter(side(name, boundary)).order_by(*order)

    return Prepared(build, window=True, community=int, boundary=int)


_everyone_by_name = Prepared(
    lambda community: _everyone(community).order_by("display_name", "id"), window=True, community=int
)
_everyone_after = _around(_later, "display_name", "id")
_everyone_before = _around(_earlier, "-display_name", "-id")


def _is_search(skill: str, neighbourhood: str) -> bool:
    return bool(skill.strip() or neighbourhood.strip())


def member_list_page(
    *,
    community: Community,
    skill: str = "",
    neighbourhood: str = "",
    after: int | None = None,
    before: int | None = None,
    size: int = MEMBERS_PAGE_SIZE,
    count: bool = False,
) -> MembersPage:
    """``members_page`` of ``members_of(community, skill, neighbourhood)``: the same rows in the
    same one query, its SQL written once per process when nothing is searched for; with ``count``,
    how many people the whole list holds (one more query). The rows' community is ``community``
    (set, not read again)."""
    total = None
    if _is_search(skill, neighbourhood):
        people = members_of(community=community, skill=skill, neighbourhood=neighbourhood)
        page = members_page(people=people, after=after, before=before, size=size)
        total = people.count() if count else None
    elif after is not None:
        page = _page_after(
            _everyone_after(community=community.pk, boundary=after, limit=size + 1, offset=0), size
        )
    elif before is not None:
        rows = _everyone_before(community=community.pk, boundary=before, limit=size + 1, offset=0)
        page = _page_before(rows, size)
    else:
        page = _first_page(_everyone_by_name(community=community.pk, limit=size + 1, offset=0), size)
    if count and total is None:
        total = people_counted(community_id=community.pk)
    for person in page.people:
        person.community = community
    return replace(page, count=total)


def has_totp(*, user: Any) -> bool:
    """Whether ``user`` has set up two-factor authentication with an authenticator app."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def account_exists(*, email: str) -> bool:
    """Whether an account uses ``email`` (in any case)."""
    return User.objects.filter(email__iexact=email).exists()


def memberships_active_of(*, user: Any) -> QuerySet[Membership]:
    """The communities ``user`` is an active member of, as memberships with their community
    (none for an anonymous visitor)."""
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).select_related("community")


def member_count(*, community: Community) -> int:
    """How many people are admitted to ``community`` (observers included)."""
    return people_counted(community_id=community.pk)


# The roll's counts the database keeps (RollCount, migration 0007): a row per role.
_admitted_by_role = Prepared(
    lambda community: RollCount.objects.filter(community_id=community, status=Membership.Status.ACTIVE),
    community=int,
)


def people_counted(*, community_id: int, roles: Collection[str] | None = None) -> int:
    """How many people are admitted to the community (those in ``roles``, when given), read from
    the counts the database keeps with the roll: a row per role, whatever the roll's size."""
    rows = _admitted_by_role(community=community_id)
    return sum(r.people for r in rows if roles is None or r.role in roles)


def people_admitted_count() -> int:
    """How many people are admitted to at least one community of this node (NodeInfo's users)."""
    return Membership.objects.filter(status=Membership.Status.ACTIVE).values("user").distinct().count()


def member_get(*, community: Community, member_id: int) -> Membership:
    membership = Membership.objects.filter(
        community=community, pk=member_id, status=Membership.Status.ACTIVE
    ).first()
    if membership is None:
        raise NotFound(_("There is no member with this id in this community."))
    return membership


def applications_pending(*, community: Community) -> QuerySet[Application]:
    """The applications waiting for a decision, oldest first, with their ``trust_count``. Read
    through ``community``'s related manager, so that each carries ``community`` already loaded."""
    return (
        community.applications.filter(status=Application.Status.PENDING)
        .annotate(trust_count=Count("trust"))
        .order_by("created_at", "id")
    )


def application_get(*, community: Community, application_id: int) -> Application:
    application = Application.objects.filter(community=community, pk=application_id).first()
    if application is None:
        raise NotFound(_("There is no application with this id in this community."))
    return application


def application_of(*, user: Any, community: Community) -> Application | None:
    """The person's latest application to ``community`` (pending or decided), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Application.objects.filter(community=community, user=user).order_by("-created_at", "-id").first()


def pending_application(*, user: Any) -> Application | None:
    """The person's newest application still waiting for a decision, in any community, or None."""
    if not getattr(user, "is_authenticated", True) or getattr(user, "pk", None) is None:
        return None
    return (
        Application.objects.filter(user=user, status=Application.Status.PENDING)
        .select_related("community")
        .order_by("-created_at", "-id")
        .first()
    )


def applicant_page(user: Any, community: Community) -> str | None:
    """Where an applicant waiting for ``community``'s decision belongs: their application's status
    (``community.hooks.register_visitor_page``)."""
    application = application_of(user=user, community=community)
    if application is None or application.status != Application.Status.PENDING:
        return None
    return reverse("members:apply", args=[community.slug])


def trust_given_by(*, user: Any, applications: list[Application]) -> set[int]:
    """Ids among ``applications`` that ``user`` has already given trust to."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Trust.objects.filter(application__in=applications, given_by__user=user).values_list(
            "application_id", flat=True
        )
    )


def tokens_of(*, user: User) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=user).order_by("-created_at", "-id")


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def account_export(*, user: User) -> dict[str, Any]:
    """Everything this node holds about ``user``, as JSON-ready data (the right of access)."""
    memberships = list(Membership.objects.filter(user=user).select_related("community"))
    return {
        "account": {
            "email": user.email,
            "preferred_language": user.preferred_language,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "emails": [
                {"email": e.email, "verified": e.verified, "primary": e.primary}
                for e in EmailAddress.objects.filter(user=user)
            ],
            "two_factor": sorted({a.type for a in Authenticator.objects.filter(user=user)}),
        },
        "memberships": [
            {
                "id": m.pk,
                "community": m.community.slug,
                "display_name": m.display_name,
                "role": m.role,
                "status": m.status,
                "languages": m.languages,
                "neighbourhood": m.neighbourhood,
                "skills": m.skills,
                "contact": m.contact,
                "contact_visibility": m.contact_visibility,
                "joined_at": _when(m.joined_at),
            }
            for m in memberships
        ],
        "applications": [
            {
                "id": a.pk,
                "community": a.community.slug,
                "display_name": a.display_name,
                "answers": a.answers,
                "status": a.status,
                "decision_reason": a.decision_reason,
                "created_at": _when(a.created_at),
                "decided_at": _when(a.decided_at),
            }
            for a in Application.objects.filter(user=user).select_related("community").order_by("created_at")
        ],
        "trust_given": [
            {
                "application": t.application_id,
                "community": t.application.community.slug,
                "at": _when(t.created_at),
            }
            for t in Trust.objects.filter(given_by__user=user).select_related("application__community")
        ],
        "role_changes": [
            {
                "community": r.membership.community.slug,
                "membership": r.membership_id,
                "role_before": r.role_before,
                "role_after": r.role_after,
                "reason": r.reason,
                "decision_ref": r.decision_ref,
                "decided_by_me": r.decided_by_id in {m.pk for m in memberships},
                "at": _when(r.created_at),
            }
            for r in RoleChange.objects.filter(
                Q(membership__user=user) | Q(decided_by__user=user)
            ).select_related("membership__community")
        ],
        "tokens": [
            {
                "id": t.pk,
                "name": t.name,
                "prefix": t.prefix,
                "created_at": _when(t.created_at),
                "last_used_at": _when(t.last_used_at),
                "revoked_at": _when(t.revoked_at),
            }
            for t in tokens_of(user=user)
        ],
        "audit_entries": [
            {
                "community": e.community.slug if e.community else None,
                "action": e.action,
                "target_type": e.target_type,
                "target_id": e.target_id,
                "summary": e.summary,
                "decision_ref": e.decision_ref,
                "at": _when(e.created_at),
            }
            for e in audit_entries_by(user=user)
        ],
    }


def membership_find(*, community: Community, pk: Any, active: bool = False) -> Membership | None:
    """The membership ``pk`` of ``community`` (only if active, with ``active``), or None.

    For other apps that take a member's id from a form, an API body or an action's params: an id
    that is not a whole number finds nobody rather than failing.
    """
    try:
        member_id = int(pk)
    except (TypeError, ValueError):
        return None
    found = Membership.objects.filter(community=community, pk=member_id)
    if active:
        found = found.filter(status=Membership.Status.ACTIVE)
    return found.first()


def memberships_with_ids(*, ids: Iterable[int] | QuerySet[Any]) -> QuerySet[Membership]:
    """The memberships whose ids are in ``ids``: a list, or a subquery of ids (``.values("membership_id")``)
    from another app's table, so that its page or body stays one query."""
    return Membership.objects.filter(pk__in=ids)


def application_find(*, community: Community, pk: Any) -> Application | None:
    """The application ``pk`` to ``community``, or None (also for an id that is not a whole number)."""
    try:
        application_id = int(pk)
    except (TypeError, ValueError):
        return None
    return Application.objects.filter(community=community, pk=application_id).first()


def audit_redacted(entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """The audit entries as readers see them: where an entry named a person who has deleted their
    account, ``shown_summary``/``shown_data`` hold its words with "former member" instead
    (``community.hooks.register_audit_view``). Two subqueries, no query per entry."""
    redaction = AuditRedaction.objects.filter(entry=OuterRef("pk"))
    return entries.annotate(
        shown_summary=Subquery(redaction.values("summary")[:1]),
        shown_data=Subquery(redaction.values("data")[:1]),
    )
