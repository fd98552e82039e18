"""Everything the members app registers with the registries below it.

- its dashboard panel (pending applications);
- how an API token is read (``api_tools``), how the audit log finds the acting member and how
  many members the community's panel shows (``community.hooks``);
- why a coordinator without the required second factor is refused (``web.permissions``).

Its permissions, and the community's, are django-rules' (``members/rules.py``, autodiscovered).
"""

from __future__ import annotations

from dualpower import api_tools
from dualpower.community import dashboard, hooks
from dualpower.members import rules, selectors, widgets
from dualpower.members.roles import membership_for
from dualpower.members.services.tokens import token_authenticate
from dualpower.web import permissions

dashboard.register("members.pending_applications", widgets.pending_applications_panel)
api_tools.register_token_authenticator(token_authenticate)
hooks.register_actor_lookup(membership_for)
hooks.register_overview_count("member_count", selectors.member_count)
permissions.register_refusal(rules.mfa_refusal)
