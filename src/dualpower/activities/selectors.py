"""Reads about activities and trust roles."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.db.models.query import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.activities.models import (
    Activity,
    Feedback,
    Organiser,
    RoleGrant,
    Series,
    SignUp,
    Slot,
    TrustRole,
    Vouch,
)
from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.members.models import Membership
from dualpower.members.selectors import members_of
from dualpower.web.pages import PER_PAGE, Page, page_of
from dualpower.web.prepared import Prepared

UPCOMING_DAYS = 28


def _slots_prefetch() -> Prefetch:
    signups = SignUp.objects.select_related("membership").order_by("created_at", "id")
    slots = Slot.objects.select_related("required_role").prefetch_related(
        Prefetch("signups", queryset=signups)
    )
    return Prefetch("slots", queryset=slots)


def _with_slots(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.select_related("series", "series__group", "community").prefetch_related(_slots_prefetch())


def upcoming(
    *,
    community: Community,
    membership: Membership | None,
    now: dt.datetime | None = None,
    days: int = UPCOMING_DAYS,
) -> list[Activity]:
    """The coming occurrences, those I have a place in first, then by time. Each carries
    ``my_signup`` (or None) and ``free`` (places left)."""
    now = now or timezone.now()
    activities = list(
        _with_slots(
            Activity.objects.filter(
                community=community, ends_at__gt=now, starts_at__lte=now + dt.timedelta(days=days)
            )
        )
    )
    for activity in activities:
        _annotate(activity, membership)
    return sorted(activities, key=lambda a: (a.my_signup is None, a.starts_at, a.pk))  # type: ignore[attr-defined]


def slots_of(activity: Activity) -> list[Slot]:
    """The activity's slots as read with it (``with_places`` keeps them in a list)."""
    found = getattr(activity, "places", None)
    return found if found is not None else list(activity.slots.all())


def signups_of(slot: Slot) -> list[SignUp]:
    """The slot's sign-ups as read with it (``with_places`` keeps them in a list)."""
    found = getattr(slot, "people", None)
    return found if found is not None else list(slot.signups.all())


def _annotate(activity: Activity, membership: Membership | None) -> Activity:
    slots = slots_of(activity)
    activity.free = sum(s.free for s in slots)  # type: ignore[attr-defined]
    activity.my_signup = None  # type: ignore[attr-defined]
    if membership is not None:
        for slot in slots:
            for signup in signups_of(slot):
                if signup.membership_id == membership.pk:
                    activity.my_signup = signup  # type: ignore[attr-defined]
    activity.my_place = activity.my_signup.slot.label if activity.my_signup else ""  # type: ignore[attr-defined]
    return activity


# What a card and the API's list show of an occurrence and its series (the rest is not read).
_LISTED = (
    "series_id",
    "community_id",
    "starts_at",
    "ends_at",
    "is_cancelled",
    "series__title",
    "series__place",
)


def _coming(community: int, me: int, now: dt.datetime, until: dt.datetime) -> QuerySet[Activity]:
    """The occurrences of ``community`` running after ``now`` and starting by ``until``, those
    ``me`` (a membership id; 0 for nobody) has a place in first, then by time; each with ``free``
    (places left), ``mine`` and ``my_place`` (the label of my place, or None) worked out by the
    database, and its series."""
    places = (
        Slot.objects.filter(activity=OuterRef("pk"))
        .values("activity")
        .annotate(n=Sum(F("capacity") - F("taken"), output_field=IntegerField()))
        .values("n")
    )
    my_places = SignUp.objects.filter(activity=OuterRef("pk"), membership_id=me)
    return (
        Activity.objects.filter(community_id=community, ends_at__gt=now, starts_at__lte=until)
        .select_related("series")
        .only(*_LISTED)
        .annotate(
            free=Coalesce(Subquery(places), 0, output_field=IntegerField()),
            mine=Exists(my_places),
            my_place=Subquery(my_places.values("slot__label")[:1]),
        )
        .order_by(F("mine").desc(), "starts_at", "id")
    )


_coming_page = Prepared(_coming, window=True, community=int, me=int, now=dt.datetime, until=dt.datetime)

# How many ``_coming`` lists: the same occurrences without what it works out for each one
# (``Prepared`` counts a query only without subqueries in its order).
_coming_count = Prepared(
    lambda community, now, until: Activity.objects.filter(
        community_id=community, ends_at__gt=now, starts_at__lte=until
    ),
    community=int,
    now=dt.datetime,
    until=dt.datetime,
)


def coming_window(
    *,
    community: Community,
    membership: Membership | None,
    now: dt.datetime,
    limit: int,
    offset: int,
    days: int = UPCOMING_DAYS,
) -> list[Activity]:
    """``limit`` occurrences of ``upcoming``'s list from ``offset``, in one query: each carries
    ``free``, ``mine`` and ``my_place`` and its series rather than its slots."""
    rows = _coming_page(
        community=community.pk,
        me=membership.pk if membership is not None else 0,
        now=now,
        until=now + dt.timedelta(days=days),
        limit=limit,
        offset=offset,
    )
    for activity in rows:
        activity.community = community
    return rows


def coming_count(*, community: Community, now: dt.datetime, days: int = UPCOMING_DAYS) -> int:
    """How many occurrences ``coming_window`` pages through."""
    return _coming_count.count(community=community.pk, now=now, until=now + dt.timedelta(days=days))


def upcoming_page(
    *,
    community: Community,
    membership: Membership | None,
    raw: str | None = None,
    now: dt.datetime | None = None,
    days: int = UPCOMING_DAYS,
) -> Page[Activity]:
    """The page ``raw`` asks for (web.pages: ``?page=N``) of ``upcoming``'s list, ``PER_PAGE``
    occurrences, in one query whatever the number of occurrences, places and sign-ups."""
    now = now or timezone.now()
    return page_of(
        lambda limit, offset: coming_window(
            community=community, membership=membership, now=now, limit=limit, offset=offset, days=days
        ),
        raw=raw,
        per_page=PER_PAGE,
    )


def upcoming_listed(
    *, community: Community, membership: Membership | None, now: dt.datetime | None = None
) -> QuerySet[Activity]:
    """``upcoming`` as the API pages it: the database orders and counts, and ``with_places``
    reads the slots and sign-ups of the rows of one page only."""
    now = now or timezone.now()
    me = membership.pk if membership is not None else 0
    return _coming(community.pk, me, now, now + dt.timedelta(days=UPCOMING_DAYS))


def with_places(activities: list[Activity], *, membership: Membership | None) -> list[Activity]:
    """``activities`` with their slots and sign-ups read (two queries for the lot) into lists
    (``slots_of``, ``signups_of``: no queryset made per row), ``free`` and ``my_signup`` set as
    ``upcoming`` sets them."""
    signups = SignUp.objects.select_related("membership").order_by("created_at", "id")
    slots = Slot.objects.select_related("required_role").prefetch_related(
        Prefetch("signups", queryset=signups, to_attr="people")
    )
    prefetch_related_objects(activities, Prefetch("slots", queryset=slots, to_attr="places"))
    return [_annotate(activity, membership) for activity in activities]


def activity_get(*, community: Community, pk: int, membership: Membership | None = None) -> Activity:
    activity = _with_slots(Activity.objects.filter(community=community, pk=pk)).first()
    if activity is None:
        raise NotFound(_("%(community)s has no activity %(id)s.") % {"community": community.name, "id": pk})
    return _annotate(activity, membership)


def slot_get(*, activity: Activity, pk: int) -> Slot:
    slot = (
        Slot.objects.filter(activity=activity, pk=pk)
        .select_related("activity__series", "activity__community")
        .first()
    )
    if slot is None:
        raise NotFound(_("This activity has no place %(id)s.") % {"id": pk})
    return slot


def signup_get(*, activity: Activity, pk: int) -> SignUp:
    signup = SignUp.objects.filter(activity=activity, pk=pk).select_related("membership", "slot").first()
    if signup is None:
        raise NotFound(_("Nobody has place %(id)s in this activity.") % {"id": pk})
    return signup


def my_signup(*, activity: Activity, membership: Membership | None) -> SignUp | None:
    if membership is None:
        return None
    return SignUp.objects.filter(activity=activity, membership=membership).select_related("slot").first()


def series_of(*, community: Community) -> QuerySet[Series]:
    return Series.objects.filter(community=community).select_related("group")


_running = Prepared(
    lambda community: (
        Series.objects.filter(community_id=community, is_active=True)
        .only("community_id", "title", "place", "repeat")
        .order_by("title", "id")
    ),
    window=True,
    community=int,
)


def series_running(*, community: Community, limit: int, offset: int = 0) -> list[Series]:
    """A window of the community's running series, by title (the list page's "Regular
    activities", a page at a time: web.pages)."""
    return _running(community=community.pk, limit=limit, offset=offset)


def series_listed(*, community: Community) -> QuerySet[Series]:
    """The community's series as the API lists them (running first), each with its slot templates
    and organiser places read in one more query apiece for the whole list."""
    return (
        series_of(community=community)
        .prefetch_related("slot_templates", "organiser_places")
        .order_by("-is_active", "title", "id")
    )


def series_get(*, community: Community, pk: int) -> Series:
    series = series_of(community=community).filter(pk=pk).first()
    if series is None:
        raise NotFound(
            _("%(community)s has no activity series %(id)s.") % {"community": community.name, "id": pk}
        )
    return series


def series_organisers(*, series: Series) -> list[Membership]:
    """The series' organisers, by name."""
    places = Organiser.objects.filter(series=series).select_related("membership")
    return [o.membership for o in places.order_by("membership__display_name", "membership_id")]


def series_next(
    *, series: Series, membership: Membership | None = None, now: dt.datetime | None = None, limit: int = 8
) -> list[Activity]:
    """The coming dates of ``series``, each with ``my_signup`` and ``free`` as the cards show them."""
    now = now or timezone.now()
    coming = _with_slots(series.activities.filter(ends_at__gt=now))[:limit]
    return [_annotate(activity, membership) for activity in coming]


def my_next_shifts(*, membership: Membership, now: dt.datetime | None = None, limit: int = 5) -> list[SignUp]:
    now = now or timezone.now()
    return list(
        SignUp.objects.filter(membership=membership, activity__ends_at__gt=now, activity__is_cancelled=False)
        .select_related("activity__series", "slot")
        .order_by("activity__starts_at")[:limit]
    )


def activity_feedback(*, activity: Activity) -> QuerySet[Feedback]:
    return Feedback.objects.filter(activity=activity).select_related("membership")


def my_feedback(*, activity: Activity, membership: Membership | None) -> Feedback | None:
    if membership is None:
        return None
    return Feedback.objects.filter(activity=activity, membership=membership).first()


# --- trust roles ----------------------------------------------------------------------------


def trust_roles(*, community: Community) -> QuerySet[TrustRole]:
    return TrustRole.objects.filter(community=community).annotate(holder_count=Count("grants", distinct=True))


def trust_role_get(*, community: Community, slug: str) -> TrustRole:
    role = trust_roles(community=community).filter(slug=slug).first()
    if role is None:
        raise NotFound(
            _("%(community)s has no role “%(slug)s”.") % {"community": community.name, "slug": slug}
        )
    return role


def _holders() -> QuerySet[RoleGrant]:
    return RoleGrant.objects.select_related("membership").order_by("membership__display_name")


def role_holders(*, role: TrustRole) -> QuerySet[RoleGrant]:
    return _holders().filter(role=role)


def trust_roles_with_holders(*, community: Community) -> QuerySet[TrustRole]:
    """The community's trust roles, each with ``holders``: its grants with their members, by name
    (read in one more query for all the roles)."""
    return trust_roles(community=community).prefetch_related(
        Prefetch("grants", queryset=_holders(), to_attr="holders")
    )


def roles_held(*, membership: Membership | None) -> set[int]:
    if membership is None:
        return set()
    return set(RoleGrant.objects.filter(membership=membership).values_list("role_id", flat=True))


def my_vouches(*, membership: Membership | None) -> set[tuple[int, int]]:
    """(role id, vouchee id) for every vouch I gave."""
    if membership is None:
        return set()
    return set(Vouch.objects.filter(voucher=membership).values_list("role_id", "vouchee_id"))


def vouch_counts_by_role(*, community: Community) -> dict[int, dict[int, int]]:
    """How many vouches each person has for each trust role of ``community``, in one query: by
    role id, then by membership id (a role nobody was vouched for is absent)."""
    rows = (
        Vouch.objects.filter(role__community=community)
        .values("role_id", "vouchee_id")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[int, int]] = {}
    for row in rows:
        counts.setdefault(row["role_id"], {})[row["vouchee_id"]] = row["n"]
    return counts


def vouchable(*, community: Community) -> QuerySet[Membership]:
    """People who can be vouched for: active members and coordinators (observers do not take part)."""
    return members_of(community=community).filter(
        role__in=[Membership.Role.MEMBER, Membership.Role.COORDINATOR]
    )


def member_get(*, community: Community, pk: int) -> Membership:
    membership = members_of(community=community).filter(pk=pk).first()
    if membership is None:
        raise NotFound(_("Nobody with id %(id)s is a member here.") % {"id": pk})
    return membership


def organiser_ids(*, community: Community) -> set[int]:
    """Membership ids of the organisers of the community's active series (they look after the
    stock their activities use, e.g. in the inventory)."""
    return set(
        Organiser.objects.filter(series__community=community, series__is_active=True).values_list(
            "membership_id", flat=True
        )
    )


def signed_up_people(*, activity: Activity) -> list[Membership]:
    """Who holds a place in ``activity`` (once per place they hold), by name."""
    places = SignUp.objects.filter(activity=activity).select_related("membership")
    return [s.membership for s in places.order_by("membership__display_name", "membership_id")]


def on_shift(
    *,
    community: Community,
    at: dt.datetime,
    series: Series | None = None,
    role_slugs: set[str] | None = None,
) -> list[SignUp]:
    """Who holds a place in an occurrence running at ``at`` (a rota's shift: verifiers, peer
    supporters, responders), with their slot and membership, in one query. ``role_slugs`` keeps only
    the places whose slot requires one of those trust roles; ``series`` keeps one rota."""
    places = SignUp.objects.filter(
        activity__community=community,
        activity__is_cancelled=False,
        activity__starts_at__lte=at,
        activity__ends_at__gt=at,
        membership__community=community,
    )
    if series is not None:
        places = places.filter(activity__series=series)
    if role_slugs is not None:
        places = places.filter(slot__required_role__slug__in=role_slugs)
    return list(
        places.select_related("membership", "slot", "slot__required_role", "activity").order_by(
            "membership__display_name", "membership_id"
        )
    )


def holds_role(*, membership: Membership, role_slug: str) -> bool:
    """Whether ``membership`` holds the trust role ``role_slug`` of its community (a credential:
    nurse, verifier, legal observer)."""
    return RoleGrant.objects.filter(
        membership=membership, role__community_id=membership.community_id, role__slug=role_slug
    ).exists()
