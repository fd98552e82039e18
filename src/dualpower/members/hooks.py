"""Where the apps above members hear of what happens to people.

- ``register_member_erased(fn)``: ``fn(membership=membership)`` runs inside the transaction that
  deletes an account, once for each of its memberships, after the membership became a "former
  member" (no account, no name). An app that named things after the person renames them here
  (the ledger: its accounts become "Former member #<n>"); an exception undoes the deletion.
  What ``fn`` returns is ignored.
- ``register_sign_in_alternative(fn)``: ``fn(email=..., password=...)`` is asked, after a sign-in
  with a wrong password, whether these credentials open another account instead (a duress password
  opens an empty one: defence/services/exposure.py); it returns that account or None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from dualpower.members.models import Membership, User


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


class AccountDeleted(Protocol):
    def __call__(self, *, user: User) -> Any: ...


_accounts_deleted: list[AccountDeleted] = []


def register_account_deleted(hook: AccountDeleted) -> AccountDeleted:
    """Register ``hook`` to run when an account (the login, whatever its memberships) is about to
    be deleted, inside the same transaction; usable as a decorator."""
    if hook not in _accounts_deleted:
        _accounts_deleted.append(hook)
    return hook


def account_deleted(*, user: User) -> None:
    """Run every registered hook (called by ``services.account_delete`` before the login goes)."""
    for hook in _accounts_deleted:
        hook(user=user)


class SignInAlternative(Protocol):
    def __call__(self, *, email: str, password: str) -> User | None: ...


_alternatives: list[SignInAlternative] = []


def register_sign_in_alternative(hook: SignInAlternative) -> SignInAlternative:
    """Register ``hook`` to be asked after a wrong password; usable as a decorator."""
    if hook not in _alternatives:
        _alternatives.append(hook)
    return hook


def sign_in_alternative(*, email: str, password: str) -> User | None:
    """The account the first registered hook opens with these credentials, or None (called by the
    sign-in's adapter, ``adapters.AccountAdapter.authenticate``)."""
    for hook in _alternatives:
        user = hook(email=email, password=password)
        if user is not None:
            return user
    return None
