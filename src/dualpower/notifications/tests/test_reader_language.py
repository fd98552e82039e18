"""A notification reads in its reader's language, whatever language it was sent in (issue 13).

``notification_send`` keeps the untranslated message and its values; the page, the API and the
email translate them when read: the page and the API in the request's language, the email in the
recipient's ``preferred_language``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext_lazy, ngettext_lazy, pgettext_lazy

from dualpower.members.tests.factories import make_membership
from dualpower.notifications.models import Notification
from dualpower.notifications.services import notification_send, text
from dualpower.notifications.text import render

pytestmark = pytest.mark.django_db(transaction=True)

MOMENT = dt.datetime(2026, 12, 12, 18, 30, tzinfo=dt.UTC)


def _send(recipients: list[Any], community: Any, *, email: bool = True) -> None:
    with transaction.atomic():
        notification_send(
            recipients=recipients,
            community=community,
            kind="test.scheduled",
            title=text(gettext_lazy("Meeting scheduled: %(title)s"), title="Budget night"),
            body=text(gettext_lazy("%(assembly)s meets on %(when)s."), assembly="Riverside", when=MOMENT),
            url="/c/riverside/",
            email=email,
        )


def _spanish_reader(community: Any) -> Any:
    reader = make_membership(community)
    assert reader.user is not None
    reader.user.preferred_language = "es"
    reader.user.save(update_fields=["preferred_language"])
    return reader


def test_sent_in_english_it_reads_in_spanish_on_the_page_the_api_and_the_email(community: Any) -> None:
    reader = _spanish_reader(community)
    with translation.override("en"):
        _send([reader], community)
    note = Notification.objects.get()
    assert note.title_msgid == "Meeting scheduled: %(title)s"
    assert note.title == "Meeting scheduled: Budget night"  # the plain column: as the sender said it

    (email,) = mail.outbox
    assert email.subject == "[dualpower] Reunión programada: Budget night"
    assert "Riverside" in email.body and "Meeting" not in email.body and "meets on" not in email.body
    assert "dic" in email.body  # the moment written the Spanish way ("sáb 12 dic 2026, ...")

    client = Client()
    client.force_login(reader.user)
    spanish = client.get("/me/notifications/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Reunión programada: Budget night" in spanish and "Meeting scheduled" not in spanish
    english = client.get("/me/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Meeting scheduled: Budget night" in english and "Riverside meets on" in english
    (item,) = client.get("/api/v1/me/notifications", HTTP_ACCEPT_LANGUAGE="es").json()["items"]
    assert item["title"] == "Reunión programada: Budget night"
    assert "Riverside" in item["body"] and "meets on" not in item["body"]


def test_sent_while_spanish_is_active_it_still_reads_in_english_for_an_english_reader(community: Any) -> None:
    reader = make_membership(community)
    with translation.override("es"):
        _send([reader], community)
    assert Notification.objects.get().title_msgid == "Meeting scheduled: %(title)s"
    (email,) = mail.outbox  # no preferred language: the node's (English)
    assert email.subject == "[dualpower] Meeting scheduled: Budget night"


def test_rows_stored_as_plain_text_still_show_as_they_were(community: Any) -> None:
    reader = make_membership(community)
    assert reader.user is not None
    Notification.objects.create(
        user=reader.user, community=community, kind="old", title="An old title", body="Old."
    )
    with transaction.atomic():
        notification_send(
            recipients=[reader], community=community, kind="t", title="A plain str", email=False
        )
    client = Client()
    client.force_login(reader.user)
    page = client.get("/me/notifications/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "An old title" in page and "Old." in page and "A plain str" in page
    items = client.get("/api/v1/me/notifications", HTTP_ACCEPT_LANGUAGE="es").json()["items"]
    assert sorted(i["title"] for i in items) == ["A plain str", "An old title"]


def test_the_api_keeps_its_shape(community: Any) -> None:
    reader = make_membership(community)
    _send([reader], community, email=False)
    client = Client()
    assert reader.user is not None
    client.force_login(reader.user)
    (item,) = client.get("/api/v1/me/notifications").json()["items"]
    assert set(item) == {"id", "kind", "title", "body", "url", "community", "created_at", "read_at"}
    assert item["title"] == "Meeting scheduled: Budget night" and item["community"] == "riverside"


def test_the_list_costs_the_same_queries_for_few_or_many_rows(community: Any) -> None:
    reader = make_membership(community)
    assert reader.user is not None
    client = Client()
    client.force_login(reader.user)

    def cost(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, HTTP_ACCEPT_LANGUAGE="es").status_code == 200
        return len(queries)

    _send([reader], community, email=False)
    few = cost("/me/notifications/"), cost("/api/v1/me/notifications")
    for _ in range(12):
        _send([reader], community, email=False)
    Notification.objects.create(user=reader.user, community=community, kind="old", title="Old")
    assert (cost("/me/notifications/"), cost("/api/v1/me/notifications")) == few


def test_text_keeps_the_untranslated_message_whatever_language_is_active() -> None:
    with translation.override("es"):
        plain = text(gettext_lazy("Meeting scheduled: %(title)s"), title="X")
        plural = text(ngettext_lazy("%(n)d hour", "%(n)d hours", "n"), n=3)
        counted = text(ngettext_lazy("%(n)d hour", "%(n)d hours", 1), n=1)
        context = text(pgettext_lazy("percent", "%(number)s%%"), number="20")
        nested = text("%(title)s (%(code)s)", title=gettext_lazy("Notifications"), code="R-1", when=MOMENT)
    assert plain.spec() == {"msgid": "Meeting scheduled: %(title)s", "values": {"title": "X"}}
    assert plural.spec() == {
        "msgid": "%(n)d hour",
        "plural": "%(n)d hours",
        "number": "n",
        "values": {"n": 3},
    }
    assert counted.spec()["plural"] == "%(n)d hours" and counted.spec()["number"] == 1
    assert context.spec()["context"] == "percent" and context.spec()["msgid"] == "%(number)s%%"
    assert nested.spec()["values"]["title"] == {"text": {"msgid": "Notifications"}}
    assert nested.spec()["values"]["when"] == {"datetime": MOMENT.isoformat()}
    with translation.override("en"):
        assert str(plural) == "3 hours" and str(counted) == "1 hour"
        assert str(nested).startswith("Notifications (R-1)")
    with translation.override("es"):
        assert str(nested) == "Notificaciones (R-1)"
        assert str(plain) == "Reunión programada: X"


def test_a_translation_that_does_not_fit_its_values_falls_back_to_the_original() -> None:
    assert render({"msgid": "Hello %(name)s", "values": {"other": "x"}}) == "Hello %(name)s"
    assert render({"msgid": "Hello %(name)s", "values": {"name": "Ana"}}) == "Hello Ana"
