"""The seed library's loans: a day to bring seed back, overdue loans shown, one reminder to the
borrower before the day (a clock job), seed brought back as a new lot; the same through the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dualpower.errors import InvalidInput
from dualpower.food import jobs
from dualpower.food.models.growing import SeedLoan, SeedLot
from dualpower.food.services import growing as services
from dualpower.food.tests.factories_growing import member
from dualpower.food.tests.factories_plate import in_food_group, sign_in
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db
API = "/api/v1/communities/riverside/food/gardens"


def _lot(community: Any, quantity: str = "100") -> SeedLot:
    return services.seed_lot_create(
        community=community, variety="Cherokee Purple", quantity=quantity, saved_from="Bed 4", by=None
    )


def test_a_loan_has_a_day_to_bring_seed_back(community: Any, people: dict[str, Any]) -> None:
    borrower = member(people, "member", community)
    today = timezone.localdate()
    loan = services.seed_lend(lot=_lot(community), borrower=borrower, quantity="5", by=borrower)
    assert loan.due_on == today + dt.timedelta(days=services.LOAN_DAYS)
    chosen = services.seed_lend(
        lot=_lot(community), borrower=borrower, quantity="5", due_on=today + dt.timedelta(days=30), by=None
    )
    assert chosen.due_on == today + dt.timedelta(days=30)
    for bad, words in [
        (today, "after today"),
        (today + dt.timedelta(days=900), "two years"),
        ("soon", "date"),
    ]:
        with pytest.raises(InvalidInput, match=words):
            services.seed_lend(lot=_lot(community), borrower=borrower, quantity="5", due_on=bad, by=None)


def test_the_borrower_is_reminded_once_before_the_day(community: Any, people: dict[str, Any]) -> None:
    borrower = member(people, "member", community)
    today = timezone.localdate()
    soon = services.seed_lend(
        lot=_lot(community), borrower=borrower, quantity="5", due_on=today + dt.timedelta(days=5), by=None
    )
    later = services.seed_lend(
        lot=_lot(community), borrower=borrower, quantity="5", due_on=today + dt.timedelta(days=60), by=None
    )
    now = timezone.now()
    assert jobs.seed_reminders(now) == "1 seed borrowers reminded"
    assert jobs.seed_reminders(now) is None  # once
    notes = Notification.objects.filter(kind="food.seed_due")
    assert [(n.user_id, "Cherokee Purple" in n.title) for n in notes] == [(borrower.user_id, True)]
    assert SeedLoan.objects.get(pk=soon.pk).reminded_at is not None
    assert SeedLoan.objects.get(pk=later.pk).reminded_at is None
    # A loan brought back is not reminded.
    services.seed_return(loan=later, quantity="50", by=borrower)
    assert jobs.seed_reminders(now + dt.timedelta(days=60)) is None


def test_an_overdue_loan_is_shown_and_seed_comes_back_as_a_lot(
    client_for: Any, community: Any, people: dict[str, Any]
) -> None:
    borrower = member(people, "member", community)
    lot = _lot(community)
    client = client_for("member")
    seeds = f"/c/{community.slug}/food/gardens/seeds/"
    due = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    response = client.post(f"{seeds}{lot.pk}/take/", {"quantity": "4", "due_on": due})
    assert response.status_code == 302
    loan = SeedLoan.objects.get(borrower=borrower)
    assert loan.due_on is not None and loan.due_on.isoformat() == due
    assert "Overdue" not in client.get(seeds).content.decode()
    SeedLoan.objects.filter(pk=loan.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    assert "Overdue" in client.get(seeds).content.decode()
    bad = client.post(f"{seeds}{lot.pk}/take/", {"quantity": "4", "due_on": "yesterday"}, follow=True)
    assert "must be a date" in bad.content.decode()
    assert SeedLoan.objects.filter(borrower=borrower).count() == 1
    back = client.post(f"/c/{community.slug}/food/gardens/loans/{loan.pk}/return/", {"quantity": "30"})
    assert back.status_code == 302
    loan.refresh_from_db()
    assert loan.status == SeedLoan.Status.RETURNED and loan.returned_lot is not None
    assert (loan.returned_lot.parent_id, loan.returned_lot.quantity) == (lot.pk, Decimal(30))


def test_the_seed_library_through_the_api(client_for: Any, community: Any, people: dict[str, Any]) -> None:
    keeper: Any = Client()
    sign_in(keeper, in_food_group(community))
    post = {"content_type": "application/json"}
    made = keeper.post(API + "/seed-lots", {"variety": "Kale", "quantity": "80", "unit": "g"}, **post)
    assert made.status_code == 201, made.content
    lot_id = made.json()["id"]
    refused = client_for("member").post(API + "/seed-lots", {"variety": "Kale", "quantity": "8"}, **post)
    assert refused.status_code == 403
    assert [row["variety"] for row in client_for("observer").get(API + "/seed-lots").json()["items"]] == [
        "Kale"
    ]

    due = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    loans = f"{API}/seed-lots/{lot_id}/loans"
    lent = client_for("member").post(loans, {"quantity": "10", "due_on": due}, **post)
    assert lent.status_code == 201, lent.content
    assert (lent.json()["due_on"], lent.json()["overdue"], lent.json()["status"]) == (due, False, "out")
    too_much = client_for("member").post(loans, {"quantity": "71"}, **post)
    assert too_much.status_code == 409 and too_much.json()["detail"]
    assert client_for("observer").post(loans, {"quantity": "1"}, **post).status_code == 403

    loan_id = lent.json()["id"]
    assert [row["id"] for row in client_for("member").get(API + "/seed-loans").json()["items"]] == [loan_id]
    assert client_for("observer").get(API + "/seed-loans").json()["items"] == []  # only one's own
    assert len(keeper.get(API + "/seed-loans").json()["items"]) == 1
    back_path = f"{API}/seed-loans/{loan_id}/return"
    assert client_for("observer").post(back_path, {"quantity": "5"}, **post).status_code == 403
    back = client_for("member").post(back_path, {"quantity": "25"}, **post)
    assert back.status_code == 200, back.content
    assert back.json()["status"] == "returned" and back.json()["returned_lot_id"]
