"""Every write about activities, one module per noun; this package re-exports their verbs and
limits so callers have one place to look (``from dualpower.activities import services``).

- _common.py: limits on what people type, the places an activity offers, who may take part;
- series.py: series, their organisers, and stopping one;
- occurrences.py: the dates of a series (made ahead by the clock), cancelling one, its places;
- schedules.py: changing when a regular activity happens, and what that does to its dates;
- signups.py: taking part (signing up, leaving, no-shows, feedback, reminders);
- trust.py: trust roles and vouching.

Modules inside this package import each other directly, never from here.
"""

from dualpower.activities.services._common import (
    LABEL_MAX,
    LATE_LEAVE,
    MAX_CAPACITY,
    MAX_SLOTS,
    MAX_WEEKS_AHEAD,
    NOTE_MAX,
    PLACE_MAX,
    REMIND_BEFORE,
    TEXT_MAX,
    TITLE_MAX,
    SlotSpec,
)
from dualpower.activities.services.occurrences import (
    activity_cancel,
    activity_url,
    generate_all,
    local_today,
    occurrence_fits,
    series_generate,
    slot_set_capacity,
    when,
)
from dualpower.activities.services.schedules import KEEP, ScheduleChange, series_reschedule
from dualpower.activities.services.series import (
    organiser_add,
    organiser_remove,
    organisers_of,
    series_create,
    series_stop,
    series_update,
)
from dualpower.activities.services.signups import (
    feedback_give,
    remind_due,
    signup_leave,
    signup_mark_no_show,
    slot_sign_up,
)
from dualpower.activities.services.trust import (
    DESCRIPTION_MAX,
    NAME_MAX,
    THRESHOLD_MAX,
    roles_url,
    trust_role_create,
    trust_role_update,
    vouch_give,
    vouch_withdraw,
)

__all__ = [
    "DESCRIPTION_MAX",
    "KEEP",
    "LABEL_MAX",
    "LATE_LEAVE",
    "MAX_CAPACITY",
    "MAX_SLOTS",
    "MAX_WEEKS_AHEAD",
    "NAME_MAX",
    "NOTE_MAX",
    "PLACE_MAX",
    "REMIND_BEFORE",
    "TEXT_MAX",
    "THRESHOLD_MAX",
    "TITLE_MAX",
    "ScheduleChange",
    "SlotSpec",
    "activity_cancel",
    "activity_url",
    "feedback_give",
    "generate_all",
    "local_today",
    "occurrence_fits",
    "organiser_add",
    "organiser_remove",
    "organisers_of",
    "remind_due",
    "roles_url",
    "series_create",
    "series_generate",
    "series_reschedule",
    "series_stop",
    "series_update",
    "signup_leave",
    "signup_mark_no_show",
    "slot_set_capacity",
    "slot_sign_up",
    "trust_role_create",
    "trust_role_update",
    "vouch_give",
    "vouch_withdraw",
    "when",
]
