"""A fan-out: one row in the sender's transaction, everyone in the audience told after the commit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from dualpower.members import selectors as member_selectors
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership
from dualpower.notifications import audiences
from dualpower.notifications.models import Fanout, Notification
from dualpower.notifications.services import notification_fanout

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def everyone(monkeypatch: pytest.MonkeyPatch, community: Any) -> str:
    """An audience for these tests: every member of ``community``, recorded by its id."""

    def members(community_id: int) -> QuerySet[Membership]:
        if community_id != community.pk:
            return member_selectors.memberships_with_ids(ids=[])
        return member_selectors.members_of(community=community)

    monkeypatch.setitem(audiences._registry, "test.everyone", members)
    return "test.everyone"


def test_everyone_in_the_audience_is_told_once_after_the_commit(community: Any, everyone: str) -> None:
    people = [make_membership(community) for _ in range(3)]
    with transaction.atomic():
        notification_fanout(
            audience=everyone,
            ref=community.pk,
            community=community,
            kind="test.fanout",
            title=gettext_lazy("Meeting scheduled"),
            url="/c/x/",
        )
        assert not Notification.objects.exists()  # nothing written inside the sender's transaction
    told = sorted(Notification.objects.filter(kind="test.fanout").values_list("user_id", flat=True))
    assert told == sorted(m.user.pk for m in people if m.user)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.user.email for m in people if m.user)
    assert Fanout.objects.get().done_at is not None


def test_nobody_is_told_when_the_change_is_rolled_back(community: Any, everyone: str) -> None:
    make_membership(community)
    with pytest.raises(RuntimeError), transaction.atomic():
        notification_fanout(audience=everyone, ref=community.pk, community=community, kind="t", title="Never")
        raise RuntimeError
    assert not Fanout.objects.exists() and not Notification.objects.exists()
    assert mail.outbox == []


def test_an_unknown_audience_or_a_link_elsewhere_is_refused(community: Any, everyone: str) -> None:
    with pytest.raises(ValueError, match="audience"):
        notification_fanout(audience="test.nobody", ref=1, community=community, kind="t", title="x")
    with pytest.raises(ValueError, match="node"):
        notification_fanout(
            audience=everyone,
            ref=community.pk,
            community=community,
            kind="t",
            title="x",
            url="https://x.example",
        )
    assert not Fanout.objects.exists()


def test_a_fan_out_whose_job_never_ran_is_finished_by_the_clock(
    community: Any, everyone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta
    from types import SimpleNamespace

    from django.utils import timezone

    from dualpower import clock
    from dualpower.notifications import tasks

    people = [make_membership(community) for _ in range(3)]
    # The process dies between the commit and queueing the job: the row is there, the job is not.
    monkeypatch.setattr(tasks, "fanout_run", SimpleNamespace(enqueue=lambda *_a, **_k: None))
    with transaction.atomic():
        notification_fanout(audience=everyone, ref=community.pk, community=community, kind="t", title="Hi")
    assert not Notification.objects.exists()
    fanout = Fanout.objects.get()
    assert "notifications.fanouts" in {job.name for job in clock.jobs()}
    assert tasks.fanouts_finish(timezone.now()) == "fan-outs finished 0, told 0"  # a queued job may still run
    later = fanout.created_at + tasks.STRANDED_AFTER + timedelta(seconds=1)
    assert tasks.fanouts_finish(later) == "fan-outs finished 1, told 3"
    told = sorted(Notification.objects.values_list("user_id", flat=True))
    assert told == sorted(m.user.pk for m in people if m.user)
    assert tasks.fanouts_finish(later) == "fan-outs finished 0, told 0"  # once
