"""Bad input to the working-groups API found by fuzzing: a 4xx with {detail, code}, nothing written."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dualpower.groups import services
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db
API = "/api/v1/communities/riverside/groups"


@pytest.mark.parametrize("body", ["22962703", '"someone"', "[]", "{"])
def test_a_leave_body_that_is_not_an_object_is_refused_and_the_member_stays(
    client_for: Any, community: Any, people: dict[str, Any], body: str
) -> None:
    housing = WorkingGroup.objects.get(community=community, slug="housing")
    services.group_join(group=housing, membership=membership_of(people["member"], community))
    response = client_for("member").post(f"{API}/housing/leave", data=body, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) >= {"detail", "code"}
    assert GroupMembership.objects.filter(group=housing, membership__user=people["member"]).exists()


@pytest.mark.parametrize("body", ["0", "[]", '"Housing"'])
def test_a_group_patch_that_is_not_an_object_is_refused(client_for: Any, community: Any, body: str) -> None:
    response = client_for("coordinator").patch(f"{API}/housing", data=body, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) >= {"detail", "code"}


def test_an_offset_past_a_64_bit_number_is_a_422(client_for: Any, community: Any) -> None:
    response = client_for("member").get(f"{API}/housing/members?offset={2**64}")
    assert response.status_code == 422
    assert response.json()["field"] == "offset"


@pytest.mark.parametrize(
    ("url", "body"), [("/housing", {"is_open": 1}), ("", {"name": "Bikes", "is_open": "yes"})]
)
def test_a_number_or_a_word_is_not_a_yes(
    client_for: Any, community: Any, url: str, body: dict[str, Any]
) -> None:
    call = client_for("coordinator").patch if url else client_for("coordinator").post
    response = call(f"{API}{url}", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == "is_open"
    assert not WorkingGroup.objects.filter(community=community, name="Bikes").exists()


def test_true_is_nobody_s_id_when_the_last_convener_leaves(
    client_for: Any, community: Any, people: dict[str, Any]
) -> None:
    housing = WorkingGroup.objects.get(community=community, slug="housing")
    services.group_join(group=housing, membership=membership_of(people["member"], community))
    response = client_for("member").post(
        f"{API}/housing/leave", data='{"new_convener": true}', content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "new_convener"
    assert GroupMembership.objects.filter(group=housing, membership__user=people["member"]).exists()
