"""The seed library: seed lots put in it, loans to gardeners, seed they save and bring back, and
the reminder to bring it back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.clean import clean_date, clean_int_or_none, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.food.models.growing import Crop, SeedLoan, SeedLot, Unit
from dualpower.food.services.growing_checks import NAME_MAX, checked_member_or_none, quantity_of, unit_of
from dualpower.formatting import format_number
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text

LOAN_DAYS = 182  # seed lent without a day to bring it back is due a season later
LOAN_DAYS_MAX = 731
REMIND_DAYS = 7  # the borrower is reminded this many days before the day to bring seed back


def _required_quantity(value: object) -> Decimal:
    amount = quantity_of(value, field="quantity", label=_("The quantity"))
    assert amount is not None  # required
    return amount


@transaction.atomic
def seed_lot_create(
    *,
    community: Community,
    variety: str,
    quantity: object,
    unit: str = Unit.G,
    crop: Crop | None = None,
    saved_from: str = "",
    saved_on: dt.date | None = None,
    germination_rate: object = None,
    parent: SeedLot | None = None,
    by: Membership | None,
) -> SeedLot:
    """Seed put in the library: its variety, where it was saved from, how well it germinates."""
    if crop is not None and crop.community_id != community.pk:
        raise InvalidInput(_("Choose a crop of this community."), field="crop")
    lot = SeedLot.objects.create(
        community=community,
        crop=crop,
        variety=clean_text(variety, field="variety", label=_("The variety"), limit=NAME_MAX, required=True),
        saved_from=clean_text(saved_from, field="saved_from", label=_("Where it was saved from"), limit=200),
        saved_on=saved_on,
        germination_rate=clean_int_or_none(
            germination_rate, field="germination_rate", label=_("The germination rate"), low=0, high=100
        ),
        quantity=_required_quantity(quantity),
        unit=unit_of(unit),
        parent=parent,
    )
    audit_record(
        community=community, actor=by, action="food.seed_lot_create", target=lot, summary=lot.variety
    )
    return lot


def loan_due_on(value: object, *, today: dt.date | None = None) -> dt.date:
    """The day seed lent today is to be brought back: a date after today, within two years;
    empty means a season from now (``LOAN_DAYS``)."""
    today = today or timezone.localdate()
    if value is None or (isinstance(value, str) and not value.strip()):
        return today + dt.timedelta(days=LOAN_DAYS)
    due = clean_date(value, field="due_on", label=_("The day to bring it back"))
    if due <= today:
        raise InvalidInput(_("The day to bring seed back must be after today."), field="due_on")
    if due > today + dt.timedelta(days=LOAN_DAYS_MAX):
        raise InvalidInput(_("Bring seed back within two years."), field="due_on")
    return due


@transaction.atomic
def seed_lend(
    *,
    lot: SeedLot,
    borrower: Membership,
    quantity: object,
    by: Membership | None,
    due_on: object = None,
) -> SeedLoan:
    """Lend seed from a lot until ``due_on`` (a season from now if not given). The lot is locked,
    so two loans at once never take more than it holds."""
    community = lot.community
    checked_member_or_none(community, borrower, field="borrower")
    due = loan_due_on(due_on)
    amount = quantity_of(quantity, field="quantity", label=_("The quantity"))
    assert amount is not None
    if amount <= 0:
        raise InvalidInput(_("Lend some seed: the quantity must be more than zero."), field="quantity")
    locked = SeedLot.objects.select_for_update().get(pk=lot.pk)
    if amount > locked.quantity:
        raise Conflict(
            _("The library holds only %(left)s %(unit)s of this seed.")
            % {"left": format_number(locked.quantity.normalize()), "unit": locked.get_unit_display()},
            field="quantity",
        )
    locked.quantity -= amount
    locked.save(update_fields=["quantity"])
    loan = SeedLoan.objects.create(
        community=community,
        lot=locked,
        borrower=borrower,
        quantity=amount,
        lent_at=timezone.now(),
        due_on=due,
    )
    audit_record(community=community, actor=by, action="food.seed_lend", target=loan, summary=locked.variety)
    return loan


@transaction.atomic
def seed_return(
    *,
    loan: SeedLoan,
    quantity: object,
    by: Membership | None,
    saved_from: str = "",
    germination_rate: object = None,
) -> SeedLoan:
    """The borrower brings back seed they saved: a new lot in the library, child of the lent one."""
    locked = SeedLoan.objects.select_for_update().select_related("lot").get(pk=loan.pk)
    if locked.status != SeedLoan.Status.OUT:
        raise Conflict(_("This loan was already closed."))
    lent = locked.lot
    saved = seed_lot_create(
        community=locked.community,
        variety=lent.variety,
        quantity=quantity,
        unit=lent.unit,
        crop=lent.crop,
        saved_from=saved_from or _("Saved by a gardener from the library's seed"),
        saved_on=timezone.localdate(),
        germination_rate=germination_rate,
        parent=lent,
        by=by,
    )
    locked.status = SeedLoan.Status.RETURNED
    locked.returned_at = timezone.now()
    locked.returned_lot = saved
    locked.save(update_fields=["status", "returned_at", "returned_lot"])
    audit_record(
        community=locked.community, actor=by, action="food.seed_return", target=locked, summary=lent.variety
    )
    return locked


def seed_loan_reminders(*, now: dt.datetime) -> int:
    """The clock job: tell each borrower once, ``REMIND_DAYS`` before the day (or on any day after
    it, if the reminder was not sent), to bring back seed they saved. Idempotent: a loan reminded
    is marked in the same transaction as its notification."""
    today = timezone.localdate(now)
    due = (
        SeedLoan.objects.filter(
            status=SeedLoan.Status.OUT,
            reminded_at__isnull=True,
            due_on__lte=today + dt.timedelta(days=REMIND_DAYS),
        )
        .select_related("lot", "borrower", "community")
        .order_by("due_on", "id")[:2000]
    )
    told = 0
    for loan in due:
        with transaction.atomic():
            if not SeedLoan.objects.filter(pk=loan.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            assert loan.due_on is not None
            notification_send(
                recipients=[loan.borrower],
                community=loan.community,
                kind="food.seed_due",
                title=notice_text(
                    gettext_lazy("Bring back seed of %(variety)s by %(date)s"),
                    variety=loan.lot.variety,
                    date=loan.due_on,
                ),
                body=gettext_lazy(
                    "The seed library lent you this seed: bring back seed you saved from what you grew."
                ),
                url=reverse("food:growing_seeds", args=[loan.community.slug]),
            )
            told += 1
    return told
