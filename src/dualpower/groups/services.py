"""Every write about working groups."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.groups.models import WorkingGroup
from dualpower.node.models import Community

# The starter groups a new community gets; it may rename or delete them.
TEMPLATES: tuple[tuple[str, str, str], ...] = (
    ("housing", "Housing", "Tenants organising, repairs, eviction defence and the community land trust."),
    ("health", "Health", "Physical and mental health: care networks, clinics, peer support."),
    ("food", "Food", "Food distribution, community gardens, the pantry and shared kitchens."),
    ("education", "Education", "Study groups, skill shares, political education and tutoring."),
    ("community-defence", "Community defence", "Safety accompaniment, rapid response and de-escalation."),
)


@transaction.atomic
def working_groups_from_templates(*, community: Community) -> list[WorkingGroup]:
    from dualpower.node.services import audit_record

    created = []
    for slug, name, purpose in TEMPLATES:
        group, made = WorkingGroup.objects.get_or_create(
            community=community, slug=slug, defaults={"name": _(name), "purpose": _(purpose), "template": slug}
        )
        if made:
            audit_record(community=community, actor=None, action="group.create", target=group, summary=group.name)
            created.append(group)
    return created
