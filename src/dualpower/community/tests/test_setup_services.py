"""The guided set-up's service: one plan becomes a community with everything chosen, or nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dualpower.assemblies.models import Assembly
from dualpower.community.models import AuditEntry, Community
from dualpower.errors import DomainError
from dualpower.groups.models import WorkingGroup
from dualpower.ledger.models import Currency
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_community, make_user
from dualpower.ops.community_setup import (
    PRESETS,
    CurrencyPlan,
    SetupPlan,
    community_set_up,
    preset_of,
    setup_summary,
)

pytestmark = pytest.mark.django_db


def plan(**changes: object) -> SetupPlan:
    values: dict[str, object] = {
        "name": "Riverside Mutual Aid",
        "display_name": "Rosa",
        "place": "Riverside, Leeds",
        "description": "Neighbours helping neighbours.",
        "questions": ("Which street do you live on?",),
        "groups": ("food", "housing"),
        "other_groups": ("Childcare",),
        "preset": "majority_quorum",
        "money": CurrencyPlan(name="Roots", symbol="R", credit=5000),
        "time_bank": CurrencyPlan(name="Time bank", credit=300),
    }
    values.update(changes)
    return SetupPlan(**values)  # type: ignore[arg-type]


def test_a_plan_becomes_a_community_with_everything_chosen() -> None:
    rosa = make_user("rosa@example.org")
    community = community_set_up(plan=plan(), by=rosa)

    assert community.slug == "riverside-mutual-aid"
    assert community.description.startswith("Where: Riverside, Leeds")
    assert community.application_questions == ["Which street do you live on?"]
    coordinator = Membership.objects.get(community=community, user=rosa)
    assert (coordinator.role, coordinator.display_name) == (Membership.Role.COORDINATOR, "Rosa")
    names = set(WorkingGroup.objects.filter(community=community).values_list("name", flat=True))
    assert names == {"Food", "Housing", "Childcare"}  # only the chosen templates, no others
    general = Assembly.objects.get(community=community, kind=Assembly.Kind.GENERAL)
    assert general.policy.default_process == "majority"
    assert general.policy.quorum == Decimal("0.25")
    money = Currency.objects.get(community=community, kind=Currency.Kind.MUTUAL_CREDIT)
    assert (money.name, money.symbol, money.default_lower_limit) == ("Roots", "R", -5000)
    hours = Currency.objects.get(community=community, kind=Currency.Kind.TIME_BANK)
    assert (hours.name, hours.default_lower_limit, hours.decimals) == ("Time bank", -300, 0)
    entry = AuditEntry.objects.get(community=community, action="community.set_up")
    assert entry.actor == coordinator
    assert entry.data["preset"] == "majority_quorum"


def test_the_summary_names_the_preset_the_assembly_still_follows() -> None:
    community = community_set_up(plan=plan(preset="consensus_fallback"), by=make_user())
    summary = setup_summary(community=community)
    assert summary.preset is not None and summary.preset.key == "consensus_fallback"
    assert sorted(g.name for g in summary.groups) == ["Childcare", "Food", "Housing"]
    assert {c.name for c in summary.currencies} == {"Roots", "Time bank"}
    assert summary.assembly is not None
    summary.assembly.policy.quorum = Decimal("0.5")
    assert preset_of(summary.assembly) is None  # changed by the assembly since: no preset claimed


def test_every_preset_makes_a_valid_policy() -> None:
    for i, preset in enumerate(PRESETS):
        community = community_set_up(plan=plan(name=f"Community {i}", preset=preset.key), by=make_user())
        general = Assembly.objects.get(community=community, kind=Assembly.Kind.GENERAL)
        assert preset_of(general) == preset


def test_neither_currency_nor_groups_is_fine() -> None:
    community = community_set_up(
        plan=plan(groups=(), other_groups=(), money=None, time_bank=None), by=make_user()
    )
    assert not WorkingGroup.objects.filter(community=community).exists()
    assert not Currency.objects.filter(community=community).exists()
    assert Assembly.objects.filter(community=community, kind=Assembly.Kind.GENERAL).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"preset": "dictatorship"}, "preset"),
        ({"display_name": " "}, "display_name"),
        ({"groups": ("food", "nonsense")}, "groups"),
        ({"other_groups": ("Food",)}, "name"),  # the same name twice: the groups service refuses it
        ({"money": CurrencyPlan(name="Roots", credit=-100)}, "default_lower_limit"),
    ],
)
def test_an_error_anywhere_creates_nothing(changes: dict[str, object], field: str) -> None:
    before = Community.objects.count()
    with pytest.raises(DomainError) as caught:
        community_set_up(plan=plan(**changes), by=make_user())
    assert caught.value.field == field
    assert Community.objects.count() == before
    assert not Community.objects.filter(name="Riverside Mutual Aid").exists()


def test_a_taken_short_name_is_refused() -> None:
    make_community("Riverside", slug="riverside")
    with pytest.raises(DomainError) as caught:
        community_set_up(plan=plan(slug="riverside"), by=make_user())
    assert caught.value.field == "slug"
