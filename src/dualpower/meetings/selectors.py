"""Reads for meetings: lists, the live quorum, suggested roles, feeds."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.assemblies import processes
from dualpower.assemblies import selectors as assembly_selectors
from dualpower.assemblies.bodies import (
    is_observer,
    is_voter,
    observers_of,
    prepared_for,
    voters_count,
    voters_of,
)
from dualpower.assemblies.models import Assembly, Proposal
from dualpower.assemblies.processes import fraction
from dualpower.assemblies.sources import OutsideCount
from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.formatting import format_date
from dualpower.meetings.models import (
    AgendaItem,
    Attendance,
    FeedToken,
    Meeting,
    Minutes,
    MinutesRevision,
    RoomTally,
)
from dualpower.members.models import Membership
from dualpower.web.prepared import Prepared

ROLE_FIELDS = ("facilitator", "note_taker", "timekeeper")


def _base() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("assembly__community", "facilitator", "note_taker", "timekeeper")


def meetings_of(*, community: Community, assembly: Assembly | None = None) -> QuerySet[Meeting]:
    qs = _base().filter(assembly__community=community)
    if assembly is not None:
        qs = qs.filter(assembly=assembly)
    return qs


def upcoming_meetings(
    *,
    assembly: Assembly | None = None,
    community: Community | None = None,
    limit: int = 5,
    now: datetime | None = None,
) -> list[Meeting]:
    """Meetings not yet over (scheduled or in progress), soonest first. For the assembly page too."""
    now = now or timezone.now()
    qs = _base().filter(
        Q(status=Meeting.Status.IN_PROGRESS) | Q(status=Meeting.Status.SCHEDULED, ends_at__gte=now)
    )
    if assembly is not None:
        qs = qs.filter(assembly=assembly)
    if community is not None:
        qs = qs.filter(assembly__community=community)
    return list(qs.order_by("starts_at", "id")[:limit])


def past_meetings(*, community: Community, limit: int = 50, now: datetime | None = None) -> list[Meeting]:
    now = now or timezone.now()
    qs = meetings_of(community=community).filter(
        Q(status__in=[Meeting.Status.ENDED, Meeting.Status.CANCELLED])
        | Q(status=Meeting.Status.SCHEDULED, ends_at__lt=now)
    )
    return list(qs.order_by("-starts_at", "-id")[:limit])


# A meeting's page reads these on every visit (and on every poll of its quorum box): their SQL is
# written once per process (web/prepared.py), and the community and meeting the caller already
# holds are set on the rows rather than joined and converted again.
_meeting_by_pk = Prepared(
    lambda community, pk: Meeting.objects.filter(assembly__community_id=community, pk=pk).select_related(
        "assembly__policy", "facilitator", "note_taker", "timekeeper"
    )[:1],
    community=int,
    pk=int,
)
_agenda_of = Prepared(
    lambda meeting: (
        AgendaItem.objects.filter(meeting_id=meeting).select_related("proposal").order_by("position")
    ),
    meeting=int,
)
_attendance_of = Prepared(
    lambda meeting: (
        Attendance.objects.filter(meeting_id=meeting)
        .select_related("membership", "recorded_by")
        .order_by("membership__display_name", "id")
    ),
    meeting=int,
)
_tallies_of = Prepared(
    lambda meeting: RoomTally.objects.filter(item__meeting_id=meeting).select_related(
        "teller", "witness", "proposal"
    ),
    meeting=int,
)
_minutes_of = Prepared(
    lambda meeting: Minutes.objects.filter(meeting_id=meeting).select_related("adopted_by")[:1], meeting=int
)


# The meeting's page: the meeting and, in the same query, whether the visitor is checked in.
_meeting_by_pk_for = Prepared(
    lambda community, pk, membership: (
        Meeting.objects.filter(assembly__community_id=community, pk=pk)
        .select_related("assembly__policy", "facilitator", "note_taker", "timekeeper")
        .annotate(
            visitor_here=Exists(
                Attendance.objects.filter(meeting_id=OuterRef("pk"), membership_id=membership).order_by()
            )
        )[:1]
    ),
    community=int,
    pk=int,
    membership=int,
)


def meeting_get(*, community: Community, pk: int, visitor: Membership | None = None) -> Meeting:
    """The meeting ``pk`` of ``community``, with its assembly (the assembly's policy too: the page's
    quorum reads it) and the people in its roles; its assembly's community is the object given.
    With ``visitor``: whether they are checked in too, read in the same query and kept on the
    meeting for the request (``visitor_checked_in``, the permission checks)."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        number = 0
    # An id beyond the database's integers finds nothing (as the ORM's lookup says), never an error.
    found: Sequence[Meeting] = ()
    if 0 < number < 2**63:
        if visitor is None:
            found = _meeting_by_pk(community=community.pk, pk=number)
        else:
            found = _meeting_by_pk_for(community=community.pk, pk=number, membership=visitor.pk)
    if not found:
        raise NotFound(_("There is no such meeting in this community."))
    meeting = found[0]
    meeting.assembly.community = community
    if visitor is not None:
        meeting.__dict__["_dp_present_one"] = (visitor.pk, bool(meeting.__dict__.pop("visitor_here")))
    return meeting


def _in_meeting(meeting: Meeting, rows: list[Any]) -> list[Any]:
    for row in rows:
        row.meeting = meeting
    return rows


def _proposal_in(meeting: Meeting, proposal: Proposal | None) -> None:
    """A proposal of the meeting's own assembly links to its page without reading the assembly again."""
    if proposal is not None and proposal.assembly_id == meeting.assembly_id:
        proposal.assembly = meeting.assembly


def agenda_of(*, meeting: Meeting) -> list[AgendaItem]:
    items = _in_meeting(meeting, _agenda_of(meeting=meeting.pk))
    for item in items:
        _proposal_in(meeting, item.proposal)
    return items


def item_get(*, meeting: Meeting, pk: int) -> AgendaItem:
    item = meeting.items.select_related("proposal", "meeting__assembly__community").filter(pk=pk).first()
    if item is None:
        raise NotFound(_("There is no such item on this meeting's agenda."))
    return item


def attendance_of(*, meeting: Meeting) -> list[Attendance]:
    """Who is checked in, by name. The meeting object keeps who they are, so that the permission
    checks of the same request ("is an attendee") ask no more."""
    found = _in_meeting(meeting, _attendance_of(meeting=meeting.pk))
    meeting.__dict__["_dp_present"] = frozenset(a.membership_id for a in found)
    return found


def checked_in(meeting: Meeting, membership: Membership) -> bool:
    """Whether ``membership`` is checked in at ``meeting`` (from the attendance already read in this
    request, if it was, or with the meeting for the visitor: ``meeting_get``)."""
    known = meeting.__dict__.get("_dp_present")
    if known is not None:
        return membership.pk in known
    one = meeting.__dict__.get("_dp_present_one")
    if one is not None and one[0] == membership.pk:
        return bool(one[1])
    return Attendance.objects.filter(meeting=meeting, membership=membership).exists()


def visitor_checked_in(meeting: Meeting, membership: Membership | None) -> bool:
    """Whether the visitor (``membership``) is checked in at ``meeting``: as ``checked_in``, from
    what the request has read (``meeting_get`` with the visitor reads it with the meeting)."""
    return membership is not None and checked_in(meeting, membership)


def _not_checked_in(people: QuerySet[Membership], meeting: Any) -> QuerySet[Membership]:
    """``people`` who are not checked in at ``meeting`` (a meeting or its id), by name."""
    here = Attendance.objects.filter(meeting_id=meeting, membership_id=OuterRef("pk"))
    return people.exclude(Exists(here)).order_by("display_name", "id")


def absent_named(*, meeting: Meeting, find: str = "", limit: int) -> list[Membership]:
    """At most ``limit`` of the people who take part in the meeting's assembly (its voters and
    observers) and are not checked in, by name (those whose name holds ``find``, when given): what
    the note-taker's picker offers, never the whole roll, whatever the community's size."""
    found = (
        None
        if find
        else prepared_for(
            "absent",
            meeting.assembly,
            lambda shape: Prepared(
                lambda community, group, meeting: _not_checked_in(
                    (shape(community, group) | shape(community, group, "observer")).distinct(), meeting
                ),
                window=True,
                community=int,
                group=int,
                meeting=int,
            ),
        )
    )
    if found is not None:
        plan, ids = found
        return plan(**ids, meeting=meeting.pk, limit=limit, offset=0)
    people = (voters_of(meeting.assembly) | observers_of(meeting.assembly)).distinct()
    if find:
        people = people.filter(display_name__icontains=find)
    return list(_not_checked_in(people, meeting)[:limit])


def attendance_get(*, meeting: Meeting, pk: int) -> Attendance:
    attendance = (
        Attendance.objects.filter(meeting=meeting, pk=pk).select_related("membership", "meeting").first()
    )
    if attendance is None:
        raise NotFound(_("That person is not on this meeting's attendance."))
    return attendance


def is_present(*, meeting: Meeting, membership: Membership | None) -> bool:
    return (
        membership is not None and Attendance.objects.filter(meeting=meeting, membership=membership).exists()
    )


@dataclass(frozen=True)
class Quorum:
    eligible: int  # voters of the assembly
    present: int  # voters checked in
    needed: int  # voters the policy's quorum asks for (0: no quorum)
    others: int  # observers checked in (they do not count towards quorum)

    @property
    def reached(self) -> bool:
        return self.present >= self.needed

    @property
    def missing(self) -> int:
        return max(0, self.needed - self.present)


def quorum_of(*, meeting: Meeting, checked_in: int | None = None) -> Quorum:
    """Quorum from attendance: voters checked in against the policy's share of eligible voters.
    ``checked_in``: how many are checked in, when the caller has read the attendance already."""
    eligible = voters_count(meeting.assembly)
    policy = getattr(meeting.assembly, "policy", None)
    share = fraction(policy.quorum) if policy is not None else None
    needed = math.ceil(share * eligible) if share else 0
    present = attending_voters(meeting)
    if checked_in is None:
        checked_in = Attendance.objects.filter(meeting=meeting).count()
    return Quorum(eligible=eligible, present=present, needed=needed, others=checked_in - present)


def _voters_among(voters: QuerySet[Membership], attendance: QuerySet[Attendance]) -> QuerySet[Attendance]:
    """The people checked in (``attendance``) who are among ``voters``: read from the attendance (a
    meeting's rows), each person looked up by key, never by going through the assembly's whole
    roll (an ``IN`` over 50,000 voters took 56 ms on SQLite)."""
    return attendance.filter(Exists(voters.filter(pk=OuterRef("membership_id"))))


def suggest_roles(*, assembly: Assembly, now: datetime | None = None) -> dict[str, Membership | None]:
    """Rotation: for each role, the voter who held it least recently (never first), all different.

    Rotating roles spreads skills and stops one person from owning the meeting — the usual advice
    of facilitation guides (e.g. Seeds for Change, "Facilitating meetings").
    """
    now = now or timezone.now()
    voters = list(voters_of(assembly).exclude(user=None).order_by("display_name", "pk"))
    past = Meeting.objects.filter(assembly=assembly, starts_at__lt=now).exclude(
        status=Meeting.Status.CANCELLED
    )
    taken: set[int] = set()
    suggestion: dict[str, Membership | None] = {}
    for role in ROLE_FIELDS:
        last = {
            row[role]: row["last"]
            for row in past.exclude(**{f"{role}__isnull": True}).values(role).annotate(last=Max("starts_at"))
        }
        candidates = [v for v in voters if v.pk not in taken]
        if not candidates:
            suggestion[role] = None
            continue
        # Never held it sorts first (None → earliest), then the longest ago; ties by name.
        oldest = datetime.min.replace(tzinfo=timezone.get_current_timezone())
        chosen = min(candidates, key=lambda v: (last.get(v.pk) or oldest, v.display_name, v.pk))
        suggestion[role] = chosen
        taken.add(chosen.pk)
    return suggestion


def minutes_of(*, meeting: Meeting) -> Minutes | None:
    found = _in_meeting(meeting, _minutes_of(meeting=meeting.pk))
    return found[0] if found else None


def revisions_of(*, minutes: Minutes) -> list:
    return list(minutes.revisions.select_related("author").order_by("-number"))


def tallies_of(*, meeting: Meeting) -> dict[int, RoomTally]:
    found = _tallies_of(meeting=meeting.pk)
    for tally in found:
        _proposal_in(meeting, tally.proposal)
    return {t.item_id: t for t in found}


def tally_get(*, meeting: Meeting, item_pk: int) -> RoomTally:
    tally = (
        RoomTally.objects.filter(item__meeting=meeting, item_id=item_pk)
        .select_related("teller", "witness", "proposal", "item__meeting__assembly__community")
        .first()
    )
    if tally is None:
        raise NotFound(_("No count was entered for this item."))
    return tally


def feed_token_get(*, kind: str, token: str) -> FeedToken:
    found = (
        FeedToken.objects.filter(kind=kind, token=token)
        .select_related("assembly__community", "membership__community", "membership__user")
        .first()
    )
    if found is None or not token:
        raise NotFound(_("This calendar address is not valid (it may have been changed)."))
    return found


def meetings_for_feed(*, token: FeedToken, now: datetime | None = None) -> list[Meeting]:
    """An assembly's meetings, or every meeting of the assemblies a member votes in; from a year back."""
    now = now or timezone.now()
    since = now - timedelta(days=365)
    if token.kind == FeedToken.Kind.ASSEMBLY:
        qs = _base().filter(assembly=token.assembly)
    else:
        membership = token.membership
        assert membership is not None
        mine = [
            a.pk
            for a in assembly_selectors.assemblies_for(community=membership.community)
            if voters_of(a).filter(pk=membership.pk).exists()
        ]
        qs = _base().filter(assembly_id__in=mine)
    return list(qs.filter(starts_at__gte=since).order_by("starts_at", "id")[:500])


def next_meetings_for(
    *, community: Community, membership: Membership | None, limit: int = 5
) -> list[Meeting]:
    return upcoming_meetings(community=community, limit=limit)


def attendance_history(*, community: Community, limit: int = 8) -> list[tuple[str, int]]:
    """(meeting, people present) for the last ended meetings, oldest first: is turnout growing?"""
    ended = (
        meetings_of(community=community)
        .filter(status=Meeting.Status.ENDED)
        .annotate(present=Count("attendances"))
        .order_by("-starts_at", "-id")[:limit]
    )
    rows = [
        (
            f"{format_date(m.starts_at)} · {m.assembly.name}",
            m.present,
        )
        for m in ended
    ]
    return rows[::-1]


def may_attend(meeting: Meeting, membership: Membership | None) -> bool:
    """Voters and observers of the assembly take part in its meetings."""
    if membership is None or membership.status != Membership.Status.ACTIVE:
        return False
    return is_voter(meeting.assembly, membership) or is_observer(meeting.assembly, membership)


# The assembly's page asks for its next meetings on every visit: the SQL is written once per
# process (web/prepared.py), and the assembly given is set on the rows rather than joined again.
_upcoming_of_assembly = Prepared(
    lambda assembly, now: (
        Meeting.objects.filter(
            Q(status=Meeting.Status.IN_PROGRESS) | Q(status=Meeting.Status.SCHEDULED, ends_at__gte=now),
            assembly_id=assembly,
        )
        .select_related("facilitator", "note_taker", "timekeeper")
        .order_by("starts_at", "id")
    ),
    window=True,
    assembly=int,
    now=datetime,
)


def upcoming_for_assembly(assembly: Assembly, limit: int) -> list[Meeting]:
    """The next meetings of ``assembly``: what the meetings app registers with ``assemblies.sittings``
    (``upcoming_meetings`` of the assembly)."""
    found = _upcoming_of_assembly(assembly=assembly.pk, now=timezone.now(), limit=limit, offset=0)
    for meeting in found:
        meeting.assembly = assembly
    return found


def meeting_link_for(proposal: Proposal) -> str:
    """The page of the latest meeting whose agenda carries ``proposal``, or "" (``assemblies.sittings``)."""
    item = (
        AgendaItem.objects.filter(proposal=proposal)
        .select_related("meeting")
        .order_by("-meeting__starts_at")
        .first()
    )
    return item.meeting.get_absolute_url() if item is not None else ""


# --- votes counted in the room (tallies) and minutes -------------------------------------------

SOURCE = "meetings.room"


def room_positions(proposal: Proposal) -> tuple[str, ...]:
    """The positions a count in the room may record: those the proposal's process has."""
    try:
        process = processes.get(proposal.process)
    except Exception:  # an unknown process takes no positions; entering a count is refused
        return ()
    if process.shape not in ("positions", "advice"):
        return ()
    return tuple(process.positions)


def is_room_vote(item: AgendaItem) -> bool:
    proposal = item.proposal
    return (
        proposal is not None
        and proposal.voting_mode == Proposal.VotingMode.ROOM
        and bool(room_positions(proposal))
    )


def attending_voters(meeting: Meeting) -> int:
    """How many voters of the meeting's assembly are checked in."""
    found = prepared_for(
        "checked-in",
        meeting.assembly,
        lambda shape: Prepared(
            lambda community, group, meeting: _voters_among(
                shape(community, group).order_by(), Attendance.objects.filter(meeting_id=meeting)
            ),
            community=int,
            group=int,
            meeting=int,
        ),
    )
    if found is None:
        return _voters_among(voters_of(meeting.assembly), Attendance.objects.filter(meeting=meeting)).count()
    plan, ids = found
    return plan.count(**ids, meeting=meeting.pk)


def is_attending_voter(meeting: Meeting, membership: Membership | None) -> bool:
    if membership is None:
        return False
    return (
        Attendance.objects.filter(meeting=meeting, membership=membership).exists()
        and voters_of(meeting.assembly).filter(pk=membership.pk).exists()
    )


def confirmed_room_counts(proposal: Proposal) -> list[OutsideCount]:
    """The provider for ``assemblies.sources``: the witnessed tallies of ``proposal``."""
    tallies = (
        RoomTally.objects.filter(proposal_id=proposal.pk, confirmed_at__isnull=False)
        .select_related("teller", "witness", "item__meeting")
        .order_by("confirmed_at", "pk")
    )
    found = []
    for tally in tallies:
        meeting = tally.item.meeting
        when = format_date(meeting.starts_at)
        found.append(
            OutsideCount(
                source=SOURCE,
                counts=dict(tally.counts),
                description=_(
                    "Counted in the room at “%(meeting)s” on %(date)s, %(present)d present; "
                    "teller %(teller)s, witness %(witness)s."
                )
                % {
                    "meeting": meeting.title,
                    "date": when,
                    "present": tally.present,
                    "teller": tally.teller.display_name,
                    "witness": tally.witness.display_name if tally.witness else "",
                },
                link=meeting.get_absolute_url(),
            )
        )
    return found


def current_revision(minutes: Minutes) -> MinutesRevision | None:
    return minutes.revisions.order_by("-number").first()
