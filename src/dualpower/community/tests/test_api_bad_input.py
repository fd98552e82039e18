"""Bad input to the node API found by fuzzing, and the error shape the schema documents."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dualpower.community.models import AuditEntry, Community

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.mark.parametrize("body", ['"Hilltop"', "[]", "0", "true"])
def test_a_community_patch_that_is_not_an_object_is_refused_and_changes_nothing(
    client_for: Any, community: Community, body: str
) -> None:
    # Ninja's schemas read attributes from any value: these passed as {} and answered 200.
    entries = AuditEntry.objects.count()
    response = client_for("coordinator").patch(
        f"{API}/communities/riverside", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"detail", "code"}
    assert AuditEntry.objects.count() == entries


def test_an_offset_past_a_64_bit_number_is_a_422_not_a_500(client_for: Any) -> None:
    response = client_for("coordinator").get(f"{API}/communities?offset=683396851174516507579954292064256")
    assert response.status_code == 422
    assert response.json()["field"] == "offset"


def test_the_audit_log_refuses_any_offset_it_is_read_by_position(client_for: Any) -> None:
    url = f"{API}/communities/riverside/audit?offset=683396851174516507579954292064256"
    response = client_for("coordinator").get(url)
    assert response.status_code == 400
    assert response.json()["field"] == "offset"


def test_the_schema_documents_the_error_shape_on_every_operation(client: Any, db: None) -> None:
    schema = client.get(f"{API}/openapi.json").json()
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"detail", "code"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "403", "404", "409", "422"} <= set(operation["responses"]), (method, path)


@pytest.mark.parametrize("change", [{"trust_threshold": True}, {"trust_threshold": "3"}, {"is_public": 1}])
def test_a_boolean_is_not_a_number_nor_a_number_a_boolean(
    client_for: Any, community: Community, change: dict[str, Any]
) -> None:
    # `true` was read as a trust threshold of 1: one member's word would have admitted anyone.
    response = client_for("coordinator").patch(
        f"{API}/communities/riverside", data=json.dumps(change), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["field"] == next(iter(change))
    community.refresh_from_db()
    assert (community.trust_threshold, community.is_public) == (3, True)
