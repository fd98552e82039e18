"""Who may do what with invitation links. ``members/registrations.py`` imports this module, which
imports the invitation models: that one line adds the invitation links' tables and permissions."""

from __future__ import annotations

import rules

from dualpower.members import invitation_models  # noqa: F401 - registers the tables
from dualpower.members.rules import is_acting_coordinator, is_admitted

# Coordinators make, list and revoke a community's invitation links.
rules.add_perm("members.manage_invitations", is_acting_coordinator)
# Anyone not yet admitted (signed in or not) may open a link and apply through it; the service
# refuses a link that is revoked, expired or used up.
rules.add_perm("members.use_invitation", ~is_admitted)
