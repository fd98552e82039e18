"""A circle drawing on the community: a pantry delivery (inventory), time-bank hours to a helper
(ledger, when the community runs a time bank), an aid request for what the circle cannot cover.

Each goes through the other app's own service, so its invariants hold (never more out of the pantry
than is in it, never beyond an account's limits); the circle's audit entry is written in the same
transaction, so both happen or neither.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.aid import services as aid
from dualpower.aid.models import AidRequest
from dualpower.care.models.circles import Circle, Need
from dualpower.care.services.circles import _locked, _log
from dualpower.clean import clean_int
from dualpower.errors import Conflict, InvalidInput
from dualpower.inventory import services as inventory
from dualpower.inventory.models import Item, Movement
from dualpower.ledger import selectors as ledger_selectors
from dualpower.ledger import services as ledger
from dualpower.ledger.models import Currency, Transfer
from dualpower.members.models import Membership

MAX_MINUTES = 24 * 60


@transaction.atomic
def circle_pantry_delivery(*, circle: Circle, by: Membership, item: Item, quantity: int | str) -> Movement:
    """Take ``quantity`` of a pantry item out for the circle (a helper then delivers it)."""
    locked = _locked(circle)
    if item.community_id != locked.community_id:
        raise InvalidInput(_("That item is not in this community's pantry."), field="item")
    movement = inventory.stock_out(
        item=item,
        quantity=clean_int(quantity, field="quantity", label=_("How many"), low=1, high=10_000),
        by=by,
        reason=_("Care circle %(number)s") % {"number": locked.pk},
    )
    _log(locked, by, "care.circle.pantry")
    return movement


def time_bank_of(*, circle: Circle) -> Currency | None:
    """The community's time bank in use, if it runs one (the first by name)."""
    return (
        ledger_selectors.currencies_of(community=circle.community, include_inactive=False)
        .filter(kind=Currency.Kind.TIME_BANK)
        .first()
    )


@transaction.atomic
def circle_hours_credit(*, need: Need, by: Membership, minutes: int | str) -> Transfer:
    """Thank the helper who met ``need`` with time-bank hours from the account of whoever runs the
    circle (as a time bank works: the one helped gives hours). Once per need."""
    locked = _locked(need.circle)
    fresh = Need.objects.filter(pk=need.pk, circle=locked).select_related("taken_by__membership").first()
    if fresh is None or fresh.done_at is None or fresh.taken_by is None:
        raise Conflict(_("Hours are given for a need a helper of the circle has met."))
    currency = time_bank_of(circle=locked)
    if currency is None:
        raise Conflict(_("This community runs no time bank."))
    if fresh.taken_by.membership_id == by.pk:
        raise InvalidInput(_("You cannot give hours to yourself."), field="minutes")
    amount = clean_int(minutes, field="minutes", label=_("Minutes"), low=1, high=MAX_MINUTES)
    posted = ledger.transfer_make(
        debit=ledger.member_account(currency=currency, membership=by),
        credit=ledger.member_account(currency=currency, membership=fresh.taken_by.membership),
        amount=amount,
        description=_("Thank you for your help (care circle)"),
        idempotency_key=f"care-need-{fresh.pk}",
        by=by,
    )
    if posted.replayed:
        raise Conflict(_("Hours were given for this need already."))
    _log(locked, by, "care.circle.hours")
    return posted.transfer


@transaction.atomic
def circle_aid_request(
    *, circle: Circle, by: Membership, category: str, description: str, neighbourhood: str
) -> AidRequest:
    """Ask the mutual aid network for what the circle cannot cover. The request is the asker's (it
    names no one of the circle); its private details, if any, are given on the aid pages."""
    locked = _locked(circle)
    request = aid.request_create(
        community=locked.community,
        requester=by,
        category=category,
        description=description,
        neighbourhood=neighbourhood,
    )
    _log(locked, by, "care.circle.aid")
    return request
