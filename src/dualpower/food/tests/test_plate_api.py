"""Food distribution's API: the order in force for members, the food group's allocations
(computed and given out), what shares are owed, and harvests as ValueFlows economic events."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dualpower.aid.models import AidRequest
from dualpower.food.models.plate import Allocation, ShareCycle
from dualpower.food.tests import factories_plate as f
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db
BASE = "/api/v1/communities/riverside/food"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("applicant", 403), ("outsider", 403), ("observer", 200), ("member", 200)],
)
def test_the_order_in_force_is_read_by_admitted_people(client_for: Any, role: str, status: int) -> None:
    response = client_for(role).get(BASE + "/priorities")
    assert response.status_code == status
    if status == 200:
        assert response.json()["priorities"] == ["urgent_aid", "shares", "aid", "pantry", "market"]


def test_a_member_cannot_compute_a_week(client_for: Any) -> None:
    response = client_for("member").post(
        BASE + "/allocations", {"week": "2026-06-01"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Allocation.objects.exists()


def test_the_food_group_computes_and_gives_out_a_week_through_the_api(community: Any, client: Client) -> None:
    f.sign_in(client, f.in_food_group(community))
    kale = f.crop(community, "Kale")
    f.harvest(community, kale, "3")
    request = f.food_request(community, quantity=2, urgency=3)

    made = client.post(
        BASE + "/allocations", {"week": f.this_monday().isoformat()}, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    lines = client.get(f"{BASE}/allocations/{pk}/lines").json()["items"]
    assert [(x["destination"], x["aid_request"], x["quantity"], x["tier"]) for x in lines] == [
        ("aid", request.code, "2.000", "urgent_aid"),
        ("pantry", None, "1.000", "pantry"),
    ]
    written = client.post(f"{BASE}/allocations/{pk}/write", content_type="application/json")
    assert written.status_code == 200 and written.json()["status"] == "written"
    assert AidRequest.objects.get(pk=request.pk).quantity_delivered == 2
    again = client.post(f"{BASE}/allocations/{pk}/write", content_type="application/json")
    assert again.status_code == 409 and again.json()["detail"]

    events = client.get(BASE + "/economic-events/transfers").json()["items"]
    assert {(e["action"], e["receiver"]) for e in events} == {
        ("transfer", f"riverside:aid-request:{request.code}"),
        ("transfer", "riverside:pantry"),
    }


def test_harvests_are_valueflows_produce_events(community: Any, client_for: Any) -> None:
    kale = f.crop(community, "Kale")
    log = f.harvest(community, kale, "2.5")
    events = client_for("member").get(BASE + "/economic-events/harvests").json()["items"]
    assert events == [
        {
            "id": f"riverside:log:{log.pk}",
            "type": "https://w3id.org/valueflows/ont/vf#EconomicEvent",
            "action": "produce",
            "resourceConformsTo": "Kale",
            "resourceQuantity": {"hasNumericalValue": "2.500", "hasUnit": "kg"},
            "hasPointInTime": events[0]["hasPointInTime"],
            "provider": "riverside:community",
            "receiver": "riverside:community",
            "note": "harvest",
        }
    ]
    assert client_for("member").get(BASE + "/economic-events/transfers").status_code == 403


def test_share_need_by_crop_and_week(community: Any, client_for: Any) -> None:
    kale = f.crop(community, "Kale")
    running = f.cycle(community, basket={kale: "2"})
    f.share(running, size="1.5")
    week = f.this_monday().isoformat()
    response = client_for("member").get(BASE + f"/share-need?weeks={week}")
    assert response.json() == [{"crop_id": kale.pk, "week": week, "quantity": "3.000"}]
    assert client_for("member").get(BASE + "/share-need?weeks=soon").status_code in (400, 422)


def test_pledging_rounds_are_read_and_a_holder_pledges_through_the_api(
    community: Any, client_for: Any, people: dict[str, Any]
) -> None:
    holder = membership_of(people["member"], community)
    found = f.cycle(community, budget="100", status=ShareCycle.Status.PLEDGING)
    mine = f.share(found, holder=holder)
    f.share(found)
    path = f"{BASE}/share-cycles/{found.pk}"
    pledged = client_for("member").post(path + "/pledge", {"amount": "60"}, content_type="application/json")
    assert pledged.status_code == 200, pledged.content
    assert pledged.json() == {"round": 1, "share": mine.code, "amount": 60, "paid_at": None}
    rounds = client_for("member").get(path + "/rounds").json()
    assert [(r["number"], r["status"], r["pledged"], r["budget"], r["my_pledge"]) for r in rounds] == [
        (1, "open", 60, 100, 60)
    ]
    assert client_for("observer").get(path + "/rounds").json()[0]["my_pledge"] is None
    # Who holds no share of the cycle cannot pledge; a bad amount is refused with a sentence.
    assert (
        client_for("coordinator").post(path + "/pledge", {"amount": "5"}, content_type="application/json")
    ).status_code == 403
    bad = client_for("member").post(path + "/pledge", {"amount": "lots"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["detail"]
    assert client_for("outsider").get(path + "/rounds").status_code == 403
