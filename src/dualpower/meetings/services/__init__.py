"""Writes for meetings. Every function is a keyword-only verb in one transaction with its audit entry.

One module per noun: ``meetings`` (schedule, change, cancel, start, end), ``agenda``,
``attendance``, ``minutes``, ``tallies`` (votes counted in the room) and ``feeds`` (calendar
addresses); shared private helpers in ``_common``. Other apps import from
``dualpower.meetings.services`` only.
"""

from dualpower.meetings.selectors import current_revision, may_attend
from dualpower.meetings.services._common import NOTES_MAX, PLACE_MAX, TITLE_MAX
from dualpower.meetings.services.agenda import (
    AgendaItemChanges,
    AgendaItemFields,
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_update,
    item_add,
)
from dualpower.meetings.services.attendance import attendance_check_in, attendance_record, attendance_remove
from dualpower.meetings.services.feeds import (
    feed_token_for_assembly,
    feed_token_for_member,
    feed_token_rotate,
)
from dualpower.meetings.services.meetings import (
    MAX_LENGTH,
    ROLES,
    MeetingChanges,
    meeting_cancel,
    meeting_end,
    meeting_schedule,
    meeting_start,
    meeting_update,
)
from dualpower.meetings.services.minutes import (
    DEFAULT_AMEND_HOURS,
    ITEM_TEXT_MAX,
    MAX_AMEND_HOURS,
    NOTE_MAX,
    SUMMARY_MAX,
    minutes_adopt,
    minutes_amend,
    minutes_close_windows,
    minutes_draft,
    minutes_open,
)
from dualpower.meetings.services.tallies import tally_confirm, tally_dispute, tally_enter

__all__ = [
    "DEFAULT_AMEND_HOURS",
    "ITEM_TEXT_MAX",
    "MAX_AMEND_HOURS",
    "MAX_LENGTH",
    "NOTES_MAX",
    "NOTE_MAX",
    "PLACE_MAX",
    "ROLES",
    "SUMMARY_MAX",
    "TITLE_MAX",
    "AgendaItemChanges",
    "AgendaItemFields",
    "MeetingChanges",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "agenda_item_update",
    "attendance_check_in",
    "attendance_record",
    "attendance_remove",
    "current_revision",
    "feed_token_for_assembly",
    "feed_token_for_member",
    "feed_token_rotate",
    "item_add",
    "may_attend",
    "meeting_cancel",
    "meeting_end",
    "meeting_schedule",
    "meeting_start",
    "meeting_update",
    "minutes_adopt",
    "minutes_amend",
    "minutes_close_windows",
    "minutes_draft",
    "minutes_open",
    "tally_confirm",
    "tally_dispute",
    "tally_enter",
]
