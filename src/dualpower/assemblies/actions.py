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
        run=run_credit_limit,             # (*, community, params, decision) -> what it did (a Result)
        describe=describe_credit_limit,   # (community, params) -> plain-language sentence
    ))

``run`` says what it did as a ``Result``: the untranslated sentence and its values, kept so that
each reader sees it in their own language (like a notification)::

    return actions.result(gettext_lazy("%(name)s was admitted."), name=membership.display_name)

A plain ``str`` is still accepted and kept as it was written (in the language of whoever closed
the vote); older decisions keep that text.

``validate`` runs when the action is attached to a proposal and again just before ``run``.
Params are JSON: ids, strings, integers (money in the smallest unit), never model instances.

``needs`` says what the action asks of the person putting the proposal forward, one ``Need`` per
param: the proposal form builds a picker from it (a list of names, never an id to type):

    needs=(actions.Need("application", _("Who is admitted"), options=pending_applications),)

where ``options(community)`` gives ``(value, name)`` pairs. A kind without ``needs`` cannot be
chosen on the form (only through the API).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.notifications.text import Spec, Text, render, text

Params = Mapping[str, Any]

# What an action did: a sentence kept untranslated with its values, shown in the reader's language.
Result = Text


def result(message: Any, /, **values: Any) -> Result:
    """``message`` (a ``gettext_lazy`` sentence) with its ``%(name)s`` values, translated when read."""
    return text(message, **values)


def result_stored(done: str | Result) -> tuple[Spec, str]:
    """What ``run`` returned, as stored: the untranslated spec (empty for a plain ``str``) and the
    sentence in the active language (kept beside it, and shown where no spec was stored)."""
    if isinstance(done, Text):
        return done.spec(), str(done)
    return {}, str(done)


def result_shown(spec: Spec | None, stored: str) -> str:
    """A stored result in the reader's language; an older one (no spec) as it was written."""
    return render(spec) if spec else stored


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
class Need:
    """One thing an action asks for, shown on the proposal form as a field.

    ``kind``: "choice" (a list of names from ``options(community)``: ``(value, name)`` pairs, the
    value stored in the params as given), "number" (a whole number), "percent" (typed as 20, stored
    as the share "0.2"), "yesno" or "text". ``within``: nest the value under that param (a policy's
    ``changes``). An optional need left empty is left out of the params; ``empty`` words that
    empty choice.
    """

    name: str
    label: str | Promise
    kind: Literal["choice", "number", "percent", "yesno", "text"] = "choice"
    options: Callable[[Community], Sequence[tuple[Any, str]]] | None = None
    required: bool = True
    within: str = ""
    help: str | Promise = ""
    # What an optional choice left empty reads as: "Leave as it is" suits a change of a setting;
    # a choice with an alternative (a community picked, or its address typed) says so.
    empty: str | Promise = ""


@dataclass(frozen=True)
class ActionKind:
    key: str
    label: str | Promise  # a lazy translation, worded in the reader's language
    validate: Callable[[Community, Params], dict[str, Any]]
    run: Callable[..., str | Result]
    describe: Callable[[Community, Params], str] | None = None
    needs: tuple[Need, ...] = ()


_registry: dict[str, ActionKind] = {}


def register(kind: ActionKind) -> None:
    _registry[kind.key] = kind


def kinds() -> list[ActionKind]:
    return sorted(_registry.values(), key=lambda k: k.key)


def pickable() -> list[ActionKind]:
    """The kinds a person can choose on the proposal form: those that say what they need."""
    return [k for k in kinds() if k.needs]


def get(key: str) -> ActionKind:
    try:
        return _registry[key]
    except KeyError:
        raise InvalidInput(
            _("There is no action called “%(k)s”.") % {"k": key}, field="action_kind"
        ) from None


def decision_ref(proposal_id: int) -> str:
    return f"proposal:{proposal_id}"
