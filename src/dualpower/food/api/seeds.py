"""The seed library in the API: its lots, seed lent (with the day it is due back) and seed brought
back as a new lot. The same rules as the pages: every admitted person reads the lots; the food
group and coordinators add lots and see every loan; a member takes seed and sees their own loans;
the borrower (or a keeper) brings seed back. Parse → check rule → call service → schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from dualpower.api_tools import AUTH_OPTIONAL, PageOf, paginate
from dualpower.food.api.common import me_in
from dualpower.food.api.growing import GARDENS, _community
from dualpower.food.models.growing import SeedLoan, SeedLot
from dualpower.food.selectors import growing as selectors
from dualpower.food.services import growing as services
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check

router = Router(tags=["food: seed library"])


class SeedLotOut(Schema):
    id: int
    variety: str
    crop_id: int | None
    saved_from: str
    saved_on: dt.date | None
    germination_rate: int | None
    quantity: Decimal
    unit: str
    parent_id: int | None


class SeedLotIn(Schema):
    variety: str
    quantity: str = Field(description="decimal text, at most three places")
    unit: str = "g"
    crop_id: int | None = None
    saved_from: str = ""
    saved_on: dt.date | None = None
    germination_rate: int | None = None


class SeedLoanOut(Schema):
    id: int
    lot_id: int
    variety: str
    borrower: str
    quantity: Decimal
    status: str
    lent_at: dt.datetime
    due_on: dt.date | None
    overdue: bool
    returned_at: dt.datetime | None
    returned_lot_id: int | None


class SeedBorrowIn(Schema):
    quantity: str = Field(description="decimal text, in the lot's unit")
    due_on: dt.date | None = Field(
        None, description="the day to bring seed back; a season from now if left out"
    )


class SeedReturnIn(Schema):
    quantity: str = Field(description="the saved seed brought back, in the lent lot's unit")
    germination_rate: int | None = None
    saved_from: str = ""


def _loan_out(loan: SeedLoan, today: dt.date) -> dict[str, Any]:
    return {
        "id": loan.pk,
        "lot_id": loan.lot_id,
        "variety": loan.lot.variety,
        "borrower": loan.borrower.display_name,
        "quantity": loan.quantity,
        "status": loan.status,
        "lent_at": loan.lent_at,
        "due_on": loan.due_on,
        "overdue": loan.status == SeedLoan.Status.OUT and loan.due_on is not None and loan.due_on < today,
        "returned_at": loan.returned_at,
        "returned_lot_id": loan.returned_lot_id,
    }


@router.get(GARDENS + "/seed-lots", response=list[SeedLotOut], auth=AUTH_OPTIONAL)
@paginate
def seed_lot_list(request: HttpRequest, slug: str) -> Any:
    return selectors.seed_lots_of(community=_community(request, slug)).order_by("variety", "id")


@router.post(GARDENS + "/seed-lots", response={201: SeedLotOut})
def seed_lot_create(request: HttpRequest, slug: str, payload: SeedLotIn) -> Status[SeedLot]:
    community = _community(request, slug, "food.manage_seeds")
    crop = (
        selectors.crop_get(community=community, pk=payload.crop_id) if payload.crop_id is not None else None
    )
    lot = services.seed_lot_create(
        community=community,
        variety=payload.variety,
        quantity=payload.quantity,
        unit=payload.unit,
        crop=crop,
        saved_from=payload.saved_from,
        saved_on=payload.saved_on,
        germination_rate=payload.germination_rate,
        by=me_in(request, community),
    )
    return Status(201, lot)


@router.get(GARDENS + "/seed-loans", response=list[SeedLoanOut])
@paginate
def seed_loan_list(request: HttpRequest, slug: str) -> Any:
    """Every loan for the food group and coordinators; a member's own loans for anyone else."""
    community = _community(request, slug)
    me = membership_for(request.user, community)
    manage = request.user.has_perm("food.manage_seeds", community)
    loans = selectors.seed_loans_of(community=community, borrower=None if manage else me)
    if me is None and not manage:
        loans = loans.none()
    today = timezone.localdate()
    return PageOf(loans.order_by("-lent_at", "-id"), lambda rows: [_loan_out(loan, today) for loan in rows])


@router.post(GARDENS + "/seed-lots/{lot_id}/loans", response={201: SeedLoanOut})
def seed_borrow(
    request: HttpRequest, slug: str, lot_id: int, payload: SeedBorrowIn
) -> Status[dict[str, Any]]:
    community = _community(request, slug, "food.borrow_seed")
    lot = selectors.seed_lot_get(community=community, pk=lot_id)
    me = me_in(request, community)
    loan = services.seed_lend(lot=lot, borrower=me, quantity=payload.quantity, due_on=payload.due_on, by=me)
    return Status(201, _loan_out(loan, timezone.localdate()))


@router.post(GARDENS + "/seed-loans/{loan_id}/return", response=SeedLoanOut)
def seed_return(request: HttpRequest, slug: str, loan_id: int, payload: SeedReturnIn) -> dict[str, Any]:
    """Bring back saved seed: a new lot, child of the one lent; the loan is closed."""
    community = _community(request, slug)
    loan = selectors.seed_loan_get(community=community, pk=loan_id)
    check(request, "food.return_seed", loan)
    closed = services.seed_return(
        loan=loan,
        quantity=payload.quantity,
        germination_rate=payload.germination_rate,
        saved_from=payload.saved_from,
        by=me_in(request, community),
    )
    return _loan_out(selectors.seed_loan_get(community=community, pk=closed.pk), timezone.localdate())
