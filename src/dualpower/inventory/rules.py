"""Who may do what with the shared inventory. The only place access to it is decided.

Admitted people (observers included) see what the network holds; stock keepers move it:
coordinators, organisers of the community's activities, and the aid network's dispatchers.
"""

from __future__ import annotations

from typing import Any

import rules

from dualpower.activities.rules import organises_anything
from dualpower.aid.selectors import is_dispatcher_member
from dualpower.members.roles import membership_for
from dualpower.members.rules import community_of, is_acting_coordinator, is_admitted, is_member


@rules.predicate
def is_dispatcher(user: Any, obj: Any) -> bool:
    return is_dispatcher_member(membership_for(user, community_of(obj)))


keeps_stock = is_acting_coordinator | (is_member & (organises_anything | is_dispatcher))

rules.add_perm("inventory.view_inventory", is_admitted)
rules.add_perm("inventory.add_item", keeps_stock)
rules.add_perm("inventory.change_item", keeps_stock)
rules.add_perm("inventory.move_stock", keeps_stock)

PERMISSIONS = (
    "inventory.view_inventory",
    "inventory.add_item",
    "inventory.change_item",
    "inventory.move_stock",
)
