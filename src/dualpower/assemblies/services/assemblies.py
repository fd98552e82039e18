"""Writes for assemblies themselves: a deciding body and its policy."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dualpower.assemblies import names, processes
from dualpower.assemblies.models import Assembly, Policy
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import InvalidInput
from dualpower.groups.models import WorkingGroup
from dualpower.members.models import Membership


class AssemblyPolicy(TypedDict, total=False):
    """The settings of an assembly's ``Policy`` that ``assembly_create`` may set (the rest keep
    their defaults)."""

    default_process: str
    quorum: Decimal
    supermajority: Decimal
    discussion_days: int
    voting_days: int
    secret_ballots: bool
    results_hidden_until_close: bool
    who_may_propose: str
    liquid_delegation: bool
    early_close: bool


@transaction.atomic
def assembly_create(
    *,
    community: Community,
    name: str,
    kind: str = Assembly.Kind.GENERAL,
    slug: str = "",
    description: str = "",
    working_group: WorkingGroup | None = None,
    actor: Membership | None = None,
    policy: AssemblyPolicy | None = None,
) -> Assembly:
    """Create a deciding body with its policy (defaults unless ``policy`` gives fields)."""
    name = name.strip()
    if not name:
        raise InvalidInput(_("An assembly needs a name."), field="name")
    if kind not in Assembly.Kind.values:
        raise InvalidInput(_("Unknown kind of assembly."), field="kind")
    if (kind == Assembly.Kind.WORKING_GROUP) != (working_group is not None):
        raise InvalidInput(_("A working group's assembly must name its group."), field="working_group")
    if working_group is not None and working_group.community_id != community.pk:
        raise InvalidInput(_("That working group belongs to another community."), field="working_group")
    slug = slugify(slug or name)[:60]
    if not slug:
        raise InvalidInput(_("Choose a short name made of letters or digits."), field="slug")
    if Assembly.objects.filter(community=community, slug=slug).exists():
        raise InvalidInput(_("An assembly with that short name already exists."), field="slug")
    assembly = Assembly.objects.create(
        community=community,
        name=name,
        slug=slug,
        kind=kind,
        description=description,
        working_group=working_group,
    )
    known = {f.name for f in Policy._meta.get_fields()} - {"id", "assembly", "updated_at"}
    unknown = set(policy or {}) - known
    if unknown:
        raise InvalidInput(
            _("Unknown policy setting: %(s)s.") % {"s": ", ".join(sorted(unknown))}, field="policy"
        )
    if policy and "default_process" in policy:
        processes.get(policy["default_process"])
    Policy.objects.create(assembly=assembly, **(policy or {}))
    audit_record(community=community, actor=actor, action="assembly.create", target=assembly, summary=name)
    return assembly


@transaction.atomic
def general_assembly_for(community: Community) -> Assembly:
    """The general assembly of all members, created on first use."""
    found = Assembly.objects.filter(community=community, kind=Assembly.Kind.GENERAL).order_by("id").first()
    if found is not None:
        return found
    return assembly_create(
        community=community, name=names.general_assembly_name(), slug="general", kind=Assembly.Kind.GENERAL
    )
