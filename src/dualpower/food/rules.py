"""rules of the food app."""

from __future__ import annotations

from typing import Any

import rules

from dualpower.errors import NotFound
from dualpower.food.models.growing import Planting, Plot, SeedLoan
from dualpower.food.models.plate import Pledge, Share
from dualpower.food.selectors.growing import tends
from dualpower.groups.selectors import group_get, is_active_in_group
from dualpower.members.roles import membership_for
from dualpower.members.rules import community_of, is_acting_coordinator, is_admitted, is_member

# Gardens are read by every admitted person; they are kept (sites, plots, crops, the plan, work
# days and rescue rounds, the seed library's lots) by coordinators and the food working group; a
# plot's logs (one-tap harvests) are written by its steward and gardeners and the keepers.


FOOD_GROUP_SLUG = "food"


@rules.predicate
def in_food_group(user: Any, obj: Any) -> bool:
    """An active member of the community's food working group (slug ``food``)."""
    community = community_of(obj)
    me = membership_for(user, community)
    if me is None or community is None:
        return False
    try:
        group = group_get(community=community, slug=FOOD_GROUP_SLUG)
    except NotFound:
        return False
    return is_active_in_group(group_id=group.pk, membership=me)


@rules.predicate
def tends_plot(user: Any, obj: Any) -> bool:
    """The steward or a gardener of the plot (or of the planting's plot)."""
    plot = obj.plot if isinstance(obj, Planting) else obj
    if not isinstance(plot, Plot):
        return False
    return tends(membership=membership_for(user, plot.community), plot=plot)


@rules.predicate
def borrows_seed(user: Any, obj: Any) -> bool:
    if not isinstance(obj, SeedLoan):
        return False
    me = membership_for(user, obj.community)
    return me is not None and obj.borrower_id == me.pk


keeps_gardens = is_acting_coordinator | (is_member & in_food_group)

rules.add_perm("food.view_gardens", is_admitted)
rules.add_perm("food.manage_gardens", keeps_gardens)
rules.add_perm("food.log_plot", is_member & (keeps_gardens | tends_plot))
rules.add_perm("food.log_rescue", is_member)
rules.add_perm("food.import_logs", keeps_gardens)
rules.add_perm("food.borrow_seed", is_member)
rules.add_perm("food.manage_seeds", keeps_gardens)
rules.add_perm("food.return_seed", is_member & (keeps_gardens | borrows_seed))

GROWING_PERMISSIONS = (
    "food.view_gardens",
    "food.manage_gardens",
    "food.log_plot",
    "food.log_rescue",
    "food.import_logs",
    "food.borrow_seed",
    "food.manage_seeds",
    "food.return_seed",
)

# Every admitted person reads the priorities in force and the share cycles; the food working group
# (and coordinators: ``keeps_gardens`` above) allocates harvests and runs the cycles; a member takes
# a share for their household, pledges for it and reads its basket.


@rules.predicate
def holds_share(user: Any, obj: Any) -> bool:
    """The member who holds the share (or the pledge's share)."""
    share = obj.share if isinstance(obj, Pledge) else obj
    if not isinstance(share, Share):
        return False
    me = membership_for(user, share.cycle.community)
    return me is not None and share.holder_id == me.pk


rules.add_perm("food.view_plate", is_admitted)
rules.add_perm("food.allocate", keeps_gardens)
rules.add_perm("food.manage_shares", keeps_gardens)
rules.add_perm("food.join_share", is_member)
rules.add_perm("food.view_share", holds_share | keeps_gardens)
rules.add_perm("food.pledge", is_member & holds_share)

PLATE_PERMISSIONS = (
    "food.view_plate",
    "food.allocate",
    "food.manage_shares",
    "food.join_share",
    "food.view_share",
    "food.pledge",
)
