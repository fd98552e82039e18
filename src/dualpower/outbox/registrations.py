"""Everything the outbox registers: its permission, and its panel on the dashboard.

No menu entry: the menu shows every entry to every member, and this page is only for coordinators
and only while the node keeps its mail in a folder. The coordinator reaches it from the panel
"Mail sent from this node" on the community's dashboard, shown to them alone.
"""

from __future__ import annotations

from dualpower.community import dashboard
from dualpower.outbox import rules as _rules  # noqa: F401 - registers the permission on import
from dualpower.outbox import widgets

dashboard.register("outbox", widgets.outbox_panel)
