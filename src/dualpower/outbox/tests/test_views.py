"""The page "Mail sent from this node" and its panel on the dashboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db
PAGE = "/c/riverside/mail/"
DASHBOARD = "/c/riverside/"
EXPECTED = {
    "anonymous": 302,
    "applicant": 403,
    "outsider": 403,
    "observer": 403,
    "member": 403,
    "coordinator": 200,
}
DAY = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def send(subject: str, body: str, to: list[str], *, days: int = 0, html: str = "") -> None:
    """Send one email through its own connection (its own file), dated ``days`` after DAY."""
    message = mail.EmailMultiAlternatives(
        subject, body, to=to, headers={"Date": format_datetime(DAY + timedelta(days=days))}
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@pytest.mark.parametrize("role", ROLES)
def test_only_a_coordinator_opens_the_page(client_for: Any, mail_folder: Path, role: str) -> None:
    assert client_for(role).get(PAGE).status_code == EXPECTED[role]


def test_a_node_with_a_mail_server_has_no_such_page(client_for: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    response = client_for("coordinator").get(PAGE)
    assert response.status_code == 404
    assert "keeps no copies" in response.content.decode()


def test_the_newest_mail_comes_first_with_its_subject_recipients_date_and_body(
    client_for: Any, mail_folder: Path
) -> None:
    send(
        "[dualpower] Confirm your email",
        "Open http://127.0.0.1:8000/accounts/confirm-email/Mg:1/ to confirm.",
        ["lee@example.org"],
    )
    send(
        "[dualpower] A vote closes in two days",
        "You have not voted yet.",
        ["rosa@example.org", "ana@example.org"],
        days=2,
    )
    send(
        "[dualpower] Reunión mañana",
        "Nos vemos <en> el salón.",
        ["jo@example.org"],
        days=1,
        html="<p>Nos vemos en el salón.</p>",
    )
    html = client_for("coordinator").get(PAGE).content.decode()
    order = [html.index(s) for s in ("A vote closes in two days", "Reunión mañana", "Confirm your email")]
    assert order == sorted(order)
    assert "rosa@example.org, ana@example.org" in html
    assert 'datetime="2026-12-03T09:30:00+00:00"' in html
    # The plain text is shown (not the HTML part), escaped, with its links clickable.
    assert "Nos vemos &lt;en&gt; el salón." in html
    assert '<a href="http://127.0.0.1:8000/accounts/confirm-email/Mg:1/"' in html


def test_an_empty_folder_says_so(client_for: Any, mail_folder: Path) -> None:
    assert "No mail has been sent yet." in client_for("coordinator").get(PAGE).content.decode()


def test_only_the_newest_are_shown_when_the_folder_is_long(
    client_for: Any, mail_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dualpower.outbox import views

    monkeypatch.setattr(views, "LIMIT", 3)
    for day in range(5):
        send(f"Message of day {day}", "…", ["a@example.org"], days=day)
    html = client_for("coordinator").get(PAGE).content.decode()
    assert "Message of day 4" in html and "Message of day 2" in html
    assert "Message of day 1" not in html
    assert "The 3 newest messages are shown" in html


def test_the_page_costs_the_same_queries_whatever_the_number_of_messages(
    client_for: Any, mail_folder: Path
) -> None:
    client = client_for("coordinator")
    send("One", "first", ["a@example.org"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGE).status_code == 200
    for day in range(1, 21):
        send(f"Message {day}", "more", ["a@example.org"], days=day)
    with CaptureQueriesContext(connection) as many:
        assert client.get(PAGE).status_code == 200
    assert len(many) <= len(few) <= 8, [q["sql"] for q in many.captured_queries]


def test_the_page_is_in_spanish_for_a_spanish_reader(client_for: Any, mail_folder: Path) -> None:
    html = client_for("coordinator").get(PAGE, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Correo enviado desde este nodo" in html
    assert "Mail sent from this node" not in html


def test_the_coordinators_dashboard_leads_to_the_mail(client_for: Any, mail_folder: Path) -> None:
    send("[dualpower] Confirm your email", "…", ["lee@example.org"])
    html = client_for("coordinator").get(DASHBOARD).content.decode()
    assert "Mail sent from this node" in html
    assert f'href="{PAGE}"' in html
    assert "Confirm your email" in html


@pytest.mark.parametrize("role", ["observer", "member"])
def test_members_dashboards_do_not(client_for: Any, mail_folder: Path, role: str) -> None:
    html = client_for(role).get(DASHBOARD).content.decode()
    assert PAGE not in html


def test_the_coordinators_dashboard_does_not_when_the_node_has_a_mail_server(
    client_for: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert PAGE not in client_for("coordinator").get(DASHBOARD).content.decode()
