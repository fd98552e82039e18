"""A world with delegates: a general assembly, a working group's assembly, a spokescouncil
(built with the assemblies and groups factories)."""

from __future__ import annotations

from dataclasses import dataclass

from dualpower.assemblies.models import Assembly, Proposal
from dualpower.assemblies.services import general_assembly_for
from dualpower.assemblies.tests.factories import AssemblyFactory, ProposalFactory
from dualpower.community.models import Community
from dualpower.groups.models import WorkingGroup
from dualpower.groups.tests.factories import GroupMembershipFactory
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership


@dataclass
class World:
    community: Community
    general: Assembly
    housing: Assembly  # the housing working group's assembly
    council: Assembly  # the spokescouncil
    coordinator: Membership
    member: Membership
    ana: Membership  # in the housing group
    ben: Membership  # in the housing group
    cai: Membership  # not in any group


def build_world(community: Community) -> World:
    general = general_assembly_for(community)
    group = WorkingGroup.objects.get(community=community, slug="housing")
    housing = AssemblyFactory.create(
        community=community, name="Housing group", kind=Assembly.Kind.WORKING_GROUP, working_group=group
    )
    council = AssemblyFactory.create(
        community=community,
        name="Spokescouncil",
        kind=Assembly.Kind.SPOKESCOUNCIL,
        policy={"default_process": "majority", "results_hidden_until_close": False},
    )
    ana = make_membership(community, name="Ana")
    ben = make_membership(community, name="Ben")
    cai = make_membership(community, name="Cai")
    for person in (ana, ben):
        GroupMembershipFactory.create(group=group, membership=person)
    return World(
        community=community,
        general=general,
        housing=housing,
        council=council,
        coordinator=Membership.objects.filter(community=community, role="coordinator").first(),  # type: ignore[arg-type]
        member=Membership.objects.filter(community=community, role="member", display_name="Mara").first(),  # type: ignore[arg-type]
        ana=ana,
        ben=ben,
        cai=cai,
    )


def council_proposal(world: World, by: Membership, *, title: str = "Share the tool library") -> Proposal:
    return ProposalFactory.create(assembly=world.council, by=by, title=title, process="majority")
