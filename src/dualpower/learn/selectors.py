"""Every non-trivial read of the learn app, in a bounded number of queries.

Privacy: who takes part and who attended are read only through ``participants`` and
``attendance_of`` (facilitators) or ``my_*`` (the person); who borrowed a thing or waits for it,
only through ``keeper_view`` (the thing's keepers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.activities.selectors import my_vouches, roles_held
from dualpower.community.models import Community
from dualpower.core.library import holds as queue
from dualpower.errors import NotFound
from dualpower.learn.models import (
    Attendance,
    Completion,
    Enrolment,
    Facilitator,
    Hold,
    LibrarySettings,
    Loan,
    LoanTally,
    Offering,
    Reading,
    Session,
    Thing,
)
from dualpower.members.models import Membership

PAGE = 30


# --- the library ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    rows: Sequence[Thing]
    next_before: int | None


def things_listed(
    *, community: Community, before: int | None = None, owner: Membership | None = None
) -> Page:
    """The catalogue, newest last added first, with ``on_loan`` and ``waiting`` on each row."""
    things = (
        Thing.objects.filter(community=community)
        .select_related("owner", "deposit_currency", "trust_role")
        .annotate(
            on_loan=Exists(Loan.objects.filter(thing=OuterRef("pk"))),
            waiting=Count("holds", distinct=True),
        )
        .order_by("-id")
    )
    if owner is not None:
        things = things.filter(owner=owner)
    if before is not None:
        things = things.filter(pk__lt=before)
    rows = list(things[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return Page(rows=rows, next_before=rows[-1].pk if more and rows else None)


def thing_get(*, community: Community, pk: int) -> Thing:
    thing = (
        Thing.objects.filter(community=community, pk=pk)
        .select_related("community", "owner", "deposit_currency", "trust_role")
        .first()
    )
    if thing is None:
        raise NotFound(_("The library has no such thing."))
    return thing


@dataclass
class ThingState:
    """What a member sees of a thing: is it in, their own loan or hold, how long the queue is."""

    loan: Loan | None
    my_loan: Loan | None
    my_hold: Hold | None
    my_place: int | None
    queue_length: int
    ready_for_other: bool
    overdue: bool = False
    holds: list[Hold] = field(default_factory=list)


def thing_state(*, thing: Thing, membership: Membership | None, now: dt.datetime | None = None) -> ThingState:
    today = timezone.localdate(now or timezone.now())
    loan = Loan.objects.filter(thing=thing).select_related("borrower").first()
    holds = list(Hold.objects.filter(thing=thing).select_related("membership").order_by("id"))
    mine = next((h for h in holds if membership is not None and h.membership_id == membership.pk), None)
    queued = [queue.QueuedHold(seq=h.pk, paused_until=h.paused_until) for h in holds]
    return ThingState(
        loan=loan,
        my_loan=loan
        if loan is not None and membership is not None and loan.borrower_id == membership.pk
        else None,
        my_hold=mine,
        my_place=queue.position(queued, mine.pk) if mine is not None else None,
        queue_length=len(holds),
        ready_for_other=any(h.status == Hold.Status.READY and h is not mine for h in holds),
        overdue=loan is not None and queue.is_overdue(loan.due_on, today=today),
        holds=holds,
    )


def my_loans(*, membership: Membership) -> list[Loan]:
    return list(Loan.objects.filter(borrower=membership).select_related("thing").order_by("due_on", "id"))


def my_holds(*, membership: Membership) -> list[Hold]:
    return list(Hold.objects.filter(membership=membership).select_related("thing").order_by("id"))


def overdue_loans(*, community: Community, today: dt.date) -> list[Loan]:
    """For the keepers: what is late, with who has it."""
    return list(
        Loan.objects.filter(thing__community=community, due_on__lt=today)
        .select_related("thing", "borrower")
        .order_by("due_on", "id")
    )


def library_keepers(*, community: Community) -> LibrarySettings | None:
    return LibrarySettings.objects.filter(community=community).select_related("keepers").first()


def loan_tallies(*, community: Community, months: int = 12) -> list[LoanTally]:
    return list(LoanTally.objects.filter(community=community).order_by("-month")[:months])


def hold_of(*, thing: Thing, membership: Membership) -> Hold:
    hold = Hold.objects.filter(thing=thing, membership=membership).select_related("thing").first()
    if hold is None:
        raise NotFound(_("You hold no place for this thing."))
    return hold


def loan_of(*, thing: Thing) -> Loan:
    loan = Loan.objects.filter(thing=thing).select_related("thing", "borrower").first()
    if loan is None:
        raise NotFound(_("This thing is not out on loan."))
    return loan


# --- learning together ----------------------------------------------------------------------


def offerings_listed(*, community: Community, before: int | None = None) -> Sequence[Offering]:
    """Offerings, newest first, each with ``joined`` and ``waiting`` counts and ``next_start``."""
    now = timezone.now()
    rows = (
        Offering.objects.filter(community=community)
        .select_related("role")
        .annotate(
            joined=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.JOINED), distinct=True),
            waiting=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITING), distinct=True),
        )
        .order_by("-id")
    )
    if before is not None:
        rows = rows.filter(pk__lt=before)
    offerings = list(rows[:PAGE])
    starts: dict[int, dt.datetime] = {}
    for session in Session.objects.filter(offering__in=offerings, starts_at__gte=now).order_by("starts_at"):
        starts.setdefault(session.offering_id, session.starts_at)
    for offering in offerings:
        offering.next_start = starts.get(offering.pk)  # type: ignore[attr-defined]
    return offerings


def offering_get(*, community: Community, pk: int) -> Offering:
    offering = Offering.objects.filter(community=community, pk=pk).select_related("community", "role").first()
    if offering is None:
        raise NotFound(_("There is no such offering."))
    return offering


def session_get(*, offering: Offering, pk: int) -> Session:
    session = Session.objects.filter(offering=offering, pk=pk).select_related("offering__community").first()
    if session is None:
        raise NotFound(_("There is no such session."))
    return session


def sessions_of(*, offering: Offering) -> list[Session]:
    return list(
        Session.objects.filter(offering=offering)
        .select_related("facilitator")
        .prefetch_related(Prefetch("readings", queryset=Reading.objects.order_by("id")))
        .order_by("starts_at", "id")
    )


def facilitators_of(*, offering: Offering) -> list[Membership]:
    return [
        f.membership
        for f in Facilitator.objects.filter(offering=offering).select_related("membership").order_by("id")
    ]


def my_enrolment(*, offering: Offering, membership: Membership | None) -> Enrolment | None:
    if membership is None:
        return None
    return Enrolment.objects.filter(offering=offering, membership=membership).first()


def participants(*, offering: Offering) -> list[Enrolment]:
    """For its facilitators only (rules: ``learn.view_attendance``)."""
    return list(
        Enrolment.objects.filter(offering=offering).select_related("membership").order_by("status", "id")
    )


def attendance_of(*, offering: Offering) -> set[tuple[int, int]]:
    """(session id, membership id) of everyone marked present. For its facilitators only."""
    return set(
        Attendance.objects.filter(session__offering=offering).values_list("session_id", "membership_id")
    )


def my_attendance(*, offering: Offering, membership: Membership | None) -> set[int]:
    if membership is None:
        return set()
    return set(
        Attendance.objects.filter(session__offering=offering, membership=membership).values_list(
            "session_id", flat=True
        )
    )


def completions_shown(*, offering: Offering) -> list[Completion]:
    """The completions their people chose to show to other members."""
    return list(
        Completion.objects.filter(offering=offering, shown_to_members=True)
        .select_related("membership")
        .order_by("membership__display_name", "id")
    )


def completions_for_facilitators(*, offering: Offering) -> set[int]:
    return set(Completion.objects.filter(offering=offering).values_list("membership_id", flat=True))


def my_completion(*, offering: Offering, membership: Membership | None) -> Completion | None:
    if membership is None:
        return None
    return Completion.objects.filter(offering=offering, membership=membership).first()


def my_completions(*, membership: Membership) -> list[Completion]:
    return list(
        Completion.objects.filter(membership=membership)
        .select_related("offering", "offering__role")
        .order_by("-id")
    )


@dataclass(frozen=True)
class VouchAsk:
    completion: Completion
    vouched: bool


def vouch_requests(*, membership: Membership) -> list[VouchAsk]:
    """Completions of trainings linked to a role that ``membership`` holds or facilitated, whose
    people asked for vouches and do not hold the role yet."""
    held = roles_held(membership=membership)
    facilitated = Facilitator.objects.filter(membership=membership).values("offering_id")
    completions = (
        Completion.objects.filter(
            offering__community_id=membership.community_id, asks_vouches=True, offering__role__isnull=False
        )
        .filter(Q(offering__role_id__in=held) | Q(offering_id__in=facilitated))
        .exclude(membership=membership)
        .exclude(membership__role_grants__role_id=F("offering__role_id"))
        .select_related("membership", "offering", "offering__role")
        .order_by("-id")[:100]
    )
    given = my_vouches(membership=membership)
    return [
        VouchAsk(completion=c, vouched=(c.offering.role_id, c.membership_id) in given) for c in completions
    ]


def session_by_pk(*, community: Community, pk: int) -> Session:
    session = (
        Session.objects.filter(offering__community=community, pk=pk)
        .select_related("offering__community")
        .first()
    )
    if session is None:
        raise NotFound(_("There is no such session."))
    return session


def things_queryset(*, community: Community) -> QuerySet[Thing]:
    """The catalogue for the API's pages (counted and sliced by the pagination)."""
    return (
        Thing.objects.filter(community=community)
        .select_related("deposit_currency", "trust_role")
        .annotate(
            on_loan=Exists(Loan.objects.filter(thing=OuterRef("pk"))), waiting=Count("holds", distinct=True)
        )
        .order_by("-id")
    )


def offerings_queryset(*, community: Community) -> QuerySet[Offering]:
    return Offering.objects.filter(community=community).select_related("role").order_by("-id")


def upload_owner(name: str) -> tuple[str, Any] | None:
    """Who may see a stored photo or reading (uploads.owner_of): whoever may read the app."""
    thing = Thing.objects.filter(photo=name).select_related("community").first()
    if thing is not None:
        return "learn.view", thing
    reading = Reading.objects.filter(file=name).select_related("session__offering__community").first()
    if reading is not None:
        return "learn.view", reading.session.offering
    return None
