"""The opinion map across peer communities: where the deliberation was opened, each new map is sent
to the peers (at most every few minutes, the clock sending what a busy spell held back); at a peer,
the map a node sent is checked and drawn on the deliberation's page for our members. And an erased
peer participant never comes back with a vote their node sent before the erase."""

from __future__ import annotations

import copy
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualpower.deliberation import jobs, mapping, publishing, receiving, services
from dualpower.deliberation.models import Participant, PeerDeliberation, Vote
from dualpower.deliberation.tests.factories import make_deliberation, two_camps
from dualpower.federation import ids
from dualpower.federation.models import OutboundActivity
from dualpower.federation.tests.inbox_helpers import activity, post
from dualpower.federation.tests.remote_node import Actor
from dualpower.members.tests.factories import make_membership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("federation_site")]
ME = "ab" * 20


def _updates() -> list[dict[str, Any]]:
    return [o.data["object"] for o in OutboundActivity.objects.filter(kind="Update").order_by("id")]


def test_each_new_map_goes_to_the_peers_at_most_every_few_minutes(community: Any, garden: Actor) -> None:
    opener = make_membership(community, name="Facilitator")
    deliberation = make_deliberation(community, by=opener, seeds=())
    voters = two_camps(deliberation, people=12, statements=6)
    mapping.map_refresh(deliberation_id=deliberation.pk)
    assert _updates() == []  # not open to peers: nothing leaves

    services.deliberation_peers_set(deliberation=deliberation, by=opener, open_to_peers=True)
    created = OutboundActivity.objects.get(kind="Create").data["object"]
    deliberation.refresh_from_db()
    stored = deliberation.opinion_map
    assert created["opinionMap"] == {k: stored[k] for k in publishing.MAP_PARTS}
    assert "state" not in created["opinionMap"] and created["opinionMap"]["groups"]
    # The map went with the Create: the clock does not send the same map again.
    jobs.send_held_maps(timezone.now() + publishing.MAP_EVERY + timedelta(seconds=1))
    assert _updates() == []

    services.vote_cast(statement=deliberation.statements.get(number=1), by=voters[0], value="pass")
    mapping.map_refresh(deliberation_id=deliberation.pk)
    [first] = _updates()
    deliberation.refresh_from_db()
    assert first["opinionMap"]["participants"] == deliberation.opinion_map["participants"]
    assert deliberation.map_sent_votes == deliberation.map_votes

    # A second map within MAP_EVERY is held back; the clock sends it once the time has passed.
    services.vote_cast(statement=deliberation.statements.get(number=2), by=voters[1], value="pass")
    mapping.map_refresh(deliberation_id=deliberation.pk)
    assert len(_updates()) == 1
    jobs.send_held_maps(timezone.now())
    assert len(_updates()) == 1
    later = timezone.now() + publishing.MAP_EVERY + timedelta(seconds=1)
    jobs.send_held_maps(later)
    jobs.send_held_maps(later)  # claimed once: sent once
    assert len(_updates()) == 2
    deliberation.refresh_from_db()
    assert deliberation.map_sent_votes == deliberation.map_votes


def _theirs(garden: Actor, **more: Any) -> dict[str, Any]:
    base = garden.uri.rsplit("/users/", 1)[0]
    return {
        "id": f"{base}/deliberations/7",
        "type": "Deliberation",
        "name": "What should the shared garden grow?",
        "attributedTo": garden.uri,
        "statements": [{"number": 1, "name": "Apples."}, {"number": 2, "name": "Pears."}],
    } | more


A_MAP: dict[str, Any] = {
    "participants": 30,
    "mapped": 28,
    "groups": [
        {
            "number": 1,
            "size": 17,
            "representative": [{"statement": 2, "direction": "disagree", "percent": 88, "seen": 17}],
        },
        {
            "number": 2,
            "size": 11,
            "representative": [{"statement": 2, "direction": "agree", "percent": 91, "seen": 11}],
        },
    ],
    "consensus": [{"statement": 1, "direction": "agree", "percent_by_group": [94, 82]}],
    "points": [[0.1, 0.2, 9, 0], [0.3, 0.25, 8, 0], [0.9, 0.8, 11, 1]],
}


def _queries(client: Client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as seen:
        response = client.get(path)
    assert response.status_code == 200
    return len(seen), response.content.decode()


def test_a_peers_map_is_drawn_on_its_page_for_our_members(
    client: Client, community: Any, garden: Actor, people: Any
) -> None:
    to = [ids.community_actor_id(community)]
    assert post(client, activity(garden, "Create", _theirs(garden), to=to), signer=garden).status_code == 202
    kept = PeerDeliberation.objects.get()
    assert kept.opinion_map == {}
    client.force_login(people["member"])
    page = f"/c/riverside/deliberations/peer/{kept.pk}/"
    without, html = _queries(client, page)
    assert "<svg" not in html and "The map appears once enough people have voted" in html

    mapped = _theirs(garden, opinionMap=A_MAP)
    assert post(client, activity(garden, "Update", mapped, to=to), signer=garden).status_code == 202
    kept.refresh_from_db()
    assert kept.opinion_map == {
        **A_MAP,
        "groups": [
            {
                **g,
                "representative": [{k: v for k, v in r.items() if k != "seen"} for r in g["representative"]],
            }
            for g in A_MAP["groups"]
        ],
    }
    with_map, html = _queries(client, page)
    assert with_map == without  # drawn from the kept row: no query more
    figure = html.split('<figure class="chart opinion-map">', 1)[1].split("</figure>", 1)[0]
    assert figure.count("<circle") == 3 and "28 people are placed on the map" in html
    section = html.split('id="map-heading"', 1)[1].split("</section>", 1)[0]
    assert "Apples." in section.split("What every group agrees on", 1)[1]  # the consensus, by its text
    assert "94 % of group 1" in section and "82 % of group 2" in section
    assert "Group 1: 17 people" in section and "91 % of the group agree" in section
    client.force_login(people["observer"])
    assert "28 people are placed on the map" in client.get(page).content.decode()


def _broken(change: Any) -> dict[str, Any]:
    broken = copy.deepcopy(A_MAP)
    change(broken)
    return broken


@pytest.mark.parametrize(
    "bad",
    [
        "a map",
        _broken(lambda m: m.update(participants=True)),
        _broken(lambda m: m.update(mapped=-1)),
        _broken(lambda m: m["points"].append([1.5, 0.2, 3, 0])),  # off the map
        _broken(lambda m: m["points"].append([0.5, 0.2, 3, 2])),  # a group that is not there
        _broken(lambda m: m["points"].append([0.5, 0.2, 0, 0])),  # nobody in it
        _broken(lambda m: m.update(points=[[0.5, 0.5, 1, 0]] * (receiving.MAP_POINTS_KEPT + 1))),
        _broken(lambda m: m["groups"][1].update(number=3)),
        _broken(lambda m: m["groups"][0]["representative"][0].update(direction="<b>agree</b>")),
        _broken(lambda m: m["groups"][0]["representative"][0].update(percent=101)),
        _broken(lambda m: m["groups"][0]["representative"][0].update(statement="2")),
        _broken(lambda m: m["consensus"][0].update(percent_by_group=[94])),  # one group of two
        _broken(lambda m: m["consensus"].append({"statement": 2, "direction": "agree"})),
    ],
)
def test_a_map_not_of_the_expected_shape_is_left_out_and_the_deliberation_kept(
    client: Client, community: Any, garden: Actor, people: Any, bad: Any
) -> None:
    assert receiving.map_from_peer(A_MAP)  # the good one is taken
    to = [ids.community_actor_id(community)]
    sent = activity(garden, "Create", _theirs(garden, opinionMap=bad), to=to)
    assert post(client, sent, signer=garden).status_code == 202
    kept = PeerDeliberation.objects.get()
    assert kept.opinion_map == {} and [s["text"] for s in kept.statements] == ["Apples.", "Pears."]
    client.force_login(people["member"])
    assert client.get(f"/c/riverside/deliberations/peer/{kept.pk}/").status_code == 200


def _stamped(
    garden: Actor, community: Any, verb: str, about: str, when: Any, **fields: Any
) -> dict[str, Any]:
    base = garden.uri.rsplit("/users/", 1)[0]
    obj = {
        "id": f"{base}/relays/{uuid.uuid4()}",
        "type": publishing.VOTE_TYPE,
        "attributedTo": garden.uri,
        "inReplyTo": about,
    } | fields
    return activity(
        garden,
        verb,
        obj,
        to=[ids.community_actor_id(community)],
        published=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def test_a_vote_sent_before_its_participant_was_erased_never_brings_them_back(
    client: Client, community: Any, garden: Actor
) -> None:
    opener = make_membership(community, name="Facilitator")
    deliberation = make_deliberation(community, by=opener)
    services.deliberation_peers_set(deliberation=deliberation, by=opener, open_to_peers=True)
    about = publishing.deliberation_uri(deliberation)
    now = timezone.now().replace(microsecond=0)

    def vote(when: Any, number: int) -> int:
        sent = _stamped(
            garden, community, "Create", about, when, participant=ME, statement=number, vote="agree"
        )
        return int(post(client, sent, signer=garden).status_code)

    assert vote(now - timedelta(minutes=3), 1) == 202
    erase = _stamped(garden, community, "Delete", about, now - timedelta(minutes=1), participant=ME)
    assert post(client, erase, signer=garden).status_code == 202
    assert not Participant.objects.filter(deliberation=deliberation).exists()

    # A vote stamped before the erase (a retry delivered late, a dead letter retried) is refused.
    assert vote(now - timedelta(minutes=2), 2) == 422
    assert not Participant.objects.filter(deliberation=deliberation).exists()
    # What they send afterwards counts again (they chose to take part again).
    assert vote(now, 3) == 202
    assert list(
        Vote.objects.filter(statement__deliberation=deliberation).values_list("statement__number", flat=True)
    ) == [3]
    # An older erase arriving late neither moves the mark back nor erases what came after it.
    old = _stamped(garden, community, "Delete", about, now - timedelta(minutes=5), participant=ME)
    assert post(client, old, signer=garden).status_code == 202
    assert deliberation.erased_peers.get().erased_at == now - timedelta(minutes=1)
    assert Vote.objects.filter(statement__deliberation=deliberation).count() == 1
