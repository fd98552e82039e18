"""The land trust pages, for each role: public parts for members, private parts for the few."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dualpower.formatting import format_amount
from dualpower.land import services
from dualpower.land.models import Allocation, GroundLease, Home, StewardshipNote, WaitlistApplication
from dualpower.land.tests.conftest import LAND_ROLES
from dualpower.land.tests.factories import GroundLeaseFactory, HomeFactory, WaitlistApplicationFactory

pytestmark = pytest.mark.django_db
READERS = {"observer", "member", "coordinator", "leaseholder"}
ADDRESS = "Elm Row 1, Elm Row"


def _expected(role: str, allowed: set[str]) -> int:
    return 200 if role in allowed else (302 if role == "anonymous" else 403)


@pytest.mark.parametrize("role", LAND_ROLES)
def test_who_sees_each_page(land_client: Any, leased_home: Home, role: str) -> None:
    lease = leased_home.leases.get()
    pages = {
        "": READERS,
        f"homes/{leased_home.pk}/": READERS,
        "leases/": READERS,
        f"leases/{lease.pk}/": {"coordinator", "leaseholder"},
        "waitlist/": READERS,
        "allocations/": READERS,
        "settings/": {"coordinator"},
        "homes/new/": {"coordinator"},
    }
    client = land_client(role)
    got = {page: client.get(f"/c/riverside/land/{page}").status_code for page in pages}
    assert got == {page: _expected(role, allowed) for page, allowed in pages.items()}


@pytest.mark.parametrize("role", ["observer", "member", "coordinator", "leaseholder"])
def test_the_address_is_shown_only_to_coordinators_and_the_household(
    land_client: Any, leased_home: Home, role: str
) -> None:
    client = land_client(role)
    pages = (
        client.get("/c/riverside/land/").content.decode()
        + client.get(f"/c/riverside/land/homes/{leased_home.pk}/").content.decode()
    )
    assert (ADDRESS in pages) is (role in {"coordinator", "leaseholder"})


def test_the_homes_list_costs_a_member_the_same_queries_however_many_homes(
    land_client: Any, leased_home: Home, community: Any
) -> None:
    """Nobody but those who manage the trust sees the address column, so nobody else is asked
    about each home's address (a leaseholder's check is one query per home)."""
    client = land_client("leaseholder")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/c/riverside/land/").status_code == 200
        return len(queries.captured_queries)

    client.get("/c/riverside/land/")
    few = count()
    for i in range(3):
        HomeFactory.create(community=community, label=f"Birch Lane {i}")
    assert count() == few


def _breakdown_rows(page: str) -> list[tuple[str, str]]:
    """The (line, amount) rows of the resale breakdown table, as the reader sees them."""
    table = page.split("<caption>", 2)[2].split("</tbody>")[0]
    return re.findall(r'<tr><th scope="row"[^>]*>(.*?)</th><td[^>]*>(.*?)</td></tr>', table)


def test_the_resale_calculator_shows_the_worked_calculation(land_client: Any, leased_home: Home) -> None:
    lease = leased_home.leases.get()
    page = land_client("leaseholder").get(f"/c/riverside/land/leases/{lease.pk}/?current_appraisal=260000")
    text = page.content.decode()
    assert page.status_code == 200
    assert "165,000.00" in text
    assert _breakdown_rows(text) == [
        ("Purchase price", "150,000.00"),
        ("25% of the appreciation (260,000.00 − 200,000.00 = 60,000.00)", "15,000.00"),
    ]


def _in_spanish(value: int) -> str:
    with translation.override("es"):
        return format_amount(value)


def test_a_spanish_reader_sees_the_calculation_in_spanish_with_money_not_cents(
    land_client: Any, leased_home: Home
) -> None:
    lease = leased_home.leases.get()
    client = land_client("leaseholder")
    client.cookies["django_language"] = "es"
    text = client.get(f"/c/riverside/land/leases/{lease.pk}/?current_appraisal=260000").content.decode()
    rows = _breakdown_rows(text)
    assert rows == [
        ("Precio de compra", _in_spanish(15_000_000)),
        (
            f"25% de la plusvalía ({_in_spanish(26_000_000)} − {_in_spanish(20_000_000)} = "
            f"{_in_spanish(6_000_000)})",
            _in_spanish(1_500_000),
        ),
    ]
    assert not any(raw in label for label, _ in rows for raw in ("26000000", "20000000", "6000000"))


def test_a_spanish_reader_sees_rates_with_a_decimal_comma_and_improvements_dated(
    land_client: Any, community: Any, land_people: Any
) -> None:
    holder = land_people["leaseholder"].memberships.get(community=community)
    rate = GroundLeaseFactory.create(
        home=HomeFactory.create(community=community, label="Ash 1"),
        leaseholder=holder,
        formula="fixed_rate_compound",
        formula_params={"purchase_price": 10_000_000, "annual_rate": "0.025", "purchase_date": "2020-05-01"},
    )
    improved = GroundLeaseFactory.create(
        home=HomeFactory.create(community=community, label="Ash 2"),
        leaseholder=holder,
        formula="itemized",
        formula_params={
            "purchase_price": 10_000_000,
            "purchase_date": "2020-05-01",
            "improvements": [{"description": "Cocina", "cost": 1_200_000, "completed": "2021-06-01"}],
        },
    )
    client = land_client("leaseholder")
    client.cookies["django_language"] = "es"
    growth = _breakdown_rows(
        client.get(f"/c/riverside/land/leases/{rate.pk}/?resale_date=2022-05-01").content.decode()
    )[1][0]
    assert growth == (
        f"2,5% al año, con interés compuesto anual, durante 2 años completos "
        f"({_in_spanish(10_000_000)} × (1 + 2,5%)^2 − {_in_spanish(10_000_000)})"
    )
    kitchen = _breakdown_rows(
        client.get(f"/c/riverside/land/leases/{improved.pk}/?resale_date=2025-01-01").content.decode()
    )[1][0]
    assert kitchen == f"Cocina (mar 1 jun 2021, {_in_spanish(1_200_000)}, sin depreciación)"


def test_the_household_adds_a_stewardship_note(land_client: Any, leased_home: Home) -> None:
    response = land_client("leaseholder").post(
        f"/c/riverside/land/homes/{leased_home.pk}/", {"body": "Roof leaks."}
    )
    assert response.status_code == 302
    assert StewardshipNote.objects.get().body == "Roof leaks."
    assert (
        land_client("member").post(f"/c/riverside/land/homes/{leased_home.pk}/", {"body": "x"}).status_code
        == 403
    )


def test_a_member_applies_to_the_waitlist(land_client: Any) -> None:
    client = land_client("member")
    response = client.post(
        "/c/riverside/land/waitlist/", {"household_size": "3", "fact_lives_or_works_locally": "on"}
    )
    assert response.status_code == 302
    application = WaitlistApplication.objects.get()
    assert application.facts == {"lives_or_works_locally": 1, "displaced": 0}
    assert application.public_id in client.get("/c/riverside/land/waitlist/").content.decode()
    bad = land_client("observer").post("/c/riverside/land/waitlist/", {"household_size": "3"})
    assert bad.status_code == 403 and WaitlistApplication.objects.count() == 1


def test_announce_draw_and_adopt_through_the_pages(
    land_client: Any, vacant_home: Home, land_people: Any, community: Any
) -> None:
    household = WaitlistApplicationFactory.create(community=community, local=1)
    coordinator = land_client("coordinator")
    coordinator.post(f"/c/riverside/land/homes/{vacant_home.pk}/announce/", {"seed": "spring 2026"})
    allocation = Allocation.objects.get()
    assert (
        "spring 2026"
        in land_client("member").get(f"/c/riverside/land/allocations/{allocation.pk}/").content.decode()
    )
    assert (
        land_client("member").post(f"/c/riverside/land/allocations/{allocation.pk}/draw/").status_code == 403
    )
    coordinator = land_client("coordinator")
    coordinator.post(f"/c/riverside/land/allocations/{allocation.pk}/draw/")
    allocation.refresh_from_db()
    assert allocation.chosen == household
    page = coordinator.get(f"/c/riverside/land/allocations/{allocation.pk}/").content.decode()
    assert "gives the same ranking" in page and "sha256sum" in page
    # Adoption waits for the assembly unless the trust lets coordinators adopt.
    assert coordinator.post(f"/c/riverside/land/allocations/{allocation.pk}/adopt/").status_code == 403
    services.trust_settings_update(community=community, by=None, coordinators_may_allocate=True)
    coordinator.post(f"/c/riverside/land/allocations/{allocation.pk}/adopt/")
    allocation.refresh_from_db()
    assert allocation.status == "adopted"


def test_a_coordinator_records_a_lease_and_bad_params_write_nothing(
    land_client: Any, vacant_home: Home, land_people: Any, community: Any
) -> None:
    holder = land_people["member"].memberships.get(community=community)
    data = {
        "home": vacant_home.pk,
        "leaseholder": holder.pk,
        "start": "2024-01-01",
        "term_years": "99",
        "monthly_fee": "30.00",
        "formula": "fixed_rate_simple",
        "formula_params": '{"purchase_price": 100, "annual_rate": 0.02, "purchase_date": "2024-01-01"}',
    }
    bad = land_client("coordinator").post("/c/riverside/land/leases/new/", data)
    assert bad.status_code == 400 and "exactly" in bad.content.decode()
    assert not GroundLease.objects.filter(home=vacant_home).exists()
    data["formula_params"] = '{"purchase_price": 100, "annual_rate": "0.02", "purchase_date": "2024-01-01"}'
    assert land_client("coordinator").post("/c/riverside/land/leases/new/", data).status_code == 302
    assert GroundLease.objects.get(home=vacant_home).leaseholder == holder


def test_withdrawing_from_the_waitlist(land_client: Any, community: Any, land_people: Any) -> None:
    member = land_people["member"].memberships.get(community=community)
    application = services.waitlist_apply(community=community, membership=member, household_size=2)
    assert (
        land_client("observer").post(f"/c/riverside/land/waitlist/{application.pk}/withdraw/").status_code
        == 403
    )
    land_client("member").post(f"/c/riverside/land/waitlist/{application.pk}/withdraw/")
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_an_indexed_lease_is_calculated_for_the_latest_index_year_unless_asked(
    land_client: Any, vacant_home: Home, land_people: Any, community: Any
) -> None:
    from dualpower.land.tests.factories import GroundLeaseFactory

    params = {
        "purchase_price": 10_000_000,
        "purchase_year": 2020,
        "index": {"2020": 100, "2024": "112.5", "2025": 120},
    }
    lease = GroundLeaseFactory.create(
        home=vacant_home,
        leaseholder=land_people["leaseholder"].memberships.get(community=community),
        formula="indexed",
        formula_params=params,
    )
    client = land_client("leaseholder")
    assert "120,000.00" in client.get(f"/c/riverside/land/leases/{lease.pk}/").content.decode()
    assert (
        "112,500.00" in client.get(f"/c/riverside/land/leases/{lease.pk}/?resale_year=2024").content.decode()
    )
    missing = client.get(f"/c/riverside/land/leases/{lease.pk}/?resale_year=2023").content.decode()
    assert 'role="alert"' in missing and "2023" in missing


def test_the_lease_form_starts_from_the_adopted_allocation(
    land_client: Any, vacant_home: Home, community: Any
) -> None:
    household = WaitlistApplicationFactory.create(community=community)
    services.trust_settings_update(community=community, by=None, coordinators_may_allocate=True)
    allocation = services.allocation_announce(home=vacant_home, seed="x", by=household.membership)
    services.allocation_draw(allocation=allocation, by=household.membership)
    services.allocation_adopt(allocation=allocation, by=None)
    client = land_client("coordinator")
    assert (
        f"?home={vacant_home.pk}"
        in client.get(f"/c/riverside/land/allocations/{allocation.pk}/").content.decode()
    )
    form = client.get(f"/c/riverside/land/leases/new/?home={vacant_home.pk}").context["form"]
    assert form.initial == {"home": vacant_home.pk, "leaseholder": household.membership_id}
