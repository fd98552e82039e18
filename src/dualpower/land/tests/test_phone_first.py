"""Issue 13 on the land trust's pages: errors keep what was typed, irreversible steps ask first,
the app's own stored texts (the default criteria, the draw's explanation) in the reader's language,
and every table cell labelled for the phone's stacked rows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation

from dualpower.assemblies import actions as action_registry
from dualpower.land import services, words
from dualpower.land.models import Home, TrustSettings
from dualpower.land.tests.factories import WaitlistApplicationFactory

pytestmark = pytest.mark.django_db


def test_a_bad_room_count_keeps_every_number_and_says_it_once(land_client: Any, leased_home: Home) -> None:
    data = {
        "parcel": leased_home.parcel_id,
        "label": "Birch 4",
        "address": "Birch Row 4",
        "bedrooms": "60",
        "min_household": "2",
        "max_household": "5",
        "description": "south facing",
    }
    response = land_client("coordinator").post("/c/riverside/land/homes/new/", data)
    page = response.content.decode()
    assert response.status_code == 400
    for value in ('value="60"', 'value="2"', 'value="5"', 'value="Birch 4"', "south facing"):
        assert value in page
    assert page.count("less than or equal to 50") == 2  # once beside the field, once in the summary
    assert 'href="#id_bedrooms"' in page
    assert not Home.objects.filter(label="Birch 4").exists()


def test_the_default_criteria_are_stored_as_the_catalogue_text_and_read_translated(
    community: Any, land_client: Any
) -> None:
    with translation.override("es"):
        settings = services.settings_for(community)
    stored = TrustSettings.objects.get(pk=settings.pk).criteria
    assert stored[0]["description"] == "2 points for each full year on the waitlist, at most 5 years"
    with translation.override("es"):
        shown = words.criteria_shown(services.criteria_of(settings))
        assert shown[1].description == str(translation.gettext(stored[1]["description"]))


def test_a_criterion_a_coordinator_wrote_is_shown_as_written(community: Any) -> None:
    services.trust_settings_update(
        community=community,
        by=None,
        criteria=[
            {"key": "carer", "description": "Cares for someone nearby", "points_per_unit": 2, "max_units": 1}
        ],
    )
    with translation.override("es"):
        shown = words.criteria_shown(services.criteria_of(services.settings_for(community)))
    assert shown[0].description == "Cares for someone nearby"


def test_the_draws_explanation_is_worded_from_the_stored_ranking() -> None:
    one = {"place": 1, "points": 1, "points_by_criterion": [["displaced", 1]], "tied": 1, "lottery_key": "ab"}
    assert words.placement_reason(one, "seed") == (
        "Place 1: 1 point (displaced: 1), the only eligible household with this many points."
    )
    tied = {**one, "points": 4, "tied": 3, "lottery_key": "0123456789abcdef"}
    assert "tied with 2 other households" in words.placement_reason(tied, "seed")
    result = {
        "requirements": [{"key": "household_size", "minimum": 2, "maximum": 4}],
        "applicants": [{"applicant_id": "H-1", "facts": {"household_size": 6}}],
    }
    assert words.exclusion_reason({"applicant_id": "H-1", "reason": "x"}, result) == (
        "A household of 6; this home houses 2 to 4 people."
    )


def test_irreversible_steps_ask_first(land_client: Any, leased_home: Home) -> None:
    lease = leased_home.leases.get()
    page = land_client("coordinator").get(f"/c/riverside/land/leases/{lease.pk}/").content.decode()
    assert '<details class="confirm"' in page and 'class="danger"' in page


def test_every_cell_of_the_land_tables_is_labelled(
    land_client: Any, leased_home: Home, community: Any
) -> None:
    WaitlistApplicationFactory.create(community=community)
    client = land_client("coordinator")
    lease = leased_home.leases.get()
    for page in ("", "leases/", "waitlist/", "allocations/", f"leases/{lease.pk}/"):
        html = client.get(f"/c/riverside/land/{page}").content.decode()
        for body in re.findall(r"<tbody>(.*?)</tbody>", html, re.S):
            cells = re.findall(r"<t[dh](?![a-z])([^>]*)>", body)
            unlabelled = [c for c in cells if "data-label" not in c and "colspan" not in c]
            assert not unlabelled, (page, unlabelled)


def test_the_allocation_decision_offers_drawn_allocations_by_name(community: Any) -> None:
    kind = action_registry.get("land.allocate_home")
    assert kind.needs and kind.needs[0].name == "allocation"
    assert kind.needs[0].options is not None and kind.needs[0].options(community) == []


def test_the_leaseholder_is_found_by_name_in_a_long_list(land_client: Any, community: Any) -> None:
    from dualpower.members.tests.factories import make_membership

    for n in range(31):
        make_membership(community, name=f"Neighbour {n:02d}")
    client = land_client("coordinator")
    page = client.get("/c/riverside/land/leases/new/").content.decode()
    assert 'type="search" name="find"' in page
    found = client.get("/c/riverside/land/leases/new/?find=bour 07").content.decode()
    assert "Neighbour 07" in found and "Neighbour 08" not in found
