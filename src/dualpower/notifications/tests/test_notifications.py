"""Notifications: told once in the app and once by email, and only ever to oneself."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from dualpower.members.tests.factories import make_membership
from dualpower.notifications.models import Notification
from dualpower.notifications.services import notification_send
from dualpower.notifications.tasks import send_notification_emails

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_recipient_is_notified_once_in_the_app_and_by_email(community: Any) -> None:
    a, b = make_membership(community), make_membership(community)
    assert a.user is not None and b.user is not None
    with transaction.atomic():
        told = notification_send(
            recipients=[a, b, a.user],
            community=community,
            kind="test.hello",
            title="A vote opened",
            url="/c/x/",
        )
    assert told == 2
    assert Notification.objects.filter(kind="test.hello").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.user.email, b.user.email])
    assert not Notification.objects.filter(emailed_at=None).exists()


def test_a_retried_email_job_sends_nothing_twice(community: Any) -> None:
    a = make_membership(community)
    with transaction.atomic():
        notification_send(recipients=[a], community=community, kind="test.once", title="Hello")
    ids = list(Notification.objects.values_list("pk", flat=True))
    send_notification_emails.call(ids)
    assert len(mail.outbox) == 1


def test_nobody_is_told_when_the_change_is_rolled_back(community: Any) -> None:
    a = make_membership(community)
    with pytest.raises(RuntimeError), transaction.atomic():
        notification_send(recipients=[a], community=community, kind="test.rollback", title="Never")
        raise RuntimeError
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_link_to_another_site_is_refused(community: Any) -> None:
    with pytest.raises(ValueError):
        notification_send(recipients=[], community=community, kind="x", title="x", url="https://evil.example")


def test_my_notifications_page_and_api_show_only_mine(community: Any) -> None:
    me, other = make_membership(community), make_membership(community)
    with transaction.atomic():
        notification_send(recipients=[me], community=community, kind="t", title="For me", email=False)
        notification_send(
            recipients=[other], community=community, kind="t", title="For the other", email=False
        )
    client = Client()
    assert me.user is not None
    client.force_login(me.user)
    page = client.get("/me/notifications/").content.decode()
    assert "For me" in page and "For the other" not in page
    listed = client.get("/api/v1/me/notifications").json()
    assert [n["title"] for n in listed["items"]] == ["For me"]
    other_id = Notification.objects.get(user=other.user).pk
    assert client.post(
        "/api/v1/me/notifications/read", {"ids": [other_id]}, content_type="application/json"
    ).json() == {"marked": 0}
    assert Notification.objects.get(user=other.user).read_at is None
    assert client.post("/me/notifications/read/").status_code == 302
    assert Notification.objects.get(user=me.user).read_at is not None


def test_anonymous_visitors_are_sent_to_sign_in() -> None:
    client = Client()
    assert client.get("/me/notifications/").status_code == 302
    assert client.get("/api/v1/me/notifications").status_code == 401
