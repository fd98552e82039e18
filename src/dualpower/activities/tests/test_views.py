"""The activities pages: status codes per role, and every action working without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.activities import services
from dualpower.activities.models import Series, SignUp, Vouch
from dualpower.activities.tests.conftest import ROLES
from dualpower.activities.tests.factories import SeriesFactory, first_activity, slot_of
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = pytest.mark.django_db
BASE = "/c/riverside/activities"
READ = {
    "anonymous": 302,
    "applicant": 403,
    "outsider": 403,
    "observer": 200,
    "member": 200,
    "organiser": 200,
    "coordinator": 200,
}
RUN = {**READ, "observer": 403, "member": 403}


@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_each_role(client_as: Any, series: Any, role: str) -> None:
    activity = first_activity(series)
    client = client_as(role)
    for url, expected in [
        (f"{BASE}/", READ),
        (f"{BASE}/{activity.pk}/", READ),
        (f"{BASE}/series/{series.pk}/", READ),
        (f"{BASE}/roles/", READ),
        (f"{BASE}/series/new/", {**RUN, "organiser": 403}),
        (f"{BASE}/series/{series.pk}/edit/", RUN),
        (f"{BASE}/{activity.pk}/cancel/", RUN),
    ]:
        response = client.get(url)
        assert response.status_code == expected[role], url
        if expected[role] == 302:
            assert response.url.startswith("/accounts/login/")


def test_my_shifts_come_first(client_as: Any, community: Any, everyone: Any, series: Any) -> None:
    later = SeriesFactory.create(community=community, title="Tenants clinic", in_days=5)
    services.slot_sign_up(
        slot=slot_of(first_activity(later)), membership=membership_of(everyone["member"], community)
    )
    html = client_as("member").get(f"{BASE}/").content.decode()
    mine, coming = html.index("My next shifts"), html.index("Coming up")
    assert mine < html.index("Tenants clinic") < coming < html.index("Food distribution")


def test_taking_and_giving_back_a_place_without_javascript(client_as: Any, series: Any) -> None:
    activity = first_activity(series)
    client = client_as("member")
    response = client.post(f"{BASE}/{activity.pk}/slots/{slot_of(activity).pk}/sign-up/", follow=True)
    assert "You have a place as “Drivers”" in response.content.decode()
    assert SignUp.objects.count() == 1
    response = client.post(f"{BASE}/{activity.pk}/leave/", follow=True)
    assert "You gave your place back" in response.content.decode()
    assert not SignUp.objects.exists()


def test_a_refusal_is_shown_as_a_sentence(client_as: Any, community: Any, series: Any) -> None:
    activity = first_activity(series)
    for _ in range(2):
        services.slot_sign_up(slot=slot_of(activity), membership=make_membership(community))
    response = client_as("member").post(
        f"{BASE}/{activity.pk}/slots/{slot_of(activity).pk}/sign-up/", follow=True
    )
    assert "All places for “Drivers” are taken" in response.content.decode()
    assert SignUp.objects.count() == 2


def test_a_place_needing_a_role_links_to_how_to_get_it(client_as: Any, community: Any, everyone: Any) -> None:
    role = services.trust_role_create(community=community, name="Accompanier", by=None)
    activity = first_activity(SeriesFactory.create(community=community, slots=[("Accompaniers", 2, role)]))
    html = client_as("member").get(f"{BASE}/{activity.pk}/").content.decode()
    assert "How to become “Accompanier”" in html
    assert "Take a place" not in html


def test_observers_see_no_sign_up_buttons(client_as: Any, series: Any) -> None:
    html = client_as("observer").get(f"{BASE}/{first_activity(series).pk}/").content.decode()
    assert "Drivers" in html and "Take a place" not in html


def test_starting_a_weekly_series_from_the_form(client_as: Any, series: Any) -> None:
    import datetime as dt

    data = {
        "title": "Tenants' clinic",
        "repeat": "weekly",
        "weekdays": ["1", "3"],
        "starts_on": (dt.date.today() + dt.timedelta(days=1)).isoformat(),
        "start_time": "18:00",
        "duration_minutes": "120",
        "slots-TOTAL_FORMS": "4",
        "slots-INITIAL_FORMS": "0",
        "slots-0-label": "Advisers",
        "slots-0-capacity": "2",
        "slots-1-label": "Welcome desk",
        "slots-1-capacity": "1",
    }
    response = client_as("coordinator").post(f"{BASE}/series/new/", data)
    assert response.status_code == 302
    created = Series.objects.get(title="Tenants' clinic")
    assert created.weekdays == [1, 3]
    assert list(created.slot_templates.values_list("label", flat=True)) == ["Advisers", "Welcome desk"]


def test_a_series_form_without_places_says_so(client_as: Any, series: Any) -> None:
    import datetime as dt

    data = {
        "title": "Tenants' clinic",
        "repeat": "once",
        "starts_on": (dt.date.today() + dt.timedelta(days=1)).isoformat(),
        "start_time": "18:00",
        "duration_minutes": "120",
        "slots-TOTAL_FORMS": "4",
        "slots-INITIAL_FORMS": "0",
    }
    response = client_as("coordinator").post(f"{BASE}/series/new/", data)
    assert response.status_code == 400
    assert "Add at least one kind of place" in response.content.decode()
    assert not Series.objects.filter(title="Tenants' clinic").exists()


def test_vouching_from_the_roles_page(client_as: Any, community: Any, everyone: Any) -> None:
    services.trust_role_create(community=community, name="Accompanier", by=None)
    vouchee = make_membership(community, name="Vera")
    client = client_as("member")
    assert "Vera" in client.get(f"{BASE}/roles/").content.decode()
    response = client.post(f"{BASE}/roles/accompanier/vouch/", {"member_id": vouchee.pk}, follow=True)
    assert "Your vouch was recorded" in response.content.decode()
    assert Vouch.objects.filter(vouchee=vouchee).count() == 1
    client.post(f"{BASE}/roles/accompanier/vouches/{vouchee.pk}/withdraw/")
    assert not Vouch.objects.exists()


def test_organisers_mark_who_did_not_come(client_as: Any, community: Any, everyone: Any) -> None:
    from dualpower.activities.tests.factories import past_series

    past, then = past_series(community, organisers=[membership_of(everyone["organiser"], community)])
    activity = first_activity(past)
    signup = services.slot_sign_up(slot=slot_of(activity), membership=make_membership(community), now=then)
    client = client_as("organiser")
    assert "Did not come" in client.get(f"{BASE}/{activity.pk}/").content.decode()
    client.post(f"{BASE}/{activity.pk}/signups/{signup.pk}/no-show/", {"no_show": "1"})
    signup.refresh_from_db()
    assert signup.no_show


def test_the_dashboard_panel_shows_my_next_shifts(
    rf: Any, community: Any, everyone: Any, series: Any
) -> None:
    from django.template.loader import render_to_string

    from dualpower.activities.widgets import my_next_shifts_panel

    services.slot_sign_up(
        slot=slot_of(first_activity(series)), membership=membership_of(everyone["member"], community)
    )
    request = rf.get("/c/riverside/")
    request.user = everyone["member"]
    panel = my_next_shifts_panel(request, community)
    assert panel is not None and panel.title == "My next shifts"
    html = render_to_string(panel.template, {"panel": panel, "community": community})
    assert "Food distribution" in html and "Drivers" in html
    request.user = everyone["outsider"]
    assert my_next_shifts_panel(request, community) is None


@pytest.mark.parametrize("role", ROLES)
def test_a_date_can_be_added_to_a_calendar(client_as: Any, series: Any, role: str) -> None:
    activity = first_activity(series)
    response = client_as(role).get(f"{BASE}/{activity.pk}/calendar.ics")
    assert response.status_code == READ[role]
    if response.status_code == 200:
        body = response.content.decode()
        assert response["Content-Type"].startswith("text/calendar")
        assert "SUMMARY:Food distribution" in body and "DTSTART" in body


def test_the_series_page_counts_the_free_places_of_each_date(client_as: Any, series: Any) -> None:
    page = client_as("member").get(f"{BASE}/series/{series.pk}/").content.decode()
    assert "5 places free" in page and ">full<" not in page
