"""Everything the community app registers: its own panel on the dashboard."""

from __future__ import annotations

from dualpower.community import dashboard, widgets

dashboard.register("community", widgets.community_panel)
