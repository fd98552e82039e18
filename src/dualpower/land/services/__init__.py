"""Every write about the land trust, one module per noun; this package re-exports the public verbs.

- trust.py: the trust's settings (priority criteria, who adopts an allocation);
- homes.py: parcels, homes, stewardship notes;
- leases.py: ground leases and the resale price they give;
- waitlist.py: the waitlist and the allocation of vacant homes by the published draw.

Who may call each verb is decided in rules.py.
"""

from dualpower.land.services.homes import home_create, note_add, parcel_create
from dualpower.land.services.leases import lease_breakdown, lease_create, lease_end
from dualpower.land.services.trust import (
    COMPUTED_FACTS,
    clean_criteria,
    criteria_of,
    settings_for,
    trust_settings_update,
)
from dualpower.land.services.waitlist import (
    METHOD_PATH,
    allocation_adopt,
    allocation_announce,
    allocation_cancel,
    allocation_draw,
    allocation_replay,
    ranking_inputs,
    waitlist_apply,
    waitlist_withdraw,
)

__all__ = [
    "COMPUTED_FACTS",
    "METHOD_PATH",
    "allocation_adopt",
    "allocation_announce",
    "allocation_cancel",
    "allocation_draw",
    "allocation_replay",
    "clean_criteria",
    "criteria_of",
    "home_create",
    "lease_breakdown",
    "lease_create",
    "lease_end",
    "note_add",
    "parcel_create",
    "ranking_inputs",
    "settings_for",
    "trust_settings_update",
    "waitlist_apply",
    "waitlist_withdraw",
]
