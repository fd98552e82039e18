"""Build assemblies, proposals and voters for tests (factory_boy)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from dualpower.assemblies import services
from dualpower.assemblies.models import Assembly, Proposal
from dualpower.community.models import Community
from dualpower.members.models import Membership
from dualpower.members.tests.factories import CommunityFactory, MembershipFactory, make_membership


def general(community: Community, **policy: Any) -> Assembly:
    assembly = services.general_assembly_for(community)
    if policy:
        for key, value in policy.items():
            setattr(assembly.policy, key, value)
        assembly.policy.save()
    return assembly


class AssemblyFactory(DjangoModelFactory[Assembly]):
    """An assembly (of kind general unless ``kind`` says otherwise) made by ``assembly_create``."""

    class Meta:
        model = Assembly

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"Assembly {n}")

    @classmethod
    def _create(cls, model_class: type[Assembly], *args: Any, **kwargs: Any) -> Assembly:
        return services.assembly_create(**kwargs)


class ProposalFactory(DjangoModelFactory[Proposal]):
    """A proposal put forward through ``proposal_create`` by ``by`` (a new member of the assembly's
    community unless given), in the community's general assembly unless ``assembly`` is given.
    With ``open=True`` it is opened for votes at once (when the assembly's policy asks for a
    discussion first)."""

    class Meta:
        model = Proposal

    class Params:
        community = None
        open = False

    assembly = factory.LazyAttribute(lambda o: general(o.community or CommunityFactory.create()))
    by = factory.LazyAttribute(lambda o: MembershipFactory.create(community=o.assembly.community))
    title = "Open a tool library"
    now = None

    @classmethod
    def _create(cls, model_class: type[Proposal], *args: Any, **kwargs: Any) -> Proposal:
        opened = kwargs.pop("opened")
        proposal = services.proposal_create(**kwargs)
        if opened and proposal.state == Proposal.State.DISCUSSION:
            services.proposal_open_voting(proposal=proposal, by=kwargs["by"], now=kwargs["now"])
        proposal.refresh_from_db()
        return proposal

    opened = factory.SelfAttribute("open")


def open_proposal(
    assembly: Assembly,
    author: Membership,
    *,
    title: str = "Open a tool library",
    now: datetime | None = None,
    **kwargs: Any,
) -> Proposal:
    """A proposal already open for votes (the old name, a thin wrapper over ProposalFactory)."""
    return ProposalFactory.create(assembly=assembly, by=author, title=title, now=now, open=True, **kwargs)


def voters(community: Community, n: int, *, prefix: str = "Voter") -> list[Membership]:
    return [make_membership(community, name=f"{prefix} {i}") for i in range(n)]


def after_close(proposal: Proposal) -> datetime:
    assert proposal.voting_closes_at is not None
    return proposal.voting_closes_at + timedelta(minutes=1)


def later(days: int = 0, **kw: Any) -> datetime:
    return timezone.now() + timedelta(days=days, **kw)
