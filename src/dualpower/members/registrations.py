"""Everything the members app registers with the registries below it.

- its dashboard panel (pending applications), its place in the menu and the sentences of its
  audit entries;
- how an API token is read (``api_tools``), how the audit log finds the acting member, how it
  hides the names of people who deleted their account and how many members the community's panel
  shows (``community.hooks``);
- why a coordinator without the required second factor is refused (``web.permissions``).

Its permissions, and the community's, are django-rules' (``members/rules.py``, autodiscovered).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import api_tools
from dualpower.community import dashboard, hooks
from dualpower.members import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.members import invitation_rules as _invitations  # noqa: F401 - invitation links: table, permissions
from dualpower.members import rules, selectors, widgets
from dualpower.members.roles import membership_for
from dualpower.members.services.tokens import token_find
from dualpower.web import navigation, permissions

dashboard.register("members.pending_applications", widgets.pending_applications_panel)
navigation.register("members", _("Members"), "members:list", order=75, group="community")
api_tools.register_token_authenticator(token_find)
hooks.register_actor_lookup(membership_for)
hooks.register_overview_count("member_count", selectors.member_count)
hooks.register_visitor_page(selectors.applicant_page)
hooks.register_audit_view(selectors.audit_redacted)
permissions.register_refusal(rules.mfa_refusal)
