"""Know-your-rights pages between communities, through the knowledge commons: a page shared with
peers goes out as a commons Document of the kind "rights" (its language and version kept), each
edit as its next version; a peer's page arrives in the commons, is listed with its origin, and is
adopted as ours (then translated like any page). Few tests: each starts a remote node."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dualpower.commons.models import Guide, Licence, ReceivedGuide
from dualpower.commons.tests.factories import make_received
from dualpower.commons.tests.test_federation import activity, guide
from dualpower.defence.models.response import RightsPage
from dualpower.defence.services import response_cases as cases
from dualpower.defence.services import response_rights as rights
from dualpower.federation import ids, remote
from dualpower.federation.models import Delivery, OutboundActivity, Peer
from dualpower.federation.tests.inbox_helpers import post
from dualpower.federation.tests.remote_node import RemoteNode
from dualpower.members.tests.factories import membership_of

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive, pytest.mark.usefixtures("federation_site")]


def _sent(kind: str) -> list[dict[str, Any]]:
    return [o.data for o in OutboundActivity.objects.filter(kind=kind).order_by("pk")]


def test_a_page_shared_with_peers_travels_and_a_peers_page_is_adopted(
    client: Any, community: Any, people: dict[str, Any], node: RemoteNode
) -> None:
    garden = node.actor("garden", kind="Group")
    Peer.objects.create(community=community, actor=remote.actor_get(garden.uri), state=Peer.State.ACTIVE)
    coordinator = membership_of(people["coordinator"], community)

    # --- ours, out: only once shared, in its own language (one the interface is not in), versioned.
    page = cases.rights_page_save(
        community=community, by=coordinator, title="Si la police frappe", body="N'ouvrez pas.", language="fr"
    )
    assert not OutboundActivity.objects.exists() and page.guide is None
    page = rights.rights_page_share(page=page, by=coordinator, shared=True)
    [created] = _sent("Create")
    document = created["object"]
    assert (document["guideKind"], document["version"], list(document["contentMap"])) == ("rights", 1, ["fr"])
    assert document["source"]["content"] == "N'ouvrez pas." and created["to"] == [garden.uri]
    assert Delivery.objects.filter(activity__kind="Create").count() == 1
    cases.rights_page_save(
        community=community,
        by=coordinator,
        title="Si la police frappe",
        body="N'ouvrez pas. Demandez le mandat.",
        language="fr",
        slug=page.slug,
    )
    [updated] = _sent("Update")
    assert updated["object"]["version"] == 2 and "mandat" in updated["object"]["source"]["content"]
    rights.rights_page_share(page=page, by=coordinator, shared=False)
    assert _sent("Delete")[0]["object"]["version"] == 2
    assert Guide.objects.get().kind == "rights"

    # --- theirs, in: kept by the commons, listed with its origin, adopted as ours.
    ours = ids.community_actor_id(community)
    theirs = guide(
        garden,
        n=7,
        version=3,
        to=[ours],
        name="If ICE knocks",
        guideKind="rights",
        source={"content": "Do not open the door.", "mediaType": "text/plain"},
    )
    assert post(client, activity(garden, "Create", theirs, [ours]), signer=garden).status_code == 202
    received = ReceivedGuide.objects.get()
    client.force_login(people["member"])
    listing = client.get(reverse("defence:rights", args=[community.slug])).content.decode()
    assert "If ICE knocks" in listing and "garden" in listing
    peer_url = reverse("defence:rights_from_peer", args=[community.slug, received.pk])
    assert client.post(peer_url).status_code == 403  # adopting is the defence group's
    client.force_login(people["coordinator"])
    assert client.post(peer_url).status_code == 302
    adopted = RightsPage.objects.get(origin_uri=received.uri)
    assert (adopted.language, adopted.origin_name, adopted.origin_version) == ("en", "garden", 3)
    assert not adopted.shared and adopted.body == "Do not open the door."
    # Translated locally like any page; adopting the same version again is refused with a sentence.
    cases.rights_page_save(
        community=community,
        by=coordinator,
        title="Si ICE toca",
        body="No abras.",
        language="es",
        slug=adopted.slug,
    )
    assert RightsPage.objects.filter(slug=adopted.slug).count() == 2
    again = client.post(peer_url, follow=True).content.decode()
    assert "adopted already" in again


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen)


def test_pages_from_peers_are_listed_in_few_queries_and_a_reserved_one_is_not_adopted(
    client: Any, community: Any, people: dict[str, Any]
) -> None:
    make_received(community, 1, kind="rights")
    client.force_login(people["coordinator"])
    listing = reverse("defence:rights", args=[community.slug])
    client.get(listing)
    few = _queries(client, listing)
    for n in range(2, 12):
        make_received(community, n, kind="rights", licence=Licence.RESERVED if n == 11 else Licence.CC_BY_SA)
    make_received(community, 12, kind="policy")  # not a know-your-rights page: not listed
    assert _queries(client, listing) == few
    page = client.get(listing).content.decode()
    assert "Tool library rules 11" in page and "Tool library rules 12" not in page
    reserved = ReceivedGuide.objects.get(licence=Licence.RESERVED)
    url = reverse("defence:rights_from_peer", args=[community.slug, reserved.pk])
    assert _queries(client, url) == _queries(
        client, reverse("defence:rights_from_peer", args=[community.slug, reserved.pk - 1])
    )
    refused = client.post(url, follow=True).content.decode()
    assert "does not allow copies" in refused and not RightsPage.objects.exists()
    other = ReceivedGuide.objects.get(kind="policy")
    assert client.get(reverse("defence:rights_from_peer", args=[community.slug, other.pk])).status_code == 404
