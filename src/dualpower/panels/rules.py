"""Who may do what with sortition panels. The only place access to panels is decided.

The object is a Community (listing, creating) or a Panel. Admitted people see panels, the counts
and the published chances; members volunteer; coordinators run the draw and alone see who
volunteered with which answers.
"""

from __future__ import annotations

import rules

from dualpower.members.rules import is_acting_coordinator, is_admitted, is_member

rules.add_perm("panels.view_panel", is_admitted)
rules.add_perm("panels.add_panel", is_acting_coordinator)
rules.add_perm("panels.change_panel", is_acting_coordinator)
rules.add_perm("panels.run_draw", is_acting_coordinator)
rules.add_perm("panels.view_answers", is_acting_coordinator)
# Observers follow panels but do not sit on them. (Volunteering twice or after sign-up closed is
# not a question of permission: the service answers it with a clear 409.)
rules.add_perm("panels.volunteer", is_member)

PERMISSIONS = (
    "panels.view_panel",
    "panels.add_panel",
    "panels.change_panel",
    "panels.run_draw",
    "panels.view_answers",
    "panels.volunteer",
)
