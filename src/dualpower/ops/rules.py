"""Who may operate the node from its pages: start a new community (autodiscovered by django-rules)."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_node_operator(user: Any, obj: Any = None) -> bool:
    """The people who run this node: staff accounts (``dualpower manage createsuperuser``, or
    ``is_staff`` set by the operator). Nobody else may start a community on it."""
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser))


# Starting a community (the guided set-up) is for the node's operators; the new community's
# coordinators then invite people and run it.
rules.add_perm("ops.set_up_community", is_node_operator)
