"""Decisions that take effect: the actions a proposal can carry.

A proposal carries a list of actions (``{"kind": "members.admit", "params": {...}}``). When the
decision passes, the assemblies app runs them all in one transaction: each action's ``run`` makes
its change through its own app's services and writes its audit entry with
``decision_ref=decision.ref``; if any raises, nothing changes and the failure is shown on the
proposal.

Apps register their kinds in their ``registrations.py``:

    from dualpower.assemblies import actions

    actions.register(actions.ActionKind(
        key="ledger.set_credit_limit",
        label=_("Set a credit limit"),
        validate=validate_credit_limit,   # (community, params) -> cleaned params; raises InvalidInput
        run=run_credit_limit,             # (*, community, params, decision) -> one-line summary
        describe=describe_credit_limit,   # (community, params) -> plain-language sentence
    ))

``validate`` runs when the action is attached to a proposal and again just before ``run``.
Params are JSON: ids, strings, integers (money in the smallest unit), never model instances.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from dualpower.community.models import Community
from dualpower.errors import InvalidInput

Params = Mapping[str, Any]


@dataclass(frozen=True)
class Decision:
    """What an action knows about the decision that runs it."""

    ref: str  # "proposal:<id>", stored as AuditEntry.decision_ref
    community: Community
    assembly_id: int
    proposal_id: int
    title: str
    # For elections (STV and other multi-winner polls): the elected people, as membership ids,
    # in the order they were elected. Empty for yes/no decisions.
    elected_memberships: tuple[int, ...] = ()
    # The engine's result as JSON (winners, counts...), for actions that need more.
    outcome: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ActionKind:
    key: str
    label: str | Promise  # a lazy translation, worded in the reader's language
    validate: Callable[[Community, Params], dict[str, Any]]
    run: Callable[..., str]
    describe: Callable[[Community, Params], str] | None = None


_registry: dict[str, ActionKind] = {}


def register(kind: ActionKind) -> None:
    _registry[kind.key] = kind


def kinds() -> list[ActionKind]:
    return sorted(_registry.values(), key=lambda k: k.key)


def get(key: str) -> ActionKind:
    try:
        return _registry[key]
    except KeyError:
        raise InvalidInput(f"There is no action called “{key}”.", field="actions") from None


def decision_ref(proposal_id: int) -> str:
    return f"proposal:{proposal_id}"
