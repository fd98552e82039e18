"""The activities API: each action per role, bad input refused with nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.activities import services
from dualpower.activities.models import Activity, Series, SignUp, TrustRole, Vouch
from dualpower.activities.tests.conftest import ROLES
from dualpower.activities.tests.factories import SeriesFactory, first_activity, past_series, slot_of
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = pytest.mark.django_db
BASE = "/api/v1/communities/riverside/activities"
READ = {
    "anonymous": 401,
    "applicant": 403,
    "outsider": 403,
    "observer": 200,
    "member": 200,
    "organiser": 200,
    "coordinator": 200,
}
TAKE = {**READ, "observer": 403}
RUN = {**TAKE, "member": 403}
COORD = {**RUN, "organiser": 403}


def _series_body(**changes: Any) -> dict[str, Any]:
    import datetime as dt

    body = {
        "title": "Tenants' clinic",
        "repeat": "weekly",
        "weekdays": [1],
        "starts_on": (dt.date.today() + dt.timedelta(days=2)).isoformat(),
        "start_time": "18:00",
        "slots": [{"label": "Advisers", "capacity": 2}],
    }
    body.update(changes)
    return body


@pytest.mark.parametrize("role", ROLES)
def test_listing_activities(client_as: Any, series: Any, role: str) -> None:
    response = client_as(role).get(BASE)
    assert response.status_code == READ[role]
    if response.status_code == 200:
        assert response.json()["items"][0]["title"] == "Food distribution"


@pytest.mark.parametrize("role", ROLES)
def test_one_activity_with_its_places(client_as: Any, series: Any, role: str) -> None:
    response = client_as(role).get(f"{BASE}/{first_activity(series).pk}")
    assert response.status_code == READ[role]
    if response.status_code == 200:
        assert [s["label"] for s in response.json()["slots"]] == ["Drivers", "Packers"]


@pytest.mark.parametrize("role", ROLES)
def test_listing_series(client_as: Any, series: Any, role: str) -> None:
    response = client_as(role).get(f"{BASE}/series")
    assert response.status_code == READ[role]
    if response.status_code == 200:
        [only] = response.json()["items"]
        assert only["title"] == "Food distribution"
        assert only["slots"] == [{"label": "Drivers", "capacity": 2}, {"label": "Packers", "capacity": 3}]


@pytest.mark.parametrize("role", ROLES)
def test_starting_a_series(client_as: Any, series: Any, role: str) -> None:
    response = client_as(role).post(f"{BASE}/series", _series_body(), content_type="application/json")
    assert response.status_code == {**COORD, "coordinator": 201}[role]
    assert Series.objects.filter(title="Tenants' clinic").exists() is (role == "coordinator")


@pytest.mark.parametrize(
    "changes",
    [
        {"slots": []},
        {"slots": [{"label": "Advisers", "capacity": -1}]},
        {"slots": [{"label": "Advisers", "capacity": 2, "required_role": "nobody"}]},
        {"weekdays": []},
        {"starts_on": "2020-01-01"},
        {"group": "no-such-group"},
        {"duration_minutes": 0},
    ],
)
def test_a_bad_series_is_refused_and_nothing_written(client_as: Any, series: Any, changes: dict) -> None:
    response = client_as("coordinator").post(
        f"{BASE}/series", _series_body(**changes), content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert response.json()["detail"]
    assert not Series.objects.filter(title="Tenants' clinic").exists()


@pytest.mark.parametrize("role", ROLES)
def test_taking_a_place(client_as: Any, series: Any, role: str) -> None:
    activity = first_activity(series)
    response = client_as(role).post(f"{BASE}/{activity.pk}/slots/{slot_of(activity).pk}/signup")
    assert response.status_code == {**TAKE, "member": 201, "organiser": 201, "coordinator": 201}[role]
    assert SignUp.objects.count() == (1 if response.status_code == 201 else 0)


def test_signing_up_twice_is_a_409(client_as: Any, series: Any) -> None:
    activity = first_activity(series)
    client = client_as("member")
    assert client.post(f"{BASE}/{activity.pk}/slots/{slot_of(activity).pk}/signup").status_code == 201
    response = client.post(f"{BASE}/{activity.pk}/slots/{slot_of(activity, 'Packers').pk}/signup")
    assert response.status_code == 409
    assert "already have a place" in response.json()["detail"]
    assert SignUp.objects.count() == 1


def test_a_full_slot_is_a_409(client_as: Any, community: Any, series: Any) -> None:

    activity = first_activity(series)
    for _ in range(2):
        services.slot_sign_up(slot=slot_of(activity), membership=make_membership(community))
    response = client_as("member").post(f"{BASE}/{activity.pk}/slots/{slot_of(activity).pk}/signup")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert SignUp.objects.count() == 2


def test_a_past_activity_is_a_409(client_as: Any, community: Any, everyone: Any) -> None:
    past, _ = past_series(community)
    activity = first_activity(past)
    response = client_as("member").post(f"{BASE}/{activity.pk}/slots/{slot_of(activity).pk}/signup")
    assert response.status_code == 409
    assert not SignUp.objects.exists()


def test_a_place_needing_a_role_is_a_403_that_says_how(client_as: Any, community: Any, everyone: Any) -> None:
    role = services.trust_role_create(community=community, name="Accompanier", by=None)
    activity = first_activity(SeriesFactory.create(community=community, slots=[("Accompaniers", 2, role)]))
    response = client_as("member").post(
        f"{BASE}/{activity.pk}/slots/{slot_of(activity, 'Accompaniers').pk}/signup"
    )
    assert response.status_code == 403
    assert "vouch" in response.json()["detail"]
    assert not SignUp.objects.exists()


def test_another_communitys_activity_is_not_found(
    client_as: Any, other_community: Any, everyone: Any
) -> None:
    activity = first_activity(SeriesFactory.create(community=other_community))
    assert client_as("member").get(f"{BASE}/{activity.pk}").status_code == 404


def test_leaving_by_the_api(client_as: Any, series: Any) -> None:
    activity = first_activity(series)
    client = client_as("member")
    assert client.post(f"{BASE}/{activity.pk}/leave").status_code == 404
    client.post(f"{BASE}/{activity.pk}/slots/{slot_of(activity).pk}/signup")
    assert client.post(f"{BASE}/{activity.pk}/leave").status_code == 204
    assert not SignUp.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_cancelling(client_as: Any, series: Any, role: str) -> None:
    activity = first_activity(series)
    response = client_as(role).post(f"{BASE}/{activity.pk}/cancel")
    assert response.status_code == RUN[role]
    assert Activity.objects.get(pk=activity.pk).is_cancelled is (response.status_code == 200)


@pytest.mark.parametrize("role", ROLES)
def test_changing_places(client_as: Any, series: Any, role: str) -> None:
    activity = first_activity(series)
    url = f"{BASE}/{activity.pk}/slots/{slot_of(activity).pk}"
    response = client_as(role).patch(url, {"capacity": 4}, content_type="application/json")
    assert response.status_code == RUN[role]
    assert slot_of(activity).capacity == (4 if response.status_code == 200 else 2)


@pytest.mark.parametrize("capacity", [0, -3, 501, "4", None])
def test_bad_places_are_refused(client_as: Any, series: Any, capacity: Any) -> None:
    activity = first_activity(series)
    url = f"{BASE}/{activity.pk}/slots/{slot_of(activity).pk}"
    response = client_as("organiser").patch(url, {"capacity": capacity}, content_type="application/json")
    assert response.status_code in (400, 422)
    assert slot_of(activity).capacity == 2


@pytest.mark.parametrize("role", ROLES)
def test_no_show_marks(client_as: Any, community: Any, everyone: Any, role: str) -> None:

    organiser = membership_of(everyone["organiser"], community)
    past, then = past_series(community, organisers=[organiser])
    activity = first_activity(past)
    signup = services.slot_sign_up(slot=slot_of(activity), membership=make_membership(community), now=then)
    url = f"{BASE}/{activity.pk}/signups/{signup.pk}/no-show"
    response = client_as(role).post(url, {"no_show": True}, content_type="application/json")
    assert response.status_code == RUN[role]
    signup.refresh_from_db()
    assert signup.no_show is (response.status_code == 200)


@pytest.mark.parametrize("role", ROLES)
def test_feedback(client_as: Any, community: Any, everyone: Any, role: str) -> None:

    past, then = past_series(community)
    activity = first_activity(past)
    if role in {"member", "organiser", "coordinator"}:
        services.slot_sign_up(
            slot=slot_of(activity), membership=membership_of(everyone[role], community), now=then
        )
    response = client_as(role).post(
        f"{BASE}/{activity.pk}/feedback", {"note": "Good", "rating": 4}, content_type="application/json"
    )
    assert response.status_code == {**TAKE, "member": 201, "organiser": 201, "coordinator": 201}[role]


@pytest.mark.parametrize("rating", [0, 6, "5", 4.5])
def test_a_bad_rating_is_refused(client_as: Any, community: Any, everyone: Any, rating: Any) -> None:
    from dualpower.activities.models import Feedback

    past, then = past_series(community)
    activity = first_activity(past)
    services.slot_sign_up(
        slot=slot_of(activity), membership=membership_of(everyone["member"], community), now=then
    )
    response = client_as("member").post(
        f"{BASE}/{activity.pk}/feedback", {"rating": rating}, content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_trust_role(client_as: Any, series: Any, role: str) -> None:
    response = client_as(role).post(
        f"{BASE}/roles", {"name": "Accompanier", "threshold": 2}, content_type="application/json"
    )
    assert response.status_code == {**COORD, "coordinator": 201}[role]
    assert TrustRole.objects.exists() is (role == "coordinator")


@pytest.mark.parametrize("role", ROLES)
def test_vouching(client_as: Any, community: Any, everyone: Any, role: str) -> None:
    services.trust_role_create(community=community, name="Accompanier", by=None)
    vouchee = make_membership(community)
    response = client_as(role).post(
        f"{BASE}/roles/accompanier/vouches", {"member_id": vouchee.pk}, content_type="application/json"
    )
    assert response.status_code == {**TAKE, "member": 201, "organiser": 201, "coordinator": 201}[role]
    assert Vouch.objects.count() == (1 if response.status_code == 201 else 0)


def test_vouching_for_oneself_or_nobody_is_refused(client_as: Any, community: Any, everyone: Any) -> None:
    services.trust_role_create(community=community, name="Accompanier", by=None)
    me = membership_of(everyone["member"], community)
    client = client_as("member")
    for member_id in (me.pk, 999999, "x"):
        response = client.post(
            f"{BASE}/roles/accompanier/vouches", {"member_id": member_id}, content_type="application/json"
        )
        assert response.status_code in (400, 422)
    assert not Vouch.objects.exists()


def test_withdrawing_a_vouch(client_as: Any, community: Any, everyone: Any) -> None:
    role = services.trust_role_create(community=community, name="Accompanier", by=None)
    vouchee = make_membership(community)
    services.vouch_give(role=role, voucher=membership_of(everyone["member"], community), vouchee=vouchee)
    client = client_as("member")
    assert client.delete(f"{BASE}/roles/accompanier/vouches/{vouchee.pk}").status_code == 204
    assert client.delete(f"{BASE}/roles/accompanier/vouches/{vouchee.pk}").status_code == 404
    assert not Vouch.objects.exists()
