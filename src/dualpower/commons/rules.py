"""Who may do what in the knowledge commons. The only place access to it is decided.

The object checked is the Community, or one of its guides (anything with ``community``).
Admitted people read and search the commons, ours and what other communities sent. Members
(who take part) write guides, edit them (each save a version) and copy another community's guide
as a draft. Sharing a guide with peers or everyone speaks for the community: its coordinators
choose that (the form offers other visibilities only to them). Adopting a guide is an assembly's
decision (the action ``commons.adopt``), never a permission.
"""

from __future__ import annotations

import rules

from dualpower.members.rules import is_acting_coordinator, is_admitted, is_member

rules.add_perm("commons.view", is_admitted)
rules.add_perm("commons.write", is_member)
rules.add_perm("commons.copy", is_member)
rules.add_perm("commons.share", is_acting_coordinator)

PERMISSIONS = ("commons.view", "commons.write", "commons.copy", "commons.share")
