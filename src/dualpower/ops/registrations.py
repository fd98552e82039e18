"""What ops adds to the node's pages: the set-up panel on a community's dashboard.

Its permission (``ops.set_up_community``) is in ``ops/rules.py``, autodiscovered by django-rules.
"""

from __future__ import annotations

from dualpower.community import dashboard
from dualpower.ops import widgets

dashboard.register("setup", widgets.setup_panel)
