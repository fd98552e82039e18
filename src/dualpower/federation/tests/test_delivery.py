"""Delivery to real inboxes: a local HTTP server thread records what it is POSTed (signed as the
community, checked with F2's ``verify``), answers with the status a test chooses, or is down.
Retries, the per-host breaker, dead letters and their retry, a node that comes back; each host's
queue in order; one job per activity and a publish whose cost does not grow with its followers."""

from __future__ import annotations

import random
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from dualpower import clock
from dualpower.federation import activities, delivery, ids, jobs, keys, sending, signatures
from dualpower.federation.models import Delivery, Follower, OutboundActivity, RemoteActor, RemoteHost
from dualpower.federation.tests.remote_node import RemoteNode, remote_node

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("federation_site")]


def follower(community: Any, node: RemoteNode, name: str, *, dualpower: bool = False) -> RemoteActor:
    uri = f"{node.base}/users/{name}"
    actor = RemoteActor.objects.create(
        uri=uri,
        host=node.host,
        kind="Group" if dualpower else "Person",
        inbox=f"{uri}/inbox",
        shared_inbox=f"{node.base}/inbox",
        fetched_at=timezone.now(),
        is_dualpower=dualpower,
    )
    Follower.objects.create(community=community, actor=actor, follow_id=f"{uri}/follows/1")
    return actor


def publish(community: Any, capture: Any) -> OutboundActivity:
    note = {
        "id": f"{ids.community_actor_id(community)}/notes/1",
        "type": "Note",
        "content": "Seed swap on Sunday",
    }
    made = activities.activity_build(
        kind="Create",
        community=community,
        object=note,
        **activities.addressing(community=community, audience="public"),
    )
    with capture(execute=True):
        return delivery.activity_publish(community=community, activity=made, audience="public")


def only_delivery() -> Delivery:
    return Delivery.objects.get()


def test_an_activity_reaches_each_server_once_signed_as_its_community(
    community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    follower(community, node, "alice")
    follower(community, node, "bob")
    outbound = publish(community, django_capture_on_commit_callbacks)
    [sent] = node.posted  # both follow from one server: its shared inbox, once
    assert sent.path == "/inbox" and sent.json["id"] == outbound.uri and "proof" not in sent.json
    signed = signatures.verify(
        method="POST",
        path="/inbox",
        host=node.host,
        headers=sent.headers,
        body=sent.body,
        public_key_pem=keys.actor_public_pem(ids.actor_key_name(community)),
    )
    assert signed.key_id == ids.key_id(ids.community_actor_id(community))
    done = only_delivery()
    assert (done.state, done.attempts, done.delivered_at is not None) == (Delivery.State.DELIVERED, 1, True)


def test_a_dualpower_node_gets_an_integrity_proof_it_can_check(
    community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    from dualpower.federation import proofs

    follower(community, node, "garden", dualpower=True)
    publish(community, django_capture_on_commit_callbacks)
    [sent] = node.posted
    proofs.proof_verify(sent.json, public_key_multibase=keys.node_proof_multibase())  # raises if wrong


def test_a_server_error_is_retried_later_with_backoff(
    community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    follower(community, node, "alice")
    node.inbox_status = 503
    before = timezone.now()
    publish(community, django_capture_on_commit_callbacks)
    waiting = only_delivery()
    assert (waiting.state, waiting.attempts, waiting.last_error) == (Delivery.State.PENDING, 1, "HTTP 503")
    assert before + timedelta(seconds=47) <= waiting.next_attempt_at <= timezone.now() + timedelta(seconds=73)
    assert RemoteHost.objects.get(host=node.host).failures == 1


@pytest.mark.parametrize("status", [400, 403, 404, 410])
def test_a_refusal_is_a_dead_letter_at_once(
    community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any, status: int
) -> None:
    follower(community, node, "alice")
    node.inbox_status = status
    publish(community, django_capture_on_commit_callbacks)
    assert (only_delivery().state, only_delivery().last_error) == (Delivery.State.DEAD, f"HTTP {status}")


def test_too_many_requests_is_retried_not_given_up(
    community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    follower(community, node, "alice")
    node.inbox_status = 429
    publish(community, django_capture_on_commit_callbacks)
    assert only_delivery().state == Delivery.State.PENDING


def test_five_failures_in_a_row_open_the_breaker_and_nothing_is_sent_until_it_closes(
    community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    follower(community, node, "alice")
    node.inbox_status = 500
    publish(community, django_capture_on_commit_callbacks)
    waiting = only_delivery()
    later = timezone.now()
    for _ in range(4):  # four more failures, each attempt due
        later += timedelta(hours=13)
        Delivery.objects.filter(pk=waiting.pk).update(next_attempt_at=later)
        with django_capture_on_commit_callbacks(execute=True):
            jobs.deliveries_due(later)
    health = RemoteHost.objects.get(host=node.host)
    assert health.failures == 5 and health.retry_after is not None
    posts = len(node.posted)
    # Due again, but the breaker is open: the clock does not queue it, an attempt does not send.
    Delivery.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.deliveries_due(timezone.now()) == ""
    assert "breaker is open" in sending.host_send(host=node.host)
    assert len(node.posted) == posts


def test_a_host_failing_for_days_is_unavailable_and_its_deliveries_are_dead_letters(
    community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    follower(community, node, "alice")
    node.inbox_status = 502
    RemoteHost.objects.create(host=node.host, failures=3, failing_since=timezone.now() - timedelta(days=3))
    publish(community, django_capture_on_commit_callbacks)
    assert RemoteHost.objects.get(host=node.host).unavailable_since is not None
    assert (only_delivery().state, only_delivery().last_error) == (Delivery.State.DEAD, "host unavailable")
    # Later activities to it are dead letters at once, and nothing is sent.
    posts = len(node.posted)
    note = activities.activity_build(
        kind="Create", community=community, object={"id": "x", "type": "Note"}, to=[activities.PUBLIC]
    )
    with django_capture_on_commit_callbacks(execute=True):
        delivery.activity_publish(community=community, activity=note, audience="public")
    assert Delivery.objects.filter(state=Delivery.State.DEAD).count() == 2 and len(node.posted) == posts


def test_a_success_resets_the_host(
    community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    follower(community, node, "alice")
    RemoteHost.objects.create(host=node.host, failures=4, failing_since=timezone.now() - timedelta(days=1))
    publish(community, django_capture_on_commit_callbacks)
    health = RemoteHost.objects.get(host=node.host)
    assert (health.failures, health.failing_since, health.last_success_at is not None) == (0, None, True)


def test_a_server_heard_from_gets_what_waits_for_it_at_once(
    community: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with remote_node() as node:
        follower(community, node, "alice")
        host = node.host
    publish(community, django_capture_on_commit_callbacks)  # nobody listens: it waits for a retry
    waiting = Delivery.objects.get()
    Delivery.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now() + timedelta(hours=10))
    sending.host_heard_from(host=host)  # a verified activity came from it
    waiting.refresh_from_db()
    assert waiting.next_attempt_at <= timezone.now()
    assert RemoteHost.objects.get(host=host).failures == 0


def test_a_node_that_was_down_gets_everything_when_it_is_back(
    community: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with remote_node() as node:
        follower(community, node, "alice")
        port = node.server_address[1]
    publish(community, django_capture_on_commit_callbacks)  # nobody listens on the port
    publish(community, django_capture_on_commit_callbacks)
    first, second = Delivery.objects.order_by("pk")
    assert first.state == Delivery.State.PENDING and first.last_error.startswith("failed")
    assert second.attempts == 0  # behind the first in its host's queue: not attempted
    # The clock's own job (registrations.py), as `dualpower serve` ticks it each minute.
    tick = {job.name: job.run for job in clock.jobs()}["federation.deliveries"]
    with remote_node(port) as back:
        with django_capture_on_commit_callbacks(execute=True):
            assert tick(timezone.now() + timedelta(minutes=2)) == "1 hosts queued"
        # The first getting through, the host's queue goes on: the second follows in the same job.
        assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.DELIVERED}
        assert [p.json["id"] for p in back.posted] == list(
            OutboundActivity.objects.order_by("pk").values_list("uri", flat=True)
        )


def test_when_the_breaker_time_is_up_one_delivery_probes_the_host(
    community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    follower(community, node, "alice")
    node.inbox_status = 500
    for _ in range(3):
        publish(community, django_capture_on_commit_callbacks)
    posts = len(node.posted)
    now = timezone.now()
    RemoteHost.objects.filter(host=node.host).update(failures=5, retry_after=now - timedelta(seconds=1))
    Delivery.objects.update(next_attempt_at=now - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.deliveries_due(now) == "1 hosts queued"
    assert len(node.posted) == posts + 1
    reopened = RemoteHost.objects.get(host=node.host).retry_after
    assert reopened is not None and reopened > now  # the probe failed: open again


def test_an_operator_retry_of_a_dead_letter_delivers_it(
    community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    follower(community, node, "alice")
    node.inbox_status = 404
    publish(community, django_capture_on_commit_callbacks)
    node.inbox_status = 202
    with django_capture_on_commit_callbacks(execute=True):
        delivery.delivery_retry(delivery=only_delivery())
    assert only_delivery().state == Delivery.State.DELIVERED and len(node.posted) == 2


def test_a_blocked_host_is_sent_nothing(
    community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    follower(community, node, "alice")
    RemoteHost.objects.create(host=node.host, blocked_at=timezone.now())
    publish(community, django_capture_on_commit_callbacks)
    assert not Delivery.objects.exists() and not node.posted


def test_a_job_queued_with_an_old_lease_sends_nothing_while_the_head_waits(
    community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    follower(community, node, "alice")
    node.inbox_status = 500
    publish(community, django_capture_on_commit_callbacks)
    stale = timezone.now() - timedelta(hours=1)
    assert "waits for a retry" in sending.host_send(host=node.host, lease=stale)
    assert len(node.posted) == 1 and only_delivery().attempts == 1


@pytest.mark.parametrize("attempts", range(1, 20))
def test_the_backoff_doubles_within_its_jitter_and_is_capped(attempts: int) -> None:
    base = min(timedelta(minutes=1) * 2 ** (attempts - 1), timedelta(hours=12))
    for seed in range(50):
        wait = sending.backoff(attempts, rng=random.Random(seed))
        assert base * 0.8 <= wait <= min(base * 1.2, timedelta(hours=12))


def note_activity(community: Any, n: int) -> dict[str, Any]:
    return activities.activity_build(
        kind="Create",
        community=community,
        object={"id": f"{ids.community_actor_id(community)}/notes/{n}", "type": "Note"},
        to=[activities.PUBLIC],
    )


def test_activities_reach_a_host_in_the_order_they_were_published(
    community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    follower(community, node, "alice")
    node.inbox_status = 503
    with django_capture_on_commit_callbacks(execute=True):
        a1 = delivery.activity_publish(
            community=community, activity=note_activity(community, 1), audience="public"
        )
    with django_capture_on_commit_callbacks(execute=True):
        a2 = delivery.activity_publish(
            community=community, activity=note_activity(community, 2), audience="public"
        )
    first, second = Delivery.objects.order_by("pk")
    # A1 waits for its retry; A2's own job ran, but A2 waits behind it, not attempted.
    assert (first.attempts, first.next_attempt_at > timezone.now()) == (1, True)
    assert (second.state, second.attempts, second.last_error) == (Delivery.State.PENDING, 0, "")
    assert [p.json["id"] for p in node.posted] == [a1.uri]
    # Nothing is sent while A1 waits, whoever asks.
    assert "waits for a retry" in sending.host_send(host=node.host)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.deliveries_due(timezone.now()) == ""
    assert len(node.posted) == 1
    # A1's retry due and the host back: A1, then A2.
    node.inbox_status = 202
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.deliveries_due(first.next_attempt_at) == "1 hosts queued"
    assert [p.json["id"] for p in node.posted] == [a1.uri, a1.uri, a2.uri]
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.DELIVERED}


def test_a_dead_letter_releases_the_deliveries_behind_it(
    community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    follower(community, node, "alice")
    node.inbox_status = 503
    with django_capture_on_commit_callbacks(execute=True):
        a1 = delivery.activity_publish(
            community=community, activity=note_activity(community, 1), audience="public"
        )
    with django_capture_on_commit_callbacks(execute=True):
        a2 = delivery.activity_publish(
            community=community, activity=note_activity(community, 2), audience="public"
        )
    first, second = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk=first.pk).update(attempts=sending.MAX_ATTEMPTS - 1)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.deliveries_due(first.next_attempt_at)  # its last attempt fails: given up
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.last_error) == (Delivery.State.DEAD, "gave up: HTTP 503")
    assert (second.state, second.attempts) == (Delivery.State.PENDING, 1)  # tried at once after it
    assert [p.json["id"] for p in node.posted] == [a1.uri, a1.uri, a2.uri]


def far_followers(community: Any, start: int, count: int) -> None:
    """``count`` followers, each on a server of its own (a delivery each)."""
    now = timezone.now()
    actors = RemoteActor.objects.bulk_create(
        RemoteActor(
            uri=f"https://s{i}.example/users/u",
            host=f"s{i}.example",
            kind="Person",
            inbox=f"https://s{i}.example/users/u/inbox",
            shared_inbox=f"https://s{i}.example/inbox",
            fetched_at=now,
        )
        for i in range(start, start + count)
    )
    Follower.objects.bulk_create(
        Follower(community=community, actor=actor, follow_id=f"{actor.uri}/follows/1") for actor in actors
    )


def test_one_job_per_activity_whatever_the_followers(
    community: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks import task_backends
    from django_tasks.backends.dummy import DummyBackend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    counts = []
    for n, (start, count) in enumerate([(0, 3), (3, 300)]):
        far_followers(community, start, count)
        backend = task_backends["default"]
        assert isinstance(backend, DummyBackend)
        queued = backend.results
        before = len(queued)
        with django_capture_on_commit_callbacks(execute=True):
            made = delivery.activity_publish(
                community=community, activity=note_activity(community, n), audience="public"
            )
        counts.append([r.task.name for r in queued[before:]])
        assert Delivery.objects.filter(activity=made).count() == start + count
    assert counts == [["activity_send"], ["activity_send"]]


def test_publishing_costs_the_same_queries_for_10_or_200_followers(
    community: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n, (start, count) in enumerate([(0, 10), (10, 190)]):
        far_followers(community, start, count)
        with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as queries:
            made = delivery.activity_publish(
                community=community, activity=note_activity(community, n), audience="public"
            )
        counts.append(len(queries.captured_queries))
        assert Delivery.objects.filter(activity=made, state=Delivery.State.PENDING).count() == start + count
    assert counts[0] == counts[1], counts
    row = Delivery.objects.filter(host="s7.example").latest("pk")
    assert (row.inbox, row.attempts, row.last_error) == ("https://s7.example/inbox", 0, "")


def test_a_fan_out_killed_midway_is_finished_by_the_clock(
    community: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with remote_node() as one, remote_node() as two, remote_node() as three:
        for node in (one, two, three):
            follower(community, node, "alice")
        with django_capture_on_commit_callbacks(execute=False):  # its job never runs...
            made = delivery.activity_publish(
                community=community, activity=note_activity(community, 1), audience="public"
            )
        sending.host_send(host=one.host)  # ...or dies: after one host, and while taking the second
        taken, _why = sending._claim(two.host, lease=None, now=timezone.now())
        assert taken is not None and len(one.posted) == 1 and not two.posted
        # Within the lease the clock leaves them to the job that may still run.
        with django_capture_on_commit_callbacks(execute=True):
            assert jobs.deliveries_due(timezone.now()) == ""
        # After it, the clock finishes the fan-out: each inbox once.
        with django_capture_on_commit_callbacks(execute=True):
            assert (
                jobs.deliveries_due(timezone.now() + sending.LEASE + timedelta(seconds=1)) == "2 hosts queued"
            )
        assert [len(node.posted) for node in (one, two, three)] == [1, 1, 1]
        assert {p.json["id"] for node in (one, two, three) for p in node.posted} == {made.uri}
        assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.DELIVERED}


@pytest.mark.db_sensitive
def test_two_workers_on_one_host_send_each_delivery_once_in_order(
    transactional_db: None, community: Any, node: RemoteNode, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    for name in ("alice", "bob", "carol"):  # no shared inbox: three inboxes on one host
        actor = follower(community, node, name)
        RemoteActor.objects.filter(pk=actor.pk).update(shared_inbox="")
    uris = [
        delivery.activity_publish(
            community=community, activity=note_activity(community, n), audience="public"
        ).uri
        for n in range(4)
    ]  # committed, not sent
    start = threading.Barrier(2)
    results: list[str] = []

    def worker() -> None:
        from django.db import connection

        start.wait()
        try:
            results.append(sending.host_send(host=node.host))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert set(Delivery.objects.values_list("state", "attempts")) == {(Delivery.State.DELIVERED, 1)}
    posted = [(p.path, p.json["id"]) for p in node.posted]
    assert len(posted) == len(set(posted)) == 12  # each delivery once
    assert [uri for _path, uri in posted] == sorted(uris * 3, key=uris.index)  # activity by activity
