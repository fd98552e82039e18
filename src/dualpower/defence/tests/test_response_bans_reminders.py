"""The ban list against spam reports and the rate limit on intake; court-date reminders to the
case worker (a clock job)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dualpower.defence.models.response import Incident, ReporterBan
from dualpower.defence.services import response_bans as bans
from dualpower.defence.services import response_cases as cases
from dualpower.defence.services import response_incidents as incidents
from dualpower.defence.services.response_bans import ReportRefused
from dualpower.defence.tests.factories_response import DefenceWorld, report
from dualpower.errors import InvalidInput
from dualpower.notifications.models import Notification
from dualpower.notifications.selectors import notifications_count

pytestmark = pytest.mark.django_db
NUMBER = "+34 612 345 678"


def _refused(world: DefenceWorld, **kw: Any) -> str:
    before = Incident.objects.count()
    with pytest.raises(ReportRefused) as refused:
        report(world, **kw)
    assert Incident.objects.count() == before  # nothing written
    assert refused.value.status == 429
    return refused.value.detail


def test_banned_reporters_are_refused_with_one_neutral_sentence(world: DefenceWorld) -> None:
    # A hotline caller's number is kept only as a keyed hash: never its digits.
    spam = report(world, caller=NUMBER)
    assert spam.caller_hash and "612345678" not in spam.caller_hash
    # Banned by the report's code (what a verifier gives the coordinators): the caller, not the
    # hotline volunteer who typed the report.
    ban = bans.reporter_ban(community=world.community, by=world.coordinator, incident_code=spam.code.lower())
    assert (ban.membership, ban.caller_hash) == (None, spam.caller_hash)
    sentence = _refused(world, caller="+34-612-345-678")
    assert "banned" not in sentence.lower()
    report(world, caller="+34 699 000 111")  # another caller still gets through
    report(world)  # and so does the volunteer's own report
    # A member banned: the same sentence, whatever they report.
    member_ban = bans.reporter_ban(community=world.community, by=world.coordinator, membership=world.member)
    assert _refused(world) == sentence
    assert _refused(world, caller="+34 699 000 222") == sentence
    bans.reporter_unban(ban=member_ban, by=world.coordinator)
    report(world)
    # Bad or doubtful input is refused with a sentence, nothing written.
    for wrong in (
        {},
        {"membership": world.member, "number": NUMBER},
        {"number": "call me"},
        {"incident_code": "ZZZ-ZZZ"},
        {"membership": world.coordinator},
    ):
        with pytest.raises(InvalidInput):
            bans.reporter_ban(community=world.community, by=world.coordinator, **wrong)
    with pytest.raises(InvalidInput):
        report(world, caller="12")
    assert ReporterBan.objects.count() == 1


def test_intake_holds_each_reporter_to_a_rate(world: DefenceWorld, monkeypatch: Any) -> None:
    monkeypatch.setattr(bans, "MEMBER_PER_HOUR", 2)
    sentence = bans.ReportRefused().detail
    for _ in range(bans.CALLER_PER_HOUR):
        report(world, caller=NUMBER)
    assert _refused(world, caller=NUMBER) == sentence
    report(world)
    report(world)  # the volunteer's own reports count apart from the callers'
    assert _refused(world) == sentence
    later = timezone.now() + bans.RATE_WINDOW + dt.timedelta(minutes=1)
    assert report(world, caller=NUMBER, now=later, seen_at=later)


def test_the_ban_list_page_and_the_api(client: Any, world: DefenceWorld) -> None:
    # The verifier who closes a spam report is told how to get its sender banned.
    spam = incidents.incident_false_alarm(incident=report(world, caller=NUMBER), by=world.verifier)
    client.force_login(world.verifier.user)
    page = client.get(reverse("defence:incident", args=[world.community.slug, spam.code])).content.decode()
    assert spam.code in page and "intake ban list" in page
    url = reverse("defence:bans", args=[world.community.slug])
    client.force_login(world.member.user)
    assert client.get(url).status_code == 403
    client.force_login(world.coordinator.user)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    answer = client.post(url, {"number": NUMBER})
    assert answer.status_code == 302
    bans.reporter_ban(community=world.community, by=world.coordinator, membership=world.responder)
    with CaptureQueriesContext(connection) as more:
        page = client.get(url).content.decode()
    assert len(more) == len(few)
    assert "A caller&#x27;s number" in page or "A caller's number" in page
    assert "612" not in page and world.responder.display_name in page
    refused = client.post(url, {"number": "call me"})
    assert refused.status_code == 400 and "6 to 15 digits" in refused.content.decode()
    # The API's intake refuses a banned caller with the same sentence, as a 429.
    client.force_login(world.member.user)
    api = f"/api/v1/communities/{world.community.slug}/defence/incidents"
    answer = client.post(
        api, {"kind": "raid", "area": "North", "caller": NUMBER}, content_type="application/json"
    )
    assert answer.status_code == 429 and answer.json()["code"] == "report_refused"
    # Lifting a ban.
    client.force_login(world.coordinator.user)
    ban = ReporterBan.objects.get(membership=world.responder)
    client.post(reverse("defence:ban_remove", args=[world.community.slug, ban.pk]))
    assert not ReporterBan.objects.filter(pk=ban.pk).exists()


def test_the_case_worker_is_reminded_once_before_each_court_date(world: DefenceWorld) -> None:
    now = timezone.now()
    case = cases.case_open(
        community=world.community,
        by=world.coordinator,
        household="HH-7",
        landlord="Crestline",
        case_worker=world.responder,
    )
    soon = cases.court_date_add(
        case=case, by=world.coordinator, at=now + dt.timedelta(hours=20), vigil_places=0, support_places=0
    )
    later = cases.court_date_add(
        case=case, by=world.coordinator, at=now + dt.timedelta(days=3), vigil_places=0, support_places=0
    )
    unassigned = cases.case_open(
        community=world.community, by=world.coordinator, household="HH-8", landlord="L"
    )
    cases.court_date_add(
        case=unassigned,
        by=world.coordinator,
        at=now + dt.timedelta(hours=2),
        vigil_places=0,
        support_places=0,
    )

    assert cases.court_reminders_job(now) == "1 court date reminders sent to case workers"
    told = Notification.objects.filter(kind="defence.court_date")
    assert [n.user_id for n in told] == [world.responder.user_id]
    assert "HH-7" in told[0].title_text and told[0].url.endswith(f"/evictions/{case.pk}/")
    assert "Crestline" not in told[0].title_text  # no landlord, place or time in a message
    assert cases.court_reminders_due(now + dt.timedelta(minutes=1)) == 0  # once
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminded_at is not None and later.reminded_at is None
    assert cases.court_reminders_due(now + dt.timedelta(days=2, hours=1)) == 1
    assert Notification.objects.filter(kind="defence.court_date").count() == 2
    # The seizure page's selector counts them by kind or by link.
    board = f"/c/{world.community.slug}/defence/evictions/"
    assert notifications_count(community=world.community, url_prefixes=[board]) == 2
    assert notifications_count(community=world.community, kind_prefixes=["defence.court"]) == 2
    assert notifications_count(community=world.community) == 0
