"""`dualpower federation status|block|unblock|retry`, called as the command line calls them."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.utils import timezone

from dualpower.cli import main as dualpower
from dualpower.community.models import AuditEntry
from dualpower.errors import DomainError
from dualpower.federation import cli
from dualpower.federation.models import Delivery, OutboundActivity, RemoteHost

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _deliveries_stay_queued(settings: Any) -> None:
    # A retried delivery is queued, not attempted: these hosts do not exist.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def letter(host: str, state: str = Delivery.State.DEAD) -> Delivery:
    activity = OutboundActivity.objects.create(
        uri=f"http://testserver/ap/activities/{uuid.uuid4()}", kind="Create", audience="public", data={}
    )
    return Delivery.objects.create(
        activity=activity,
        inbox=f"https://{host}/inbox",
        host=host,
        state=state,
        next_attempt_at=timezone.now(),
        last_error="HTTP 503" if state == Delivery.State.DEAD else "",
    )


def test_status_counts_and_exits_1_while_there_are_dead_letters(capsys: Any) -> None:
    assert cli.main(["status"]) == 0
    assert "deliveries: 0 pending, 0 delivered, 0 dead" in capsys.readouterr().out
    dead = letter("down.example")
    letter("up.example", Delivery.State.PENDING)
    RemoteHost.objects.create(
        host="down.example", failures=9, failing_since=timezone.now(), unavailable_since=timezone.now()
    )
    assert cli.main(["status"]) == 1
    out = capsys.readouterr().out
    assert "deliveries: 1 pending, 0 delivered, 1 dead" in out
    assert "hosts: 0 blocked, 1 failing, 1 unavailable" in out
    assert f"dead letter {dead.pk} to down.example: HTTP 503" in out


def test_block_and_unblock_through_the_dualpower_command(capsys: Any) -> None:
    waiting = letter("bad.example", Delivery.State.PENDING)
    assert dualpower(["federation", "block", "Bad.Example", "--reason", "spam"]) == 0
    assert "bad.example is blocked." in capsys.readouterr().out
    host = RemoteHost.objects.get()
    assert host.blocked_at is not None and host.block_reason == "spam"
    assert not Delivery.objects.filter(pk=waiting.pk).exists()
    assert AuditEntry.objects.get(action="federation.host_block").data["reason"] == "spam"
    # Blocking twice, or something that is not a server's name: one sentence, exit status 2.
    assert dualpower(["federation", "block", "bad.example"]) == 2
    assert dualpower(["federation", "block", "not a host"]) == 2
    assert "Type a server's name" in capsys.readouterr().err
    assert dualpower(["federation", "unblock", "bad.example"]) == 0
    host.refresh_from_db()
    assert host.blocked_at is None
    assert dualpower(["federation", "unblock", "bad.example"]) == 2


def test_retry_one_or_all_but_never_to_a_blocked_host(capsys: Any) -> None:
    one, two = letter("down.example"), letter("down.example")
    to_blocked = letter("bad.example")
    RemoteHost.objects.create(host="bad.example", blocked_at=timezone.now())
    assert cli.main(["retry", str(one.pk)]) == 0
    one.refresh_from_db()
    assert one.state == Delivery.State.PENDING
    assert cli.main(["retry", "--all"]) == 0
    assert "1 dead letters are being sent again." in capsys.readouterr().out
    two.refresh_from_db()
    to_blocked.refresh_from_db()
    assert (two.state, to_blocked.state) == (Delivery.State.PENDING, Delivery.State.DEAD)
    for argv in (["retry"], ["retry", "--all", "1"], ["retry", str(one.pk)], ["nothing"]):
        # Bad input, or a letter no longer dead: a DomainError, which `dualpower` prints as one line.
        with pytest.raises(DomainError):
            cli.main(argv)
