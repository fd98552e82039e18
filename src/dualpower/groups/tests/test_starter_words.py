"""Starter working groups read in the reader's language until someone rewrites them (issue 13)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from dualpower.groups.models import WorkingGroup
from dualpower.groups.services import working_groups_from_templates

pytestmark = pytest.mark.django_db


def test_a_starter_group_reads_in_spanish_and_a_rewritten_one_as_written(community: Any) -> None:
    with translation.override("en"):
        working_groups_from_templates(community=community)
    housing = WorkingGroup.objects.get(community=community, slug="housing")
    assert housing.purpose.startswith("Tenants organising")  # stored as the app wrote it
    with translation.override("es"):
        assert housing.name_shown == "Vivienda"
        assert not housing.purpose_shown.startswith("Tenants")
        housing.purpose = "Tenants organising on Elm Row."  # the community's own words
        assert housing.purpose_shown == "Tenants organising on Elm Row."


def test_the_groups_page_in_spanish_shows_no_starter_english(client_for: Any, community: Any) -> None:
    with translation.override("en"):
        working_groups_from_templates(community=community)
    page = client_for("member").get("/c/riverside/groups/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Tenants organising" not in page and "Vivienda" in page
