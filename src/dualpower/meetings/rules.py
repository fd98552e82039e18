"""Who may do what with meetings. The only place access to meetings is decided.

The object checked is a Community (lists, feeds), an Assembly (scheduling), a Meeting, or a
RoomTally (witnessing). Admitted people read. Coordinators — and the conveners of a working
group, for its own meetings — schedule and run meetings; the meeting's facilitator and
note-taker hold the roles they were given. Voters and observers of the assembly check in;
attendees amend the minutes; a count in the room is entered and witnessed by two different
voters who are checked in. Whether the meeting is in the right state is the services' answer
(a 409 with a sentence), not a permission.
"""

from __future__ import annotations

from typing import Any

import rules

from dualpower.assemblies import bodies
from dualpower.assemblies.models import Assembly
from dualpower.meetings.models import Meeting, RoomTally
from dualpower.meetings.selectors import checked_in, may_attend
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.members.rules import is_acting_coordinator, is_admitted


def _assembly(obj: Any) -> Assembly | None:
    if isinstance(obj, Assembly):
        return obj
    if isinstance(obj, Meeting):
        return obj.assembly
    if isinstance(obj, RoomTally):
        return obj.item.meeting.assembly
    return None


def _meeting(obj: Any) -> Meeting | None:
    if isinstance(obj, Meeting):
        return obj
    if isinstance(obj, RoomTally):
        return obj.item.meeting
    return None


def _me(user: Any, obj: Any) -> Membership | None:
    assembly = _assembly(obj)
    return membership_for(user, assembly.community) if assembly is not None else None


@rules.predicate
def is_group_convener(user: Any, obj: Any) -> bool:
    """A convener of the working group whose assembly this is."""
    assembly = _assembly(obj)
    me = _me(user, obj)
    if assembly is None or me is None or assembly.working_group_id is None:
        return False
    return me.group_memberships.filter(
        group_id=assembly.working_group_id, is_convener=True, status="active"
    ).exists()


def _holds(role: str) -> Any:
    @rules.predicate(name=f"is_{role}")
    def holds(user: Any, obj: Any) -> bool:
        meeting = _meeting(obj)
        me = _me(user, obj)
        return meeting is not None and me is not None and getattr(meeting, f"{role}_id") == me.pk

    return holds


is_facilitator = _holds("facilitator")
is_note_taker = _holds("note_taker")


@rules.predicate
def may_take_part(user: Any, obj: Any) -> bool:
    """A voter or observer of the meeting's assembly."""
    meeting = _meeting(obj)
    return meeting is not None and may_attend(meeting, _me(user, obj))


@rules.predicate
def is_attendee(user: Any, obj: Any) -> bool:
    meeting = _meeting(obj)
    me = _me(user, obj)
    return meeting is not None and me is not None and checked_in(meeting, me)


@rules.predicate
def is_voter(user: Any, obj: Any) -> bool:
    assembly = _assembly(obj)
    me = _me(user, obj)
    return assembly is not None and bodies.is_voter(assembly, me)


@rules.predicate
def is_teller(user: Any, tally: Any) -> bool:
    me = _me(user, tally)
    return isinstance(tally, RoomTally) and me is not None and tally.teller_id == me.pk


runs_assembly = is_acting_coordinator | is_group_convener

rules.add_perm("meetings.list_meetings", is_admitted)
rules.add_perm("meetings.view_meeting", is_admitted)
rules.add_perm("meetings.view_feeds", is_admitted)
rules.add_perm("meetings.schedule_meeting", runs_assembly)
rules.add_perm("meetings.change_meeting", runs_assembly | is_facilitator)
rules.add_perm("meetings.cancel_meeting", runs_assembly)
rules.add_perm("meetings.run_meeting", runs_assembly | is_facilitator)
rules.add_perm("meetings.change_agenda", runs_assembly | is_facilitator)
rules.add_perm("meetings.check_in", may_take_part)
rules.add_perm("meetings.record_attendance", runs_assembly | is_facilitator | is_note_taker)
rules.add_perm("meetings.draft_minutes", runs_assembly | is_note_taker)
rules.add_perm("meetings.open_minutes", runs_assembly | is_facilitator | is_note_taker)
rules.add_perm("meetings.amend_minutes", is_attendee)
rules.add_perm("meetings.adopt_minutes", runs_assembly | is_facilitator | is_note_taker)
rules.add_perm("meetings.enter_tally", is_voter & is_attendee)
rules.add_perm("meetings.witness_tally", is_voter & is_attendee & ~is_teller)
rules.add_perm("meetings.rotate_assembly_feed", runs_assembly)

PERMISSIONS = (
    "meetings.list_meetings",
    "meetings.view_meeting",
    "meetings.view_feeds",
    "meetings.schedule_meeting",
    "meetings.change_meeting",
    "meetings.cancel_meeting",
    "meetings.run_meeting",
    "meetings.change_agenda",
    "meetings.check_in",
    "meetings.record_attendance",
    "meetings.draft_minutes",
    "meetings.open_minutes",
    "meetings.amend_minutes",
    "meetings.adopt_minutes",
    "meetings.enter_tally",
    "meetings.witness_tally",
    "meetings.rotate_assembly_feed",
)
