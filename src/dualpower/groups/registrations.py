"""Everything the groups app registers with the registries below it.

- its dashboard panel (my groups, requests waiting for me) and its place in the menu;
- the starter working groups of a new community, how many groups the community's panel
  shows and the sentences of its audit entries (``community.hooks``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community import dashboard, hooks
from dualpower.groups import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.groups import selectors, services, widgets
from dualpower.web import navigation

dashboard.register("my-groups", widgets.my_groups_panel)
navigation.register("groups", _("Working groups"), "groups:list", order=70, group="community")
hooks.on_community_created(services.starter_groups_set_up)
hooks.register_overview_count("group_count", selectors.group_count)
