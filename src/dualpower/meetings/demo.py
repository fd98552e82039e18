"""Demo meetings: three past meetings of the general assembly with adopted minutes, one to come.

Built through the services (after the assemblies loader, which creates the general assembly),
deterministic from the demo's seeded random source. Roles rotate as the page suggests them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from dualpower.assemblies import selectors as assembly_selectors
from dualpower.assemblies.bodies import voters_of
from dualpower.assemblies.services import general_assembly_for
from dualpower.meetings import selectors, services
from dualpower.meetings.models import Attendance, Meeting, MinutesRevision
from dualpower.meetings.services import minutes_adopt, minutes_amend, minutes_draft, minutes_open

if TYPE_CHECKING:
    from dualpower.demo import Demo

PAST = (
    (
        63,
        "September assembly",
        [
            ("Welcome and check-in", 10, "Eighteen people came, four of them for the first time."),
            ("Repairs at Calle Norte 12", 30, "The landlord has ignored the mould for five months."),
            ("Saturday market stall", 20, "The food group will run a stall every second Saturday."),
        ],
        ["Write a joint letter to the landlord, signed by every tenant who agrees.", "", "Agreed."],
    ),
    (
        35,
        "October assembly",
        [
            ("Welcome", 5, "A round of names and neighbourhoods."),
            ("Landlord's answer", 25, "The landlord promised repairs by December; nothing has started."),
            ("Winter coats drive", 20, "Collection points at the hall and the library."),
        ],
        ["", "Give the landlord until 1 December, then go to the housing office together.", "Agreed."],
    ),
    (
        7,
        "November assembly",
        [
            ("Welcome", 5, "Twenty-one people, two interpreters (Spanish)."),
            ("Housing office visit", 30, "Twelve tenants went; an inspection is booked."),
            (
                "Next steps for the garden",
                25,
                "The block on the car park garden was discussed; ideas for the roof.",
            ),
        ],
        [
            "",
            "Report the inspection's result at the December assembly.",
            "The food group will cost a roof garden.",
        ],
    ),
)


def _shift(meeting: Meeting, when: datetime) -> None:
    """Date the records of a past meeting to when it happened (the services stamp the present)."""
    Attendance.objects.filter(meeting=meeting).update(checked_in_at=when + timedelta(minutes=10))
    MinutesRevision.objects.filter(minutes__meeting=meeting).update(created_at=when + timedelta(hours=3))


def load_meetings(demo: Demo) -> None:
    assembly = general_assembly_for(demo.community)
    people = list(voters_of(assembly).exclude(user=None).order_by("id"))
    if len(people) < 4:
        return
    rng = demo.rng
    now = timezone.now()
    for days_ago, title, agenda, decisions in PAST:
        start = (now - timedelta(days=days_ago)).replace(hour=18, minute=30, second=0, microsecond=0)
        roles = selectors.suggest_roles(assembly=assembly, now=start)
        meeting = services.meeting_schedule(
            assembly=assembly,
            by=demo.coordinator,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Community hall, 3 Riverside Road",
            agenda=[{"title": t, "minutes_allotted": m} for t, m, _notes in agenda],
            notify=False,
            facilitator=roles["facilitator"],
            note_taker=roles["note_taker"],
            timekeeper=roles["timekeeper"],
        )
        services.meeting_start(meeting=meeting, by=demo.coordinator)
        present = rng.sample(people, k=min(len(people), rng.randint(14, 22)))
        for person in {*present, *(m for m in roles.values() if m is not None)}:
            services.attendance_check_in(meeting=meeting, membership=person)
        items = list(meeting.items.order_by("position"))
        note_taker = roles["note_taker"]
        minutes_draft(
            meeting=meeting,
            by=note_taker,
            summary=f"Facilitated by {roles['facilitator'].display_name if roles['facilitator'] else '—'}.",
            items={
                str(item.pk): {"notes": notes, "decisions": decided}
                for item, (_t, _m, notes), decided in zip(items, agenda, decisions, strict=True)
            },
        )
        services.meeting_end(meeting=meeting, by=demo.coordinator)
        opened = start + timedelta(hours=3)
        minutes_open(meeting=meeting, by=note_taker, hours=72, now=opened)
        if days_ago == 35:
            # Someone corrects the minutes: the history keeps both versions.
            current = meeting.minutes.revisions.order_by("-number").first()
            assert current is not None
            corrector = next(p for p in present if p != note_taker)
            items_fixed = dict(current.items)
            first = str(items[1].pk)
            items_fixed[first] = {
                **items_fixed[first],
                "notes": items_fixed[first]["notes"] + " Three flats.",
            }
            minutes_amend(
                meeting=meeting,
                by=corrector,
                summary=current.summary,
                items=items_fixed,
                note="Added how many flats are affected.",
                now=opened + timedelta(hours=20),
            )
        minutes_adopt(meeting=meeting, by=roles["facilitator"], now=opened + timedelta(hours=73))
        _shift(meeting, start)

    start = (now + timedelta(days=6)).replace(hour=18, minute=30, second=0, microsecond=0)
    open_proposal = assembly_selectors.proposals_open(assembly=assembly).order_by("id").first()
    next_agenda: list[services.AgendaItemFields] = [
        {"title": "Welcome and check-in", "minutes_allotted": 10},
        {"title": "Result of the housing inspection", "minutes_allotted": 20},
    ]
    if open_proposal is not None:
        next_agenda.append({"title": open_proposal.title, "minutes_allotted": 30, "proposal": open_proposal})
    roles = selectors.suggest_roles(assembly=assembly, now=now)
    services.meeting_schedule(
        assembly=assembly,
        by=demo.coordinator,
        title="December assembly",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Community hall, 3 Riverside Road",
        call_link="https://meet.example.org/riverside-assembly",
        agenda=next_agenda,
        notify=False,
        facilitator=roles.get("facilitator"),
        note_taker=roles.get("note_taker"),
        timekeeper=roles.get("timekeeper"),
    )
    demo.say("Meetings: 3 past meetings with adopted minutes, 1 upcoming.")
