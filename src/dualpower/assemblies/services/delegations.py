"""Liquid delegation: who passes their vote to whom, and the weight a direct vote carries."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dualpower.assemblies import bodies
from dualpower.assemblies.models import Assembly, Delegation, Proposal
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.models import Membership


def _edges_for_scope(assembly: Assembly, topic: str, proposal: Proposal | None) -> dict[int, set[int]]:
    """Every delegation that could carry a vote on some proposal in the given scope."""
    qs = Delegation.objects.filter(assembly=assembly)
    if proposal is not None:
        qs = qs.filter(proposal=proposal) | qs.filter(proposal__isnull=True, topic__in=["", proposal.topic])
    elif topic:
        qs = qs.filter(proposal__isnull=True, topic__in=["", topic]) | qs.filter(proposal__topic=topic)
    edges: dict[int, set[int]] = {}
    for a, b in qs.values_list("delegator_id", "delegate_id"):
        edges.setdefault(a, set()).add(b)
    return edges


@transaction.atomic
def delegation_set(
    *,
    assembly: Assembly,
    by: Membership | None,
    delegate: Membership,
    topic: str = "",
    proposal: Proposal | None = None,
) -> Delegation:
    """Let ``delegate`` vote for ``by`` in this assembly, on one topic, or on one proposal.

    Refused when it would close a circle (A trusts B who trusts A): a vote must always reach
    someone who casts it. Not available with secret ballots: a delegate's open weight would
    show how the people they vote for voted.
    """
    assembly = Assembly.objects.select_for_update(of=("self",)).select_related("policy").get(pk=assembly.pk)
    if by is None or not bodies.is_voter(assembly, by):
        raise PermissionDenied(_("Only members of this assembly can delegate their vote."))
    if not assembly.policy.liquid_delegation:
        raise Conflict(_("This assembly does not use delegation."))
    if assembly.policy.secret_ballots or (proposal is not None and proposal.is_secret):
        raise Conflict(_("Votes cannot be delegated where ballots are secret."))
    if delegate.pk == by.pk:
        raise InvalidInput(_("You cannot delegate your vote to yourself."), field="delegate")
    if not bodies.is_voter(assembly, delegate):
        raise InvalidInput(_("You can delegate only to a member of this assembly."), field="delegate")
    topic = slugify(str(topic or ""))[:60]
    if proposal is not None:
        if proposal.assembly_id != assembly.pk:
            raise InvalidInput(_("That proposal belongs to another assembly."), field="proposal")
        if proposal.state in (Proposal.State.CLOSED, Proposal.State.WITHDRAWN):
            raise Conflict(_("This proposal is already decided."))
        topic = ""
    edges = _edges_for_scope(assembly, topic, proposal)
    # Replacing one's own delegation in this scope: the old edge goes.
    current = Delegation.objects.filter(
        assembly=assembly, delegator=by, topic=topic, proposal=proposal
    ).first()
    if current is not None:
        edges.get(by.pk, set()).discard(current.delegate_id)
    seen, stack = set(), [delegate.pk]
    while stack:
        node = stack.pop()
        if node == by.pk:
            raise Conflict(
                _(
                    "%(name)s already passes their vote, directly or through others, to you: "
                    "that would be a circle."
                )
                % {"name": delegate.display_name}
            )
        if node in seen:
            continue
        seen.add(node)
        stack.extend(edges.get(node, ()))
    if current is not None:
        current.delegate = delegate
        current.save(update_fields=["delegate"])
        delegation = current
    else:
        delegation = Delegation.objects.create(
            assembly=assembly, delegator=by, delegate=delegate, topic=topic, proposal=proposal
        )
    audit_record(
        community=assembly.community,
        actor=by,
        action="delegation.set",
        target=assembly,
        summary=delegate.display_name,
        data={"delegate": delegate.pk, "topic": topic, "proposal": proposal.pk if proposal else None},
    )
    return delegation


@transaction.atomic
def delegation_remove(*, delegation: Delegation, by: Membership | None) -> None:
    if by is None or delegation.delegator_id != by.pk:
        raise PermissionDenied(_("Only the person who delegated can take their delegation back."))
    audit_record(
        community=delegation.assembly.community,
        actor=by,
        action="delegation.remove",
        target=delegation.assembly,
        summary=delegation.delegate.display_name,
    )
    delegation.delete()


def effective_delegations(proposal: Proposal) -> dict[int, int]:
    """delegator → delegate for this proposal: the most specific delegation wins."""
    chosen: dict[int, tuple[int, int]] = {}
    qs = Delegation.objects.filter(assembly_id=proposal.assembly_id).filter(
        proposal__isnull=True, topic__in=["", proposal.topic]
    ) | Delegation.objects.filter(proposal=proposal)
    for delegator, delegate, topic, prop in qs.values_list(
        "delegator_id", "delegate_id", "topic", "proposal_id"
    ):
        rank = 2 if prop else (1 if topic else 0)
        if delegator not in chosen or chosen[delegator][0] < rank:
            chosen[delegator] = (rank, delegate)
    return {a: d for a, (_r, d) in chosen.items()}


def resolve_weights(proposal: Proposal, voters: set[int], direct: set[int]) -> dict[int, int]:
    """Extra votes each direct voter carries for others (transitively; a direct vote overrides)."""
    graph = effective_delegations(proposal)
    extra: dict[int, int] = {}
    for member in voters - direct:
        node: int | None = member
        seen = {member}
        while node in graph:
            node = graph[node]
            if node in seen:  # cannot be created, but a vote is never counted twice or lost in a loop
                node = None
                break
            seen.add(node)
            if node in direct:
                break
        if node is not None and node in direct and node in voters:
            extra[node] = extra.get(node, 0) + 1
    return extra
