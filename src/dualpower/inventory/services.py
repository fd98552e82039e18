"""Every write about the shared inventory: items, and stock in, out and counted.

The stock never goes below zero: a stock-out is applied by one conditional UPDATE ("take 5 if at
least 5 are there"), so two people taking the last boxes at once cannot both have them; the other
is told how many are left. When the stock falls to an item's low level its stock keepers are
told once; they are told again only after it has been above that level in between.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict, Unpack

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower import formatting
from dualpower.activities.selectors import organiser_ids
from dualpower.aid.models import AidRequest
from dualpower.aid.selectors import dispatcher_ids
from dualpower.clean import clean_date, clean_int, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record, changes_save
from dualpower.errors import Conflict, InvalidInput
from dualpower.inventory.models import Item, Lot, Movement
from dualpower.members.models import Membership
from dualpower.members.selectors import members_of
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text

NAME_MAX = 120
UNIT_MAX = 30
LOCATION_MAX = 120
REASON_MAX = 200
LOT_MAX = 40
WARNING_DAYS_MAX = 365
# Far more than any pantry holds; keeps sums within a 32-bit integer on every database.
QUANTITY_MAX = 1_000_000


def _quantity(value: object) -> int:
    return clean_int(value, field="quantity", label=_("The quantity"), low=1, high=QUANTITY_MAX)


def _warning_days(value: object) -> int:
    return clean_int(
        value,
        field="expiry_warning_days",
        label=_("The days of warning before a lot expires"),
        low=0,
        high=WARNING_DAYS_MAX,
    )


def _threshold(value: object) -> int:
    return clean_int(value, field="low_threshold", label=_("The low-stock level"), low=0, high=QUANTITY_MAX)


def item_url(item: Item) -> str:
    return f"/c/{item.community.slug}/inventory/{item.pk}/"


def stock_keepers(community: Community) -> list[Membership]:
    """Who looks after the stock and hears about low stock: coordinators, organisers of the
    community's activities, and the aid network's dispatchers (active, not observers)."""
    admitted = members_of(community=community).exclude(role=Membership.Role.OBSERVER)
    ids = set(admitted.filter(role=Membership.Role.COORDINATOR).values_list("pk", flat=True))
    ids |= organiser_ids(community=community)
    ids |= dispatcher_ids(community=community)
    return list(admitted.filter(pk__in=ids))


@transaction.atomic
def item_create(
    *,
    community: Community,
    by: Membership | None,
    name: str,
    unit: str,
    low_threshold: int = 0,
    location: str = "",
    expiry_warning_days: int = 30,
) -> Item:
    name = clean_text(name, field="name", label=_("An item's name"), limit=NAME_MAX, required=True)
    unit = clean_text(
        unit, field="unit", label=_("The unit (boxes, kg, kits...)"), limit=UNIT_MAX, required=True
    )
    location = clean_text(location, field="location", label=_("The place"), limit=LOCATION_MAX)
    threshold = _threshold(low_threshold)
    warning = _warning_days(expiry_warning_days)
    if Item.objects.filter(community=community, name__iexact=name).exists():
        raise Conflict(_("The inventory already has an item called “%(name)s”.") % {"name": name})
    item = Item.objects.create(
        community=community,
        name=name,
        unit=unit,
        low_threshold=threshold,
        location=location,
        expiry_warning_days=warning,
    )
    audit_record(community=community, actor=by, action="inventory.item_create", target=item, summary=name)
    return item


class ItemChanges(TypedDict, total=False):
    """What ``item_update`` may change."""

    name: str
    unit: str
    low_threshold: int
    location: str
    expiry_warning_days: int


@transaction.atomic
def item_update(*, item: Item, by: Membership | None, **changes: Unpack[ItemChanges]) -> Item:
    unknown = set(changes) - {"name", "unit", "low_threshold", "location", "expiry_warning_days"}
    if unknown:
        raise InvalidInput(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "name" in changes:
        changes["name"] = clean_text(
            changes["name"], field="name", label=_("An item's name"), limit=NAME_MAX, required=True
        )
        taken = Item.objects.filter(community=item.community, name__iexact=changes["name"]).exclude(
            pk=item.pk
        )
        if taken.exists():
            raise Conflict(
                _("The inventory already has an item called “%(name)s”.") % {"name": changes["name"]}
            )
    if "unit" in changes:
        changes["unit"] = clean_text(
            changes["unit"],
            field="unit",
            label=_("The unit (boxes, kg, kits...)"),
            limit=UNIT_MAX,
            required=True,
        )
    if "location" in changes:
        changes["location"] = clean_text(
            changes["location"], field="location", label=_("The place"), limit=LOCATION_MAX
        )
    if "low_threshold" in changes:
        changes["low_threshold"] = _threshold(changes["low_threshold"])
    if "expiry_warning_days" in changes:
        changes["expiry_warning_days"] = _warning_days(changes["expiry_warning_days"])
    item = Item.objects.select_for_update().get(pk=item.pk)
    changed = changes_save(
        target=item,
        changes=changes,
        community=item.community,
        actor=by,
        action="inventory.item_update",
        summary=str(changes.get("name", item.name)),
    )
    if not changed:
        return item
    if "low_threshold" in changed:
        _watch_low(item, now=timezone.now())
    return item


def _watch_low(item: Item, *, now: dt.datetime) -> None:
    """Tell the stock keepers once when the stock falls to the low level. The conditional UPDATE
    claims the alert, so simultaneous stock-outs send it once."""
    item.refresh_from_db(fields=["stock", "low_since", "low_threshold"])
    if item.stock <= item.low_threshold:
        if Item.objects.filter(pk=item.pk, low_since=None).update(low_since=now):
            notification_send(
                recipients=stock_keepers(item.community),
                community=item.community,
                kind="inventory.low_stock",
                title=notice_text(
                    gettext_lazy("Low stock: %(name)s (%(stock)d %(unit)s left)"),
                    name=item.name,
                    stock=item.stock,
                    unit=item.unit,
                ),
                body=gettext_lazy("The stock has fallen to its low level."),
                url=item_url(item),
            )
    else:
        Item.objects.filter(pk=item.pk, low_since__isnull=False).update(low_since=None)


def _record(
    item: Item,
    *,
    kind: str,
    change: int,
    reason: str,
    by: Membership | None,
    aid_request: AidRequest | None = None,
    lot: Lot | None = None,
    now: dt.datetime,
) -> Movement:
    item.refresh_from_db(fields=["stock"])
    extra: dict[str, object] = {"aid_request": aid_request} if aid_request is not None else {}
    if lot is not None:
        extra["lot"] = lot
    movement = Movement.objects.create(
        item=item, kind=kind, quantity=change, stock_after=item.stock, reason=reason, by=by, **extra
    )
    data: dict[str, object] = {"change": change, "stock_after": item.stock, "reason": reason}
    if lot is not None:
        data["lot"] = lot.code
    audit_record(
        community=item.community,
        actor=by,
        action=f"inventory.stock_{kind}",
        target=item,
        summary=f"{change:+d} {item.unit}",
        data=data,
    )
    _watch_low(item, now=now)
    return movement


def _lot_code(value: object) -> str:
    return clean_text(value, field="lot", label=_("The lot number"), limit=LOT_MAX)


def _kept_by_lot(item: Item) -> bool:
    """An item is kept by lot once some of its stock came in with a lot number."""
    return Lot.objects.filter(item=item, remaining__gt=0).exists()


def _check_lot(item: Item, lot: Lot) -> None:
    if lot.item_id != item.pk:
        raise InvalidInput(_("That lot is not one of this item's."), field="lot")


def _expired_sentence(item: Item, lot: Lot) -> str:
    assert lot.expires_on is not None
    return _("Lot %(lot)s of %(name)s expired on %(date)s: it cannot be given out.") % {
        "lot": lot.code,
        "name": item.name,
        "date": formatting.format_date(lot.expires_on),
    }


@transaction.atomic
def stock_in(
    *,
    item: Item,
    quantity: int,
    by: Membership | None,
    reason: str = "",
    lot: str = "",
    expires_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Movement:
    """Goods arrive: a delivery, a donation, a food bank pick-up. Medicines and tests come in with
    their lot number and expiry date (``lot``, ``expires_on``); a lot already past its date is
    refused, and a lot number seen before must carry the same date."""
    now = now or timezone.now()
    amount = _quantity(quantity)
    reason = clean_text(reason, field="reason", label=_("The reason"), limit=REASON_MAX)
    code = _lot_code(lot)
    batch: Lot | None = None
    if expires_on is not None and not code:
        raise InvalidInput(_("Give the lot number the expiry date belongs to."), field="lot")
    if code:
        if expires_on is not None:
            expires_on = clean_date(expires_on, field="expires_on", label=_("The expiry date"))
            if expires_on < timezone.localdate(now):
                raise InvalidInput(
                    _("This lot expired on %(date)s: it cannot come in.")
                    % {"date": formatting.format_date(expires_on)},
                    field="expires_on",
                )
        batch, made = Lot.objects.get_or_create(item=item, code=code, defaults={"expires_on": expires_on})
        if not made and batch.expires_on != expires_on:
            raise Conflict(
                _("Lot %(lot)s is already recorded with another expiry date.") % {"lot": code},
                field="expires_on",
            )
        Lot.objects.filter(pk=batch.pk).update(remaining=F("remaining") + amount)
    Item.objects.filter(pk=item.pk).update(stock=F("stock") + amount)
    return _record(item, kind=Movement.Kind.IN, change=amount, reason=reason, by=by, lot=batch, now=now)


@transaction.atomic
def stock_out(
    *,
    item: Item,
    quantity: int,
    by: Membership | None,
    reason: str = "",
    aid_request: AidRequest | None = None,
    lot: Lot | None = None,
    now: dt.datetime | None = None,
) -> Movement:
    """Goods go out, possibly to meet a mutual aid request. Never more than is in stock; for goods
    kept by lot, from a named lot, never one past its expiry date (refused, nothing written)."""
    now = now or timezone.now()
    amount = _quantity(quantity)
    reason = clean_text(reason, field="reason", label=_("The reason"), limit=REASON_MAX)
    if aid_request is not None and aid_request.community_id != item.community_id:
        raise InvalidInput(_("That request is not one of this community's."), field="aid_request")
    if lot is None and _kept_by_lot(item):
        raise InvalidInput(
            _("%(name)s is kept by lot: choose the lot it comes from.") % {"name": item.name}, field="lot"
        )
    if lot is not None:
        _check_lot(item, lot)
        today = timezone.localdate(now)
        # One conditional UPDATE: the lot is neither expired nor short, or nothing moves.
        usable = Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        if not Lot.objects.filter(usable, pk=lot.pk, remaining__gte=amount).update(
            remaining=F("remaining") - amount
        ):
            lot.refresh_from_db(fields=["remaining", "expires_on"])
            if lot.is_expired(today):
                raise Conflict(_expired_sentence(item, lot), field="lot")
            raise Conflict(
                _("Only %(left)d %(unit)s are left in lot %(lot)s: %(asked)d cannot go out.")
                % {"left": lot.remaining, "unit": item.unit, "lot": lot.code, "asked": amount},
                field="quantity",
            )
    taken = Item.objects.filter(pk=item.pk, stock__gte=amount).update(stock=F("stock") - amount)
    if not taken:
        item.refresh_from_db(fields=["stock"])
        raise Conflict(
            _("Only %(stock)d %(unit)s of %(name)s are in stock: %(asked)d cannot go out.")
            % {"stock": item.stock, "unit": item.unit, "name": item.name, "asked": amount}
        )
    return _record(
        item,
        kind=Movement.Kind.OUT,
        change=-amount,
        reason=reason,
        by=by,
        aid_request=aid_request,
        lot=lot,
        now=now,
    )


@transaction.atomic
def lot_discard(
    *, lot: Lot, by: Membership | None, reason: str = "", now: dt.datetime | None = None
) -> Movement:
    """Take what is left of a lot off the shelf (expired, recalled, spoiled): the only way an
    expired lot leaves the stock."""
    now = now or timezone.now()
    reason = clean_text(reason, field="reason", label=_("The reason"), limit=REASON_MAX) or _("discarded")
    lot = Lot.objects.select_for_update().select_related("item", "item__community").get(pk=lot.pk)
    item = lot.item
    if lot.remaining <= 0:
        raise Conflict(_("Nothing is left of lot %(lot)s.") % {"lot": lot.code})
    amount = lot.remaining
    Lot.objects.filter(pk=lot.pk).update(remaining=0)
    if not Item.objects.filter(pk=item.pk, stock__gte=amount).update(stock=F("stock") - amount):
        raise Conflict(_("The stock changed while you were counting; look at it again and count."))
    return _record(item, kind=Movement.Kind.OUT, change=-amount, reason=reason, by=by, lot=lot, now=now)


@transaction.atomic
def stock_count(
    *, item: Item, counted: int, by: Membership | None, reason: str = "", lot: Lot | None = None
) -> Movement:
    """A stocktake: set the stock to what was counted on the shelf; the difference is recorded.
    Goods kept by lot are counted lot by lot."""
    counted = clean_int(counted, field="counted", label=_("The count"), low=0, high=QUANTITY_MAX)
    reason = clean_text(
        reason,
        field="reason",
        label=_("Why the count differs (spoiled, miscounted...)"),
        limit=REASON_MAX,
        required=True,
    )
    if lot is None and _kept_by_lot(item):
        raise InvalidInput(_("%(name)s is kept by lot: count each lot.") % {"name": item.name}, field="lot")
    if lot is not None:
        _check_lot(item, lot)
        lot.refresh_from_db(fields=["remaining"])
        before = lot.remaining
        if counted == before:
            raise InvalidInput(_("The count matches the stock: nothing to change."), field="counted")
        if not Lot.objects.filter(pk=lot.pk, remaining=before).update(remaining=counted):
            raise Conflict(_("The stock changed while you were counting; look at it again and count."))
        change = counted - before
        if not Item.objects.filter(pk=item.pk, stock__gte=-change).update(stock=F("stock") + change):
            raise Conflict(_("The stock changed while you were counting; look at it again and count."))
        return _record(
            item, kind=Movement.Kind.ADJUST, change=change, reason=reason, by=by, lot=lot, now=timezone.now()
        )
    item.refresh_from_db(fields=["stock"])
    before = item.stock
    if counted == before:
        raise InvalidInput(_("The count matches the stock: nothing to change."), field="counted")
    # Applied only if nobody moved stock since it was read: otherwise the count is stale.
    if not Item.objects.filter(pk=item.pk, stock=before).update(stock=counted):
        raise Conflict(_("The stock changed while you were counting; look at it again and count."))
    return _record(
        item, kind=Movement.Kind.ADJUST, change=counted - before, reason=reason, by=by, now=timezone.now()
    )


def warn_expiring(now: dt.datetime) -> int:
    """The clock job: tell the stock keepers once about each lot still on the shelf that expires
    within its item's warning days (or has expired). Idempotent: a lot told about is marked."""
    today = timezone.localdate(now)
    horizon = today + dt.timedelta(days=WARNING_DAYS_MAX)
    candidates = (
        Lot.objects.filter(remaining__gt=0, warned_at__isnull=True, expires_on__lte=horizon)
        .select_related("item", "item__community")
        .order_by("expires_on", "id")
    )
    due = [
        lot
        for lot in candidates[:2000]
        if lot.expires_on is not None
        and lot.expires_on <= today + dt.timedelta(days=lot.item.expiry_warning_days)
    ]
    told = 0
    for lot in due:
        with transaction.atomic():
            if not Lot.objects.filter(pk=lot.pk, warned_at__isnull=True).update(warned_at=now):
                continue
            item = lot.item
            assert lot.expires_on is not None
            notification_send(
                recipients=stock_keepers(item.community),
                community=item.community,
                kind="inventory.expiry",
                title=notice_text(
                    gettext_lazy("%(name)s, lot %(lot)s, expires on %(date)s (%(left)d %(unit)s left)"),
                    name=item.name,
                    lot=lot.code,
                    date=lot.expires_on,
                    left=lot.remaining,
                    unit=item.unit,
                ),
                body=gettext_lazy("Give it out before that date, or take it off the shelf when it expires."),
                url=item_url(item),
            )
            told += 1
    return told
