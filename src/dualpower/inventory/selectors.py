"""Reads about the shared inventory."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from dualpower.aid.models import CLOSED_STATUSES, AidRequest
from dualpower.aid.selectors import request_by_code, requests_visible
from dualpower.community.models import Community
from dualpower.errors import InvalidInput, NotFound
from dualpower.inventory.models import Item, Lot, Movement
from dualpower.members.models import Membership


def items_of(*, community: Community) -> QuerySet[Item]:
    return Item.objects.filter(community=community)


def low_items(*, community: Community) -> QuerySet[Item]:
    return items_of(community=community).filter(stock__lte=F("low_threshold"))


def item_get(*, community: Community, pk: int) -> Item:
    item = items_of(community=community).filter(pk=pk).select_related("community").first()
    if item is None:
        raise NotFound(
            _("The inventory of %(community)s has no item %(id)s.") % {"community": community.name, "id": pk}
        )
    return item


def movements_of(*, item: Item) -> QuerySet[Movement]:
    return Movement.objects.filter(item=item).select_related("by", "aid_request", "lot")


def lots_of(*, item: Item) -> QuerySet[Lot]:
    """The item's lots still on the shelf, the soonest to expire first."""
    return Lot.objects.filter(item=item, remaining__gt=0)


def lot_get(*, item: Item, code: str | None) -> Lot | None:
    """The lot of ``item`` with this number; None when no number is given."""
    if not code:
        return None
    found = Lot.objects.filter(item=item, code=code.strip()).first()
    if found is None:
        raise InvalidInput(
            _("%(name)s has no lot “%(code)s”.") % {"name": item.name, "code": code}, field="lot"
        )
    return found


def expiring_lots(*, community: Community, until: dt.date) -> QuerySet[Lot]:
    """Lots still on the shelf that expire on or before ``until`` (expired ones included), with
    their item, the soonest first: the supplies a health group checks before a clinic day."""
    return (
        Lot.objects.filter(item__community=community, remaining__gt=0, expires_on__lte=until)
        .select_related("item")
        .order_by("expires_on", "id")
    )


def lots_in(*, community: Community, item_ids: list[int] | None = None) -> QuerySet[Lot]:
    """Every lot still on the shelf in ``community`` (of the given items), with its item."""
    qs = Lot.objects.filter(item__community=community, remaining__gt=0).select_related("item")
    if item_ids is not None:
        qs = qs.filter(item_id__in=item_ids)
    return qs


def aid_request_by_code(*, community: Community, code: str | None) -> AidRequest | None:
    """The aid request a stock-out serves, named by its code; None when no code is given."""
    if not code:
        return None
    found = request_by_code(community=community, code=code)
    if found is None:
        raise InvalidInput(
            _("No aid request here has the code “%(code)s”.") % {"code": code}, field="aid_request"
        )
    return found


def aid_requests_to_serve(
    *, community: Community, membership: Membership | None, limit: int = 200
) -> list[AidRequest]:
    """The requests not yet closed that ``membership`` may see, for the stock-out form's picker (a
    code with what is needed, so a stock keeper picks a request instead of typing its code)."""
    qs = requests_visible(community=community, membership=membership).exclude(status__in=CLOSED_STATUSES)
    return list(qs.only("code", "description", "category", "urgency", "created_at")[:limit])
