"""Private helpers the aid services share: the offer index's generation, a request's news, and
the checks on a category and on who may see a listing."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.aid.models import AidRequest, AidSettings, Privacy
from dualpower.aid.selectors import categories_for
from dualpower.community.models import Community
from dualpower.errors import InvalidInput


def matching_changed(community: Community) -> None:
    """Tell the prepared offer index that offers, capacities or distances changed. Call inside the
    changing transaction, so a rollback leaves the generation as it was."""
    if not AidSettings.objects.filter(community=community).update(generation=F("generation") + 1):
        AidSettings.objects.get_or_create(community=community, defaults={"generation": 1})


def check_category(community: Community, key: object, *, field: str = "category") -> str:
    key = str(key or "").strip()
    if key not in dict(categories_for(community)):
        raise InvalidInput(_("Choose one of the community's categories."), field=field)
    return key


def privacy(value: object) -> str:
    value = value or Privacy.MEMBERS
    if value not in Privacy.values:
        raise InvalidInput(
            _("Say who can see it: all members, volunteers of this category, or dispatchers only."),
            field="privacy",
        )
    return str(value)


def touch(request: AidRequest, *, now: datetime | None = None) -> None:
    """Record news on a request: it is not stale any more."""
    request.updated_at = now or timezone.now()
    request.stale_since = None
