"""Food distribution's pages: who sees what, the loop from computing a week to giving it out, a
member joining and pledging, refusals shown as sentences, and list pages whose queries do not
grow with their rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dualpower.aid.models import AidRequest
from dualpower.food.models.plate import Allocation, Pledge, Share, ShareCycle
from dualpower.food.selectors import plate as selectors
from dualpower.food.services import plate_allocation as allocations
from dualpower.food.tests import factories_plate as f
from dualpower.ledger.tests.factories import CurrencyFactory
from dualpower.members.tests.factories import make_membership, membership_of
from dualpower.web.pages import PER_PAGE

pytestmark = pytest.mark.django_db


def url(community: Any, rest: str) -> str:
    return f"/c/{community.slug}/food/{rest}"


def queries_for(client: Client, address: str) -> int:
    client.get(address)  # warm: sessions, caches of the first visit
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("applicant", 403), ("outsider", 403), ("observer", 200), ("member", 200)],
)
def test_the_plate_page_is_for_admitted_people(
    community: Any, client_for: Any, role: str, status: int
) -> None:
    response = client_for(role).get(url(community, "plate/"))
    assert response.status_code in ({status} if status == 200 else {status, 302})


def test_a_member_sees_the_order_in_force_but_not_the_allocations(community: Any, client_for: Any) -> None:
    page = client_for("member").get(url(community, "plate/")).content.decode()
    assert "Urgent food requests" in page
    assert "Compute the allocation" not in page
    assert client_for("member").get(url(community, "plate/allocations/1/")).status_code == 403


def test_the_food_group_computes_adjusts_and_gives_out_a_week(community: Any, client: Client) -> None:
    keeper = f.in_food_group(community)
    kale = f.crop(community, "Kale")
    f.harvest(community, kale, "6")
    request = f.food_request(community, quantity=2, urgency=3)
    f.sign_in(client, keeper)

    response = client.post(url(community, "plate/"), {"week": f.this_monday().isoformat()})
    found = Allocation.objects.get(community=community)
    assert response.status_code == 302 and response["Location"].endswith(f"/plate/allocations/{found.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert request.code in page and "Step 1 of 5" in page

    pantry = found.lines.get(destination="pantry")
    bad = client.post(response["Location"], {f"line-{pantry.pk}": "5"}, follow=True).content.decode()
    assert "More than log" in bad
    client.post(response["Location"], {f"line-{pantry.pk}": "3"})
    assert found.lines.get(pk=pantry.pk).quantity == Decimal(3)

    client.post(url(community, f"plate/allocations/{found.pk}/write/"))
    assert AidRequest.objects.get(pk=request.pk).quantity_delivered == 2
    assert Allocation.objects.get(pk=found.pk).status == Allocation.Status.WRITTEN


def test_a_bad_week_is_refused_on_its_field(community: Any, client: Client) -> None:
    f.sign_in(client, f.in_food_group(community))
    page = client.post(url(community, "plate/"), {"week": "next tuesday"}).content.decode()
    assert "Give the week as a date." in page
    assert not Allocation.objects.exists()


def test_a_member_takes_a_share_pledges_and_sees_the_round(
    community: Any, client_for: Any, people: Any
) -> None:
    currency = CurrencyFactory.create(community=community)
    found = f.cycle(community, currency=currency, budget="100", status=ShareCycle.Status.PLEDGING)
    client = client_for("member")
    point = f.point_of(found)
    client.post(url(community, f"shares/{found.pk}/join/"), {"pickup_point": point.pk, "size": "1"})
    share = Share.objects.get(cycle=found)
    assert share.holder == membership_of(people["member"], community)

    refused = client.post(url(community, f"shares/{found.pk}/pledge/"), {"amount": "12,50"}).content.decode()
    assert "must be written as a number" in refused
    client.post(url(community, f"shares/{found.pk}/pledge/"), {"amount": "12.50"})
    assert Pledge.objects.get(share=share).amount == 1_250
    page = client.get(url(community, f"shares/{found.pk}/")).content.decode()
    assert share.code in page and "Pledging round 1" in page
    assert (
        client_for("observer").post(url(community, f"shares/{found.pk}/pledge/"), {"amount": "1"}).status_code
        == 403
    )


def test_the_food_group_runs_a_cycle_from_its_page(community: Any, client: Client) -> None:
    f.sign_in(client, f.in_food_group(community))
    kale = f.crop(community, "Kale")
    client.post(
        url(community, "shares/"),
        {"name": "Autumn", "starts_on": "2026-09-07", "ends_on": "2026-11-30", "budget": ""},
    )
    found = ShareCycle.objects.get(community=community, name="Autumn")
    client.post(url(community, f"shares/{found.pk}/pickup/"), {"name": "Gate", "weekday": "5", "place": ""})
    client.post(url(community, f"shares/{found.pk}/basket/"), {"crop": kale.pk, "quantity": "1.5"})
    client.post(
        url(community, f"shares/{found.pk}/household/"),
        {"household-pickup_point": found.pickup_points.get().pk, "household-size": "2"},
    )
    assert found.shares.get().holder is None
    assert found.basket_lines.get().quantity == Decimal("1.5")
    client.post(url(community, f"shares/{found.pk}/status/"), {"status": "pledging"})
    assert selectors.open_round(cycle=found) is not None


# --- list pages do not grow their queries with their rows --------------------------------------


def _grow_cycles(community: Any, n: int, start: int) -> ShareCycle:
    last = None
    for i in range(start, start + n):
        last = f.cycle(community, name=f"Cycle {i}")
        for _ in range(2):
            f.share(last, holder=make_membership(community))
    assert last is not None
    return last


@pytest.mark.parametrize("few_many", [(3, 30)])
def test_the_share_pages_cost_the_same_with_few_or_many_rows(
    community: Any, client: Client, few_many: tuple[int, int]
) -> None:
    few, many = few_many
    f.sign_in(client, f.in_food_group(community))
    last = _grow_cycles(community, few, 0)
    counts_few = [queries_for(client, url(community, p)) for p in ("plate/", "shares/", f"shares/{last.pk}/")]
    for _ in range(many - few):
        f.share(last, holder=make_membership(community))
    _grow_cycles(community, 4, few)
    counts_many = [
        queries_for(client, url(community, p)) for p in ("plate/", "shares/", f"shares/{last.pk}/")
    ]
    assert counts_many == counts_few


def test_the_allocation_page_costs_the_same_with_few_or_many_lines(community: Any, client: Client) -> None:
    keeper = f.in_food_group(community)
    f.sign_in(client, keeper)
    kale = f.crop(community, "Kale")

    def week_with(n: int) -> int:
        Allocation.objects.filter(community=community).delete()
        for _ in range(n):
            f.harvest(community, kale, "1")
            f.food_request(community, quantity=1)
        return allocations.allocation_compute(community=community, week=f.this_monday(), by=keeper).pk

    few = queries_for(client, url(community, f"plate/allocations/{week_with(3)}/"))
    many = queries_for(client, url(community, f"plate/allocations/{week_with(27)}/"))
    assert many == few


def test_the_allocation_page_shows_a_page_of_lines_and_all_the_totals(community: Any, client: Client) -> None:
    keeper = f.in_food_group(community)
    f.sign_in(client, keeper)
    kale = f.crop(community, "Kale")
    logs = 2 * PER_PAGE + 2  # two full pages of lines and two on the third
    for _ in range(logs):
        f.harvest(community, kale, "1")
    found = allocations.allocation_compute(community=community, week=f.this_monday(), by=keeper)
    assert found.lines.count() == logs  # each log to the pantry
    address = url(community, f"plate/allocations/{found.pk}/")
    first = client.get(address).content.decode()
    assert first.count('name="line-') == PER_PAGE and '<a href="?page=2#lines-heading" rel="next">' in first
    assert f"{logs} kilograms" in first  # the totals count every line, not the page's
    last = client.get(address + "?page=3").content.decode()
    assert last.count('name="line-') == 2 and 'rel="next"' not in last
    # Adjusting from page 3 changes only its lines and comes back to page 3.
    line = found.lines.order_by("pk").last()
    assert line is not None
    response = client.post(address + "?page=3", {f"line-{line.pk}": "0"})
    assert response.status_code == 302 and response["Location"].endswith("?page=3")
    assert found.lines.count() == logs - 1
    # A page costs the same whatever the week's size.
    few = queries_for(client, address)
    for _ in range(20):
        f.harvest(community, kale, "1")
    more = allocations.allocation_compute(community=community, week=f.this_monday(), by=keeper)
    assert queries_for(client, url(community, f"plate/allocations/{more.pk}/")) == few
