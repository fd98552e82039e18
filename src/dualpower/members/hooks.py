"""Where the apps above members hear of what happens to people.

- ``register_member_erased(fn)``: ``fn(membership=membership)`` runs inside the transaction that
  deletes an account, once for each of its memberships, after the membership became a "former
  member" (no account, no name). An app that named things after the person renames them here
  (the ledger: its accounts become "Former member #<n>"); an exception undoes the deletion.
  What ``fn`` returns is ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from dualpower.members.models import Membership


class MemberErased(Protocol):
    def __call__(self, *, membership: Membership) -> Any: ...


_erased: list[MemberErased] = []


def register_member_erased(hook: MemberErased) -> MemberErased:
    """Register ``hook`` to run when a member's account is deleted; usable as a decorator."""
    if hook not in _erased:
        _erased.append(hook)
    return hook


def member_erased(*, membership: Membership) -> None:
    """Run every registered hook (called by ``services.account_delete``)."""
    for hook in _erased:
        hook(membership=membership)
