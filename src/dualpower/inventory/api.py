"""API for the shared inventory: parse → check rule → call service → schema."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from dualpower.api_tools import AUTH_OPTIONAL, paginate
from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.errors import InvalidInput
from dualpower.inventory import selectors, services
from dualpower.inventory.models import Item, Movement
from dualpower.inventory.schemas import ItemIn, ItemOut, ItemPatch, LotOut, MovementIn, MovementOut
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check

router = Router(tags=["inventory"])

ITEMS = "/communities/{slug}/inventory"
ITEM = ITEMS + "/{item_id}"


def _community(request: HttpRequest, slug: str) -> Community:
    community = community_get(slug=slug)
    check(request, "inventory.view_inventory", community)
    return community


def _item(request: HttpRequest, slug: str, item_id: int, perm: str) -> Item:
    community = _community(request, slug)
    check(request, perm, community)
    return selectors.item_get(community=community, pk=item_id)


@router.get(ITEMS, response=list[ItemOut], auth=AUTH_OPTIONAL)
@paginate
def item_list(request: HttpRequest, slug: str) -> Any:
    return selectors.items_of(community=_community(request, slug))


@router.post(ITEMS, response={201: ItemOut})
def item_create(request: HttpRequest, slug: str, payload: ItemIn) -> Status[Item]:
    community = _community(request, slug)
    check(request, "inventory.add_item", community)
    item = services.item_create(
        community=community, by=membership_for(request.user, community), **payload.dict()
    )
    return Status(201, item)


@router.get(ITEM, response=ItemOut, auth=AUTH_OPTIONAL)
def item_detail(request: HttpRequest, slug: str, item_id: int) -> Item:
    return _item(request, slug, item_id, "inventory.view_inventory")


@router.patch(ITEM, response=ItemOut)
def item_update(request: HttpRequest, slug: str, item_id: int, payload: ItemPatch) -> Item:
    item = _item(request, slug, item_id, "inventory.change_item")
    services.item_update(
        item=item, by=membership_for(request.user, item.community), **payload.dict(exclude_unset=True)
    )
    return selectors.item_get(community=item.community, pk=item.pk)


@router.get(ITEM + "/lots", response=list[LotOut], auth=AUTH_OPTIONAL)
@paginate
def lot_list(request: HttpRequest, slug: str, item_id: int) -> Any:
    """The item's lots still on the shelf, the soonest to expire first."""
    item = _item(request, slug, item_id, "inventory.view_inventory")
    lots: Any = selectors.lots_of(item=item)
    return lots


@router.get(ITEM + "/movements", response=list[MovementOut])
@paginate
def movement_list(request: HttpRequest, slug: str, item_id: int) -> Any:
    # Which request stock went to is for those who keep it.
    item = _item(request, slug, item_id, "inventory.move_stock")
    return selectors.movements_of(item=item)


@router.post(ITEM + "/movements", response={201: MovementOut})
def movement_create(request: HttpRequest, slug: str, item_id: int, payload: MovementIn) -> Status[Movement]:
    item = _item(request, slug, item_id, "inventory.move_stock")
    by = membership_for(request.user, item.community)
    if payload.kind == "count":
        if payload.counted is None:
            raise InvalidInput(_("Give the count: what is on the shelf."), field="counted")
        movement = services.stock_count(
            item=item,
            counted=payload.counted,
            by=by,
            reason=payload.reason,
            lot=selectors.lot_get(item=item, code=payload.lot),
        )
    else:
        if payload.quantity is None:
            raise InvalidInput(_("Give the quantity."), field="quantity")
        if payload.kind == "in":
            if payload.aid_request:
                raise InvalidInput(_("Only stock going out serves a request."), field="aid_request")
            movement = services.stock_in(
                item=item,
                quantity=payload.quantity,
                by=by,
                reason=payload.reason,
                lot=payload.lot,
                expires_on=payload.expires_on,
            )
        else:
            request_served = selectors.aid_request_by_code(community=item.community, code=payload.aid_request)
            if payload.expires_on is not None:
                raise InvalidInput(_("Only a lot coming in is given an expiry date."), field="expires_on")
            movement = services.stock_out(
                item=item,
                quantity=payload.quantity,
                by=by,
                reason=payload.reason,
                aid_request=request_served,
                lot=selectors.lot_get(item=item, code=payload.lot),
            )
    return Status(201, selectors.movements_of(item=item).get(pk=movement.pk))
