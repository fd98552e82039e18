"""The community's care settings: the retention of closed circles and the health working group."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.care.models.circles import CareSettings
from dualpower.clean import clean_int
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import InvalidInput
from dualpower.groups.selectors import groups_of
from dualpower.members.models import Membership

RETENTION_MAX = 3650


@transaction.atomic
def care_settings_update(
    *, community: Community, by: Membership | None, retention_days: int | str, health_group: int | None = None
) -> CareSettings:
    days = clean_int(retention_days, field="retention_days", label=_("Days"), low=0, high=RETENTION_MAX)
    group = None
    if health_group is not None:
        group = groups_of(community=community).filter(pk=health_group).first()
        if group is None:
            raise InvalidInput(_("Choose one of the community's working groups."), field="health_group")
    settings, _created = CareSettings.objects.select_for_update().get_or_create(community=community)
    settings.retention_days = days
    settings.health_group = group
    settings.save(update_fields=["retention_days", "health_group"])
    audit_record(community=community, actor=by, action="care.settings", target=settings)
    return settings
