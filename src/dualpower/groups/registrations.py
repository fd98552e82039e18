"""Everything the groups app registers with the registries below it.

- its dashboard panel (my groups, requests waiting for me);
- the starter working groups of a new community, and how many groups the community's panel
  shows (``community.hooks``).
"""

from __future__ import annotations

from dualpower.community import dashboard, hooks
from dualpower.groups import selectors, services, widgets

dashboard.register("my-groups", widgets.my_groups_panel)
hooks.on_community_created(services.starter_groups_set_up)
hooks.register_overview_count("group_count", selectors.group_count)
