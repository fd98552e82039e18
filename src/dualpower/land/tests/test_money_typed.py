"""Land amounts (a lease's monthly fee, the appraisal for a resale) are typed as people write them."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.land.models import GroundLease, Home

pytestmark = pytest.mark.django_db

PARAMS = '{"purchase_price": 100, "annual_rate": "0.02", "purchase_date": "2024-01-01"}'


def _lease(vacant_home: Home, holder: Any, fee: str) -> dict[str, Any]:
    return {
        "home": vacant_home.pk,
        "leaseholder": holder.pk,
        "start": "2024-01-01",
        "term_years": "99",
        "monthly_fee": fee,
        "formula": "fixed_rate_simple",
        "formula_params": PARAMS,
    }


@pytest.mark.parametrize(("language", "typed"), [("es", "12,50"), ("en", "12.50")])
def test_a_monthly_fee_is_read_in_the_readers_language(
    land_client: Any, vacant_home: Home, land_people: Any, community: Any, language: str, typed: str
) -> None:
    holder = land_people["member"].memberships.get(community=community)
    client = land_client("coordinator")
    client.cookies["django_language"] = language
    response = client.post("/c/riverside/land/leases/new/", _lease(vacant_home, holder, typed))
    assert response.status_code == 302
    assert GroundLease.objects.get(home=vacant_home).monthly_fee == 1250


@pytest.mark.parametrize("typed", ["١٢", "12,50", "-5"])
def test_a_fee_that_cannot_be_read_is_refused_with_a_sentence(
    land_client: Any, vacant_home: Home, land_people: Any, community: Any, typed: str
) -> None:
    holder = land_people["member"].memberships.get(community=community)
    response = land_client("coordinator").post(
        "/c/riverside/land/leases/new/", _lease(vacant_home, holder, typed)
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Monthly ground lease fee must be" in page or "Monthly ground lease fee cannot be negative" in page
    assert not GroundLease.objects.filter(home=vacant_home).exists()


def test_the_appraisal_is_typed_in_money_and_read_in_spanish(land_client: Any, leased_home: Home) -> None:
    lease = leased_home.leases.get()
    client = land_client("leaseholder")
    english = client.get(f"/c/riverside/land/leases/{lease.pk}/?current_appraisal=260000.00").content.decode()
    client.cookies["django_language"] = "es"
    spanish = client.get(f"/c/riverside/land/leases/{lease.pk}/?current_appraisal=260000,00").content.decode()
    assert "165,000.00" in english  # the price from a 260,000.00 appraisal
    assert "165" in spanish and "000,00" in spanish
    refused = client.get(f"/c/riverside/land/leases/{lease.pk}/?current_appraisal=١٢").content.decode()
    assert "Valor de avalúo actual" in refused or "Current appraised value" in refused
    assert "escríbelo como un número" in refused
