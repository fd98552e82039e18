"""Who may do what with delegates and mandates. The only place access to them is decided.

Objects checked: a Community (lists), an Assembly (drafting a mandate for the delegates it sends),
a DelegateSeat or Proposal (reading). Seating, recalling and putting mandates in force are not
permissions: only decisions of the sending assembly do them (see mandates.actions).
"""

from __future__ import annotations

from typing import Any

import rules

from dualpower.assemblies.models import Assembly
from dualpower.groups import selectors as group_selectors
from dualpower.members.roles import membership_for
from dualpower.members.rules import is_acting_coordinator, is_admitted, is_member


@rules.predicate
def convenes_sending_group(user: Any, assembly: Any) -> bool:
    """The conveners of a working group coordinate the group's own assembly."""
    if not isinstance(assembly, Assembly) or assembly.working_group_id is None:
        return False
    membership = membership_for(user, assembly.community)
    return (
        membership is not None
        and group_selectors.groups_for_member(membership=membership)
        .filter(group_id=assembly.working_group_id, is_convener=True, status="active")
        .exists()
    )


coordinates_assembly = is_acting_coordinator | (is_member & convenes_sending_group)

rules.add_perm("mandates.view_delegates", is_admitted)
rules.add_perm("mandates.view_mandates", is_admitted)
rules.add_perm("mandates.draft_mandate", coordinates_assembly)

PERMISSIONS = ("mandates.view_delegates", "mandates.view_mandates", "mandates.draft_mandate")
