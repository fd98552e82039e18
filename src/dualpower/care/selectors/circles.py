"""Reads about care circles: the settings, the circles someone is in, a circle's calendar as its
viewer may see it, the notes, and the counts the health group sees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from dualpower.care.models.circles import CareSettings, Circle, CircleTally, Helper, Need, Note
from dualpower.care.services.circles_seal import unseal
from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.groups.selectors import groups_of
from dualpower.members.models import Membership


def care_settings(*, community: Community) -> CareSettings:
    """The community's care settings, made with the defaults on first read."""
    found = CareSettings.objects.filter(community=community).select_related("health_group").first()
    if found is not None:
        return found
    # The starter "health" working group keeps health matters until the community chooses another.
    health = groups_of(community=community).filter(slug="health").first()
    settings, _created = CareSettings.objects.get_or_create(
        community=community, defaults={"health_group": health}
    )
    return settings


def _with_counts(qs: QuerySet[Circle]) -> QuerySet[Circle]:
    return qs.annotate(
        open_needs=Count(
            "needs", filter=Q(needs__taken_by__isnull=True, needs__done_at__isnull=True), distinct=True
        ),
        helper_count=Count("helpers", filter=Q(helpers__status=Helper.Status.ACTIVE), distinct=True),
    ).select_related("person", "keeper", "community")


def circles_for(*, membership: Membership | None) -> QuerySet[Circle]:
    """The circles ``membership`` runs or is for (open and closed, until erased), and the open ones
    they help in; newest first, each with ``open_needs`` and ``helper_count``."""
    if membership is None:
        return Circle.objects.none()
    mine = Q(person=membership) | Q(keeper=membership)
    helping = Q(
        status=Circle.Status.OPEN,
        pk__in=Helper.objects.filter(membership=membership, status=Helper.Status.ACTIVE).values("circle_id"),
    )
    return _with_counts(Circle.objects.filter(Q(community_id=membership.community_id) & (mine | helping)))


def invitations_for(*, membership: Membership | None) -> QuerySet[Helper]:
    """Invitations waiting for ``membership``'s answer, in open circles."""
    if membership is None:
        return Helper.objects.none()
    return Helper.objects.filter(
        membership=membership, status=Helper.Status.INVITED, circle__status=Circle.Status.OPEN
    ).select_related("circle", "circle__person", "circle__keeper")


def circle_get(*, community: Community, pk: int) -> Circle:
    circle = (
        Circle.objects.filter(community=community, pk=pk)
        .select_related("community", "person", "keeper", "opened_by")
        .first()
    )
    if circle is None:
        raise NotFound(_("There is no such care circle here."))
    return circle


def need_get(*, circle: Circle, pk: int) -> Need:
    need = Need.objects.filter(circle=circle, pk=pk).select_related("taken_by__membership").first()
    if need is None:
        raise NotFound(_("This circle has no such need."))
    need.circle = circle
    return need


def helper_get(*, circle: Circle, pk: int) -> Helper:
    helper = Helper.objects.filter(circle=circle, pk=pk).select_related("membership").first()
    if helper is None:
        raise NotFound(_("This circle has no such helper."))
    helper.circle = circle
    return helper


def my_place(*, circle: Circle, membership: Membership | None) -> Helper | None:
    if membership is None:
        return None
    place = Helper.objects.filter(circle=circle, membership=membership).first()
    if place is not None:
        place.circle = circle
    return place


def helpers_of(*, circle: Circle) -> list[Helper]:
    return list(Helper.objects.filter(circle=circle).select_related("membership"))


@dataclass(frozen=True)
class NeedView:
    """One need as its viewer may see it: ``details`` only for the helper who took it and for
    whoever runs the circle; ``taker`` (a name) only for them and the helper themself."""

    need: Need
    mine: bool
    details: str | None
    taker: str | None

    @property
    def is_open(self) -> bool:
        return self.need.taken_by_id is None and self.need.done_at is None


def calendar(*, circle: Circle, membership: Membership | None, runs: bool) -> list[NeedView]:
    """The help calendar as ``membership`` sees it (one query; details unsealed only where shown)."""
    place = my_place(circle=circle, membership=membership)
    mine_id = place.pk if place is not None and place.status == Helper.Status.ACTIVE else None
    rows = []
    for need in Need.objects.filter(circle=circle).select_related("taken_by__membership"):
        need.circle = circle
        mine = mine_id is not None and need.taken_by_id == mine_id
        shows = runs or mine
        taker = None
        if shows and need.taken_by is not None:
            taker = need.taken_by.membership.display_name
        elif need.taken_by_id is None and need.taken_at is not None:
            taker = _("a former helper") if shows else None
        rows.append(
            NeedView(
                need=need, mine=mine, details=unseal(need.sealed_details) if shows else None, taker=taker
            )
        )
    return rows


@dataclass(frozen=True)
class NoteView:
    author: str
    at: dt.datetime
    body: str


def notes_of(*, circle: Circle) -> list[NoteView]:
    return [
        NoteView(
            author=note.author.display_name if note.author is not None else _("a former member"),
            at=note.created_at,
            body=unseal(note.sealed_body),
        )
        for note in Note.objects.filter(circle=circle).select_related("author")
    ]


@dataclass(frozen=True)
class Overview:
    """What the health group sees: that circles exist and how they go, never who or what for in words."""

    open_by_kind: list[tuple[str, int]]
    open_circles: int
    open_needs: int
    needs_taken: int
    helpers: int
    erased: list[CircleTally]


def overview(*, community: Community) -> Overview:
    live = Circle.objects.filter(community=community, status=Circle.Status.OPEN)
    by_kind = dict(live.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    labels = dict(Circle.Kind.choices)
    needs = Need.objects.filter(circle__in=live).aggregate(
        open=Count("pk", filter=Q(taken_by__isnull=True, done_at__isnull=True)),
        taken=Count("pk", filter=Q(taken_at__isnull=False)),
    )
    return Overview(
        open_by_kind=[(str(labels[k]), by_kind[k]) for k in Circle.Kind.values if by_kind.get(k)],
        open_circles=sum(by_kind.values()),
        open_needs=needs["open"] or 0,
        needs_taken=needs["taken"] or 0,
        helpers=Helper.objects.filter(circle__in=live, status=Helper.Status.ACTIVE).count(),
        erased=list(CircleTally.objects.filter(community=community)[:52]),
    )


def erased_totals(*, community: Community) -> dict[str, int]:
    """What remains of erased circles, summed."""
    totals = CircleTally.objects.filter(community=community).aggregate(
        circles=Sum("circles"), helpers=Sum("helpers"), needs=Sum("needs"), needs_met=Sum("needs_met")
    )
    return {k: v or 0 for k, v in totals.items()}
