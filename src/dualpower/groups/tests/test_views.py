"""The working-group pages: status codes per role, htmx pieces and the no-JavaScript fallback."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.groups.tests.factories import food, put_in_group
from dualpower.members.tests.factories import ROLES, membership_of

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
READ = {
    "anonymous": 302,
    "applicant": 403,
    "outsider": 403,
    "observer": 200,
    "member": 200,
    "coordinator": 200,
}
RUN = {**READ, "observer": 403, "member": 403}
PAGES = [
    ("/c/riverside/groups/", READ),
    ("/c/riverside/groups/food/", READ),
    ("/c/riverside/groups/new/", RUN),
    ("/c/riverside/groups/food/edit/", RUN),
    ("/c/riverside/groups/food/delete/", RUN),
]


@pytest.mark.parametrize(("url", "expected"), PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_each_role(client_for: Any, community: Any, role: str, url: str, expected: dict) -> None:
    response = client_for(role).get(url)
    assert response.status_code == expected[role]
    if expected[role] == 302:
        assert response.url.startswith("/accounts/login/")


def test_an_unknown_group_page_is_not_found(client_for: Any, community: Any) -> None:
    assert client_for("member").get("/c/riverside/groups/nothing-here/").status_code == 404


def test_the_list_offers_join_or_ask_to_join(client_for: Any, community: Any) -> None:
    WorkingGroup.objects.filter(community=community, slug="housing").update(is_open=False)
    html = client_for("member").get("/c/riverside/groups/").content.decode()
    assert ">Join<span" in html
    assert ">Ask to join<span" in html
    assert "Start a working group" not in html


def test_observers_see_the_groups_without_join_buttons(client_for: Any, community: Any) -> None:
    html = client_for("observer").get("/c/riverside/groups/").content.decode()
    assert "Food" in html
    assert "/join/" not in html


def test_joining_with_htmx_swaps_in_the_groups_card(client_for: Any, people: Any, community: Any) -> None:
    response = client_for("member").post("/c/riverside/groups/food/join/", {"from": "list"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<li class="card" id="group-food">')
    assert "1 member" in html
    assert "Leave" in html
    assert GroupMembership.objects.filter(membership=membership_of(people["member"], community)).exists()


def test_joining_without_javascript_reloads_the_page_with_a_message(client_for: Any, community: Any) -> None:
    client = client_for("member")
    response = client.post("/c/riverside/groups/food/join/", {"from": "list"})
    assert response.status_code == 302
    assert response.url == "/c/riverside/groups/"
    page = client.get(response.url).content.decode()
    assert "You joined the group." in page


def test_an_observer_cannot_join_through_the_page(client_for: Any, community: Any) -> None:
    assert client_for("observer").post("/c/riverside/groups/food/join/").status_code == 403
    assert not GroupMembership.objects.exists()


def test_join_needs_a_post(client_for: Any, community: Any) -> None:
    assert client_for("member").get("/c/riverside/groups/food/join/").status_code == 405


def test_the_last_convener_sees_why_they_cannot_just_leave(
    client_for: Any, people: Any, community: Any
) -> None:
    group = food(community)
    put_in_group(group, membership_of(people["member"], community), convener=True)
    put_in_group(group, name="Rosa")
    client = client_for("member")
    response = client.post("/c/riverside/groups/food/leave/", {"from": "list"}, **HTMX)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "last convener" in response.content.decode()
    detail = client.get("/c/riverside/groups/food/").content.decode()
    assert "Who convenes the group after you?" in detail
    assert GroupMembership.objects.count() == 2


def test_a_convener_answers_requests_on_the_group_page(client_for: Any, people: Any, community: Any) -> None:
    group = food(community)
    put_in_group(group, membership_of(people["member"], community), convener=True)
    asking = put_in_group(group, pending=True, name="Pat")
    client = client_for("member")
    page = client.get("/c/riverside/groups/food/").content.decode()
    assert "Requests to join" in page
    assert "Pat" in page
    response = client.post(
        f"/c/riverside/groups/food/requests/{asking.pk}/approve/", {"from": "detail"}, **HTMX
    )
    assert response.status_code == 200
    assert response.content.decode().startswith('<div id="group-body">')
    asking.refresh_from_db()
    assert asking.status == GroupMembership.Status.ACTIVE


def test_a_plain_member_does_not_see_requests(client_for: Any, community: Any) -> None:
    put_in_group(food(community), pending=True, name="Pat")
    assert "Requests to join" not in client_for("member").get("/c/riverside/groups/food/").content.decode()


def test_a_coordinator_starts_a_group_from_the_form(client_for: Any, community: Any) -> None:
    client = client_for("coordinator")
    response = client.post("/c/riverside/groups/new/", {"name": "Bike repair", "purpose": "Fix bikes"})
    assert response.status_code == 302
    assert response.url == "/c/riverside/groups/bike-repair/"
    assert WorkingGroup.objects.get(community=community, slug="bike-repair").is_open is False


@pytest.mark.parametrize(("data", "message"), [({"name": ""}, "required"), ({"name": "Food"}, "already has")])
def test_a_bad_new_group_form_is_shown_again(
    client_for: Any, community: Any, data: Any, message: str
) -> None:
    response = client_for("coordinator").post("/c/riverside/groups/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert WorkingGroup.objects.filter(community=community).count() == 5


def test_a_coordinator_edits_and_deletes_a_group(client_for: Any, community: Any) -> None:
    client = client_for("coordinator")
    response = client.post("/c/riverside/groups/food/edit/", {"name": "Food sovereignty", "is_open": "on"})
    assert response.status_code == 302
    assert food(community).name == "Food sovereignty"
    response = client.post("/c/riverside/groups/food/delete/")
    assert response.status_code == 302
    assert not WorkingGroup.objects.filter(community=community, slug="food").exists()


def test_my_groups_and_requests_to_answer_are_on_the_dashboard(
    client_for: Any, people: Any, community: Any
) -> None:
    group = food(community)
    put_in_group(group, membership_of(people["member"], community), convener=True)
    put_in_group(group, pending=True, name="Pat")
    html = client_for("member").get("/c/riverside/").content.decode()
    assert "My groups" in html
    assert 'href="/c/riverside/groups/food/"' in html
    assert "Pat asks to join Food" in html


def test_a_coordinator_answers_requests_of_groups_without_a_convener(client_for: Any, community: Any) -> None:
    put_in_group(food(community), pending=True, name="Pat")
    assert "Pat asks to join Food" in client_for("coordinator").get("/c/riverside/").content.decode()
    assert "Pat asks to join" not in client_for("member").get("/c/riverside/").content.decode()


def test_a_coordinator_names_a_convener_and_takes_someone_out_without_javascript(
    client_for: Any, community: Any
) -> None:
    rosa = put_in_group(food(community), name="Rosa")
    pat = put_in_group(food(community), name="Pat")
    client = client_for("coordinator")
    response = client.post(f"/c/riverside/groups/food/members/{rosa.pk}/convener/", {"is_convener": "1"})
    assert response.status_code == 302
    assert response.url == "/c/riverside/groups/food/"
    rosa.refresh_from_db()
    assert rosa.is_convener
    assert client.post(f"/c/riverside/groups/food/members/{pat.pk}/remove/").status_code == 302
    assert list(GroupMembership.objects.all()) == [rosa]


def test_a_member_cannot_decide_for_a_group_they_do_not_convene(client_for: Any, community: Any) -> None:
    asking = put_in_group(food(community), pending=True, name="Pat")
    client = client_for("member")
    assert client.post(f"/c/riverside/groups/food/requests/{asking.pk}/decline/").status_code == 403
    assert client.post(f"/c/riverside/groups/food/members/{asking.pk}/remove/").status_code == 403
    assert GroupMembership.objects.filter(pk=asking.pk).exists()


def test_a_request_of_another_group_is_not_found_on_this_page(client_for: Any, community: Any) -> None:
    asking = put_in_group(
        WorkingGroup.objects.get(community=community, slug="housing"), pending=True, name="Pat"
    )
    response = client_for("coordinator").post(f"/c/riverside/groups/food/requests/{asking.pk}/approve/")
    assert response.status_code == 404
    asking.refresh_from_db()
    assert asking.status == GroupMembership.Status.PENDING


def test_someone_withdraws_their_request_to_join(client_for: Any, people: Any, community: Any) -> None:
    put_in_group(food(community), membership_of(people["member"], community), pending=True)
    client = client_for("member")
    assert "Withdraw my request" in client.get("/c/riverside/groups/").content.decode()
    response = client.post("/c/riverside/groups/food/leave/", {"from": "detail"}, **HTMX)
    assert response.status_code == 200
    assert ">Join<span" in response.content.decode()
    assert not GroupMembership.objects.exists()


def test_the_last_convener_hands_over_from_the_group_page(
    client_for: Any, people: Any, community: Any
) -> None:
    put_in_group(food(community), membership_of(people["member"], community), convener=True)
    rosa = put_in_group(food(community), name="Rosa")
    response = client_for("member").post("/c/riverside/groups/food/leave/", {"new_convener": str(rosa.pk)})
    assert response.status_code == 302
    assert list(GroupMembership.objects.filter(is_convener=True)) == [rosa]
