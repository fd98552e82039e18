"""The page "What a seizure would reveal" tells the truth: what it says is what the raw file holds."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dualpower import holdings
from dualpower.aid import jobs
from dualpower.aid import services as aid
from dualpower.aid.tests.conftest import TEST_KEY
from dualpower.aid.tests.factories import SECRET_ADDRESS, SECRET_HEALTH, AidRequestFactory, make_world
from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401
from dualpower.defence.selectors.exposure import exposure_report
from dualpower.defence.services import response_cases as cases
from dualpower.defence.tests.raw_database import raw_contains, raw_count, raw_rows, sqlite_only
from dualpower.notifications.models import Notification
from dualpower.notifications.services import notification_send

# Tables of a registering app that hold nobody's data, and why; every other table must be on the page.
NOT_ABOUT_PEOPLE = {
    "aid_aidsettings": "the community's retention, stale period and distances between neighbourhoods",
    "defence_defencesettings": "the area cells intake offers, the retention, which rotas and group",
    "care_caresettings": "the community's retention for closed circles and which group is the health group",
}
REGISTERING_APPS = ("aid", "defence", "care")
FERNET_PREFIX = "gAAAAA"


@pytest.fixture(autouse=True)
def _aid_key(settings: Any) -> None:
    settings.DP_AID_KEY = TEST_KEY


def _page(client: Any, community: Any) -> str:
    response = client.get(reverse("defence:exposure", args=[community.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _shown_counts(html: str) -> dict[str, int]:
    return {
        key: int(re.sub(r"\D", "", value))
        for key, value in re.findall(r'data-count="([^"]+)">([^<]+)<', html)
    }


def raw_mismatches(community: Any) -> list[str]:
    """Where the registered holdings and the raw file (WAL included) disagree, in words."""
    found = []
    for reg, held in holdings.describe_all(community):
        for h in held:
            if not h.table:
                continue
            if h.community_column or h.rows_where:
                where = " AND ".join(
                    f"({part})"
                    for part in (
                        f"{h.community_column} = {int(community.pk)}" if h.community_column else "",
                        h.rows_where.format(community=int(community.pk)),
                    )
                    if part
                )
                on_disk = raw_count(h.table, where)
                if on_disk != h.count:
                    found.append(f"{reg.name}: {h.what}: the page says {h.count}, the disk holds {on_disk}")
            for column in h.sealed_columns:
                for (value,) in raw_rows(f'SELECT "{column}" FROM "{h.table}"'):  # noqa: S608 - names from models
                    if value and not str(value).startswith(FERNET_PREFIX):
                        found.append(f"{reg.name}: {h.table}.{column} holds something not sealed")
    return found


@sqlite_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_the_page_counts_what_the_raw_database_holds(
    community: Any, people: dict[str, Any], client_for: Any
) -> None:
    world = make_world(community, people)
    kept = AidRequestFactory.create(community=community, requester=world.member)
    closed = AidRequestFactory.create(
        community=community, requester=world.member, details={"address": "Ático B, Calle del Olvido 9"}
    )
    AidRequestFactory.create(community=community, requester=world.member, details={})
    aid.request_cancel(request=closed, by=world.member, reason="found help elsewhere")
    jobs.erase_expired(timezone.now() + timedelta(days=40))
    match = aid.match_accept(request=kept, volunteer=world.volunteer, offer=world.food_offer)
    assert match.pk
    # A court-date reminder (a defence notification) and one about something else, not counted.
    case = cases.case_open(
        community=community, by=world.member, household="HH-1", landlord="L", case_worker=world.member
    )
    cases.court_date_add(
        case=case, by=world.member, at=timezone.now() + timedelta(hours=2), vigil_places=0, support_places=0
    )
    assert cases.court_reminders_due(timezone.now()) == 1
    notification_send(
        recipients=[world.member], community=community, kind="assemblies.vote_opened", title="A vote"
    )

    html = _page(client_for("member"), community)

    assert raw_mismatches(community) == []
    report = exposure_report(community=community)
    shown = _shown_counts(html)
    for section in report.sections:
        for i, h in enumerate(section.holdings):
            assert shown[f"{section.name}:{i}"] == h.count, (section.name, h.what)
    aid_section = {str(h.what): h.count for h in next(s for s in report.sections if s.name == "aid").holdings}
    assert aid_section["Aid requests"] == 3
    assert aid_section["Matches between requests and volunteers"] == 1
    assert list(aid_section.values())[1] == 1  # sealed details: only the open request with details
    # Sealed means sealed on the disk: the details are nowhere in the file or its WAL.
    assert not raw_contains(SECRET_ADDRESS)
    assert not raw_contains(SECRET_HEALTH)
    assert not raw_contains("Calle del Olvido")
    # The audit log's entries about aid are counted, and said never to be erased.
    assert "append-only" in html
    # Notifications about aid and defence: counted (the raw check above agrees), said what they
    # hold and when they go; others are not counted.
    notified = next(s for s in report.sections if s.name == "notifications").holdings[0]
    about = Notification.objects.filter(community=community).exclude(kind__startswith="assemblies.")
    assert notified.count == about.count() >= 2
    assert about.filter(kind="defence.court_date").exists() and about.filter(kind__startswith="aid.").exists()
    assert (
        "when the person&#x27;s account is deleted" in html or "when the person's account is deleted" in html
    )


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_holding_that_lies_is_caught(community: Any) -> None:
    """The check above can fail: a registration that counts one too many disagrees with the disk."""

    def lying(c: Any) -> list[holdings.Holding]:
        return [
            holdings.Holding(
                what="Communities",
                count=2,
                sealed_with=None,
                readable_by_server_holder="",
                erased_when="",
                table="community_community",
                rows_where="id = {community}",
            )
        ]

    holdings.register("test.lying", lying)
    try:
        assert raw_mismatches(community) == ["test.lying: Communities: the page says 2, the disk holds 1"]
    finally:
        holdings._registry.pop("test.lying")


@sqlite_only
@pytest.mark.django_db
@pytest.mark.parametrize("app", REGISTERING_APPS)
def test_every_table_of_a_registering_app_is_on_the_page(community: Any, app: str) -> None:
    """A new table in aid or defence must say what it holds, or why it holds nobody's data."""
    on_page = {h.table for _reg, held in holdings.describe_all(community) for h in held if h.table}
    tables = {
        table
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
        for table in [model._meta.db_table]
    }
    on_disk = {name for (name,) in raw_rows("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables <= on_disk
    assert sorted(tables - on_page - set(NOT_ABOUT_PEOPLE)) == []


@pytest.mark.django_db
def test_the_page_asks_the_same_queries_for_few_and_many_requests(
    community: Any, people: dict[str, Any], client_for: Any, settings: Any
) -> None:
    world = make_world(community, people)
    client = client_for("member")

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            _page(client, community)
        return len(seen)

    for _ in range(3):
        AidRequestFactory.create(community=community, requester=world.member)
    few = queries()
    for _ in range(27):
        AidRequestFactory.create(community=community, requester=world.member)
    assert queries() == few


@pytest.mark.django_db
def test_the_page_says_where_the_aid_key_is(community: Any, people: dict[str, Any], client_for: Any) -> None:
    html = _page(client_for("observer"), community)
    assert "environment variable" in html  # the tests' key comes from settings, not a file
    # What the database does with an erased row, as this database does it.
    if connection.vendor == "sqlite":
        assert "overwritten with zeros" in html
    else:
        assert "VACUUM marks it free, it does not overwrite it" in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "applicant", "outsider"])
def test_who_is_not_admitted_is_refused(
    community: Any, people: dict[str, Any], client_for: Any, role: str
) -> None:
    response = client_for(role).get(reverse("defence:exposure", args=[community.slug]))
    assert response.status_code in {302, 401, 403}


@pytest.mark.django_db
def test_the_api_gives_the_same_report(community: Any, people: dict[str, Any], client_for: Any) -> None:
    world = make_world(community, people)
    AidRequestFactory.create(community=community, requester=world.member)
    url = f"/api/v1/communities/{community.slug}/defence/exposure"
    answer = client_for("member").get(url)
    assert answer.status_code == 200
    body = answer.json()
    aid_section = next(s for s in body["sections"] if s["name"] == "aid")
    assert aid_section["holdings"][0] == {
        "what": "Aid requests",
        "count": 1,
        "sealed_with": None,
        "readable_by_server_holder": aid_section["holdings"][0]["readable_by_server_holder"],
        "erased_when": "Never: the listing stays for the network's statistics.",
    }
    assert aid_section["holdings"][1]["sealed_with"] == "aid"
    assert client_for("outsider").get(url).status_code == 403
    assert client_for("anonymous").get(url).status_code == 401
