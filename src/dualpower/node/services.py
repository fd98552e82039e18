"""Writes for the node: communities and the audit log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models, transaction
from django.utils.text import slugify

from dualpower.errors import InvalidInput
from dualpower.node.models import AuditEntry, Community


def audit_record(
    *,
    community: Community | None,
    actor: Any | None,
    action: str,
    target: models.Model | None = None,
    summary: str = "",
    data: Mapping[str, Any] | None = None,
    decision_ref: str = "",
) -> AuditEntry:
    """Append one entry to the audit log. Call it inside the service's transaction."""
    return AuditEntry.objects.create(
        community=community,
        actor=actor,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:300],
        data=dict(data or {}),
        decision_ref=decision_ref,
    )


@transaction.atomic
def community_create(
    *,
    name: str,
    slug: str = "",
    description: str = "",
    languages: Sequence[str] = ("en",),
    admission: str = Community.Admission.COORDINATORS,
    trust_threshold: int = 3,
    application_questions: Sequence[str] = (),
    with_group_templates: bool = True,
) -> Community:
    """Create a community; by default with the starter working groups (housing, health...)."""
    name = name.strip()
    if not name:
        raise InvalidInput("A community needs a name.", field="name")
    slug = slugify(slug or name)[:60]
    if not slug:
        raise InvalidInput("Choose a short name made of letters or digits.", field="slug")
    if Community.objects.filter(slug=slug).exists():
        raise InvalidInput(f"A community called “{slug}” already exists on this node.", field="slug")
    community = Community.objects.create(
        name=name,
        slug=slug,
        description=description,
        languages=list(languages),
        admission=admission,
        trust_threshold=trust_threshold,
        application_questions=list(application_questions),
    )
    audit_record(community=community, actor=None, action="community.create", target=community, summary=name)
    if with_group_templates:
        from dualpower.groups.services import working_groups_from_templates

        working_groups_from_templates(community=community)
    return community


@transaction.atomic
def community_update(*, community: Community, actor_user: Any, **changes: Any) -> Community:
    """Change the community's description or policy; recorded in the audit log."""
    from dualpower.members.roles import membership_for

    if "admission" in changes and changes["admission"] not in Community.Admission.values:
        raise InvalidInput(
            f"Admission must be one of: {', '.join(Community.Admission.values)}.", field="admission"
        )
    if "name" in changes and not str(changes["name"]).strip():
        raise InvalidInput("A community needs a name.", field="name")
    for key, value in changes.items():
        setattr(community, key, value)
    community.save()
    audit_record(
        community=community,
        actor=membership_for(actor_user, community),
        action="community.update",
        target=community,
        summary=", ".join(sorted(changes)),
        data={k: v for k, v in changes.items()},
    )
    return community
