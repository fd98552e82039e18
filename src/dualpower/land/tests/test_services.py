"""The land trust's rules: leases, resale prices, and allocation by the published method."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dualpower.assemblies.actions import Decision, get
from dualpower.community.models import AuditEntry
from dualpower.core.economy import lottery_key
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.land import services
from dualpower.land.models import Allocation, GroundLease, Home, WaitlistApplication
from dualpower.land.tests.factories import GroundLeaseFactory, HomeFactory, WaitlistApplicationFactory
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db


def test_a_lease_makes_the_home_leased_and_one_home_has_one_active_lease(
    leased_home: Home, community: Any
) -> None:
    assert leased_home.status == "leased"
    with pytest.raises(Conflict):
        GroundLeaseFactory.create(home=leased_home, leaseholder=make_membership(community))
    assert GroundLease.objects.count() == 1


@pytest.mark.parametrize(
    ("formula", "params", "field"),
    [
        (
            "appraisal_based",
            {"purchase_price": 100, "initial_appraisal": 200},
            "formula_params",
        ),  # no owner share
        (
            "appraisal_based",
            {"purchase_price": 100, "initial_appraisal": 200, "owner_share": 0.25},
            "formula_params",
        ),
        (
            "appraisal_based",
            {"purchase_price": 100, "initial_appraisal": 200, "owner_share": "3/2"},
            "formula_params",
        ),
        (
            "fixed_rate_simple",
            {"purchase_price": 100, "annual_rate": "0.02", "purchase_date": "yesterday"},
            "formula_params",
        ),
        ("indexed", {"purchase_price": 100, "purchase_year": 2020, "index": {"2021": 100}}, "formula_params"),
        ("golden_ratio", {}, "formula"),
        (
            "fixed_rate_simple",
            {"purchase_price": -5, "annual_rate": "0.02", "purchase_date": "2020-01-01"},
            "formula_params",
        ),
        ("itemized", {"purchase_price": 100, "purchase_date": "2020-01-01", "surprise": 1}, "formula_params"),
    ],
)
def test_a_lease_with_a_bad_formula_is_refused_and_nothing_is_written(
    community: Any, land_people: Any, formula: str, params: dict[str, Any], field: str
) -> None:
    home = HomeFactory.create(community=community)
    holder = land_people["leaseholder"].memberships.get(community=community)
    with pytest.raises(InvalidInput) as error:
        GroundLeaseFactory.create(home=home, leaseholder=holder, formula=formula, formula_params=params)
    assert error.value.field == field
    assert not GroundLease.objects.exists()
    home.refresh_from_db()
    assert home.status == "vacant"


def test_the_resale_price_follows_the_leases_own_formula(leased_home: Home) -> None:
    lease = leased_home.leases.get()
    # Bought at 150,000 when appraised at 200,000; now appraised at 260,000: a quarter of 60,000.
    breakdown = services.lease_breakdown(lease=lease, current_appraisal=26_000_000)
    assert breakdown.price == 15_000_000 + 1_500_000
    assert sum(line.amount for line in breakdown.lines) == breakdown.price


def test_a_fixed_rate_lease_grows_for_each_full_year(community: Any, land_people: Any) -> None:
    home = HomeFactory.create(community=community)
    lease = GroundLeaseFactory.create(
        home=home,
        leaseholder=land_people["leaseholder"].memberships.get(community=community),
        formula="fixed_rate_simple",
        formula_params={"purchase_price": 10_000_000, "annual_rate": "0.02", "purchase_date": "2020-05-01"},
    )
    assert services.lease_breakdown(lease=lease, resale_date=date(2025, 4, 30)).price == 10_800_000
    assert services.lease_breakdown(lease=lease, resale_date=date(2025, 5, 1)).price == 11_000_000


def test_ending_a_lease_leaves_the_home_vacant(leased_home: Home) -> None:
    lease = leased_home.leases.get()
    services.lease_end(lease=lease, status="ended", ended_on=date(2026, 1, 1), by=None)
    leased_home.refresh_from_db()
    assert leased_home.status == "vacant"
    with pytest.raises(Conflict):
        services.lease_end(lease=lease, status="ended", ended_on=date(2026, 1, 1), by=None)


def _coordinator(people: Any, community: Any) -> Any:
    return people["coordinator"].memberships.get(community=community)


def test_the_draw_is_refused_without_an_announced_seed(
    vacant_home: Home, people: Any, community: Any
) -> None:
    me = _coordinator(people, community)
    WaitlistApplicationFactory.create(community=community)
    unannounced = Allocation.objects.create(
        home=vacant_home, seed="", seed_announced_at=vacant_home.created_at, created_by=me
    )
    with pytest.raises(Conflict, match="seed announced"):
        services.allocation_draw(allocation=unannounced, by=me)
    unannounced.refresh_from_db()
    assert unannounced.status == "announced" and not unannounced.result


def test_announcing_without_a_seed_publishes_a_random_one(
    vacant_home: Home, people: Any, community: Any
) -> None:
    allocation = services.allocation_announce(home=vacant_home, by=_coordinator(people, community))
    assert len(allocation.seed) == 32
    assert AuditEntry.objects.get(action="land.allocation_announce").data == {"seed": allocation.seed}


def test_priority_points_then_the_lottery_from_the_announced_seed(
    vacant_home: Home, people: Any, community: Any
) -> None:
    me = _coordinator(people, community)
    veteran = WaitlistApplicationFactory.create(community=community, years_ago=3)  # 6 points
    local_a = WaitlistApplicationFactory.create(community=community, local=1)  # 3 points
    local_b = WaitlistApplicationFactory.create(community=community, local=1)  # 3 points
    too_big = WaitlistApplicationFactory.create(
        community=community, size=7, years_ago=5
    )  # not eligible for 2–4 people
    allocation = services.allocation_announce(home=vacant_home, seed="full moon 2026", by=me)
    late = WaitlistApplicationFactory.create(
        community=community, displaced=1
    )  # joined after the seed was public: not in this draw
    services.allocation_draw(allocation=allocation, by=me)
    allocation.refresh_from_db()
    ranking = [p["applicant_id"] for p in allocation.result["ranking"]]
    tied = sorted([local_a.public_id, local_b.public_id], key=lambda i: lottery_key("full moon 2026", i))
    assert ranking == [veteran.public_id, *tied]
    assert [e["applicant_id"] for e in allocation.result["excluded"]] == [too_big.public_id]
    assert late.public_id not in ranking
    assert allocation.chosen == veteran and allocation.status == "proposed"
    assert services.allocation_replay(allocation=allocation)


def test_a_draw_with_nobody_eligible_writes_nothing(vacant_home: Home, people: Any, community: Any) -> None:
    allocation = services.allocation_announce(home=vacant_home, seed="s", by=_coordinator(people, community))
    with pytest.raises(Conflict):
        services.allocation_draw(allocation=allocation, by=_coordinator(people, community))
    allocation.refresh_from_db()
    assert allocation.status == "announced" and not allocation.result


def test_coordinators_adopt_only_if_the_trust_allows_it(
    vacant_home: Home, people: Any, community: Any
) -> None:
    me = _coordinator(people, community)
    household = WaitlistApplicationFactory.create(community=community)
    allocation = services.allocation_announce(home=vacant_home, seed="x", by=me)
    services.allocation_draw(allocation=allocation, by=me)
    with pytest.raises(PermissionDenied):
        services.allocation_adopt(allocation=allocation, by=me)
    services.trust_settings_update(community=community, by=me, coordinators_may_allocate=True)
    services.allocation_adopt(allocation=allocation, by=me)
    household.refresh_from_db()
    vacant_home.refresh_from_db()
    assert household.status == "housed" and vacant_home.status == "allocated"


def test_the_assemblys_decision_adopts_the_allocation(vacant_home: Home, people: Any, community: Any) -> None:
    me = _coordinator(people, community)
    WaitlistApplicationFactory.create(community=community)
    allocation = services.allocation_announce(home=vacant_home, seed="x", by=me)
    services.allocation_draw(allocation=allocation, by=me)
    kind = get("land.allocate_home")
    params = kind.validate(community, {"allocation": allocation.pk})
    decision = Decision(
        ref="proposal:42", community=community, assembly_id=1, proposal_id=42, title="Allocate"
    )
    assert "Oak Court 2" in str(kind.run(community=community, params=params, decision=decision))
    allocation.refresh_from_db()
    assert allocation.status == "adopted" and allocation.decision_ref == "proposal:42"
    assert AuditEntry.objects.get(action="land.allocation_adopt").decision_ref == "proposal:42"
    with pytest.raises(InvalidInput):
        kind.validate(community, {"allocation": allocation.pk})  # already adopted


def test_the_action_refuses_another_communitys_allocation(
    vacant_home: Home, people: Any, other_community: Any
) -> None:
    with pytest.raises(InvalidInput):
        get("land.allocate_home").validate(other_community, {"allocation": 1})
    with pytest.raises(InvalidInput):
        get("land.allocate_home").validate(other_community, {"allocation": "1"})


def test_one_open_allocation_per_home(vacant_home: Home, people: Any, community: Any) -> None:
    me = _coordinator(people, community)
    services.allocation_announce(home=vacant_home, seed="a", by=me)
    with pytest.raises(Conflict):
        services.allocation_announce(home=vacant_home, seed="b", by=me)
    assert Allocation.objects.count() == 1


@pytest.mark.parametrize(
    ("size", "facts"),
    [(0, {}), (True, {}), (2, {"pets": 1}), (2, {"displaced": -1}), (2, {"displaced": "yes"})],
)
def test_bad_applications_are_refused_and_nothing_is_written(community: Any, size: Any, facts: Any) -> None:
    member = make_membership(community)
    with pytest.raises(InvalidInput):
        services.waitlist_apply(community=community, membership=member, household_size=size, facts=facts)
    assert not WaitlistApplication.objects.exists()


def test_a_household_is_on_the_waitlist_once(community: Any) -> None:
    application = WaitlistApplicationFactory.create(community=community)
    with pytest.raises(Conflict):
        services.waitlist_apply(community=community, membership=application.membership, household_size=2)


def test_an_allocated_home_is_leased_only_to_the_household_drawn(
    vacant_home: Home, people: Any, community: Any
) -> None:
    me = _coordinator(people, community)
    household = WaitlistApplicationFactory.create(community=community)
    services.trust_settings_update(community=community, by=me, coordinators_may_allocate=True)
    allocation = services.allocation_announce(home=vacant_home, seed="x", by=me)
    services.allocation_draw(allocation=allocation, by=me)
    services.allocation_adopt(allocation=allocation, by=me)
    with pytest.raises(Conflict, match="allocated to household"):
        GroundLeaseFactory.create(home=vacant_home, leaseholder=make_membership(community))
    assert not GroundLease.objects.exists()
    GroundLeaseFactory.create(home=vacant_home, leaseholder=household.membership)
    vacant_home.refresh_from_db()
    assert vacant_home.status == "leased"
