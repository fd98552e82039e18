"""Permission predicates for a community: who may see it, its dashboard and its audit log."""

from __future__ import annotations

import rules

from dualpower.members.rules import is_acting_coordinator, is_admitted, is_public_community

rules.add_perm("community.view_community", is_public_community | is_admitted)
rules.add_perm("community.view_dashboard", is_admitted)
# Members read the audit log; nobody can edit it (there is no permission to).
rules.add_perm("community.view_audit", is_admitted)
rules.add_perm("community.change_community", is_acting_coordinator)
