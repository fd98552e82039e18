"""A co-op's assembly is named by the app: its name reads in the reader's language until renamed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from dualpower.coops.services import coop_create

pytestmark = pytest.mark.django_db


def test_a_coops_assembly_name_reads_in_spanish_on_the_assemblies_page(community: Any, people: Any) -> None:
    with translation.override("en"):
        coop = coop_create(community=community, founder=None, by=None, name="Bread Co", kind="worker")
    assert coop.assembly.name == "Bread Co members' assembly"
    client = Client()
    client.force_login(people["member"])
    client.cookies["django_language"] = "es"
    page = client.get(f"/c/{community.slug}/assemblies/").content.decode()
    assert "Asamblea de integrantes de Bread Co" in page and "Bread Co members&#x27; assembly" not in page
