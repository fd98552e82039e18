"""An assembly's decision chooses a dispatcher or sets the retention period, audited with its ref."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dualpower.aid.models import DispatcherRole
from dualpower.aid.tests.factories import AidWorld
from dualpower.assemblies import actions
from dualpower.community.models import AuditEntry
from dualpower.errors import InvalidInput

pytestmark = pytest.mark.django_db


@dataclass
class FakeDecision:  # only the ref is read by these actions
    ref: str = "proposal:42"


def test_a_decision_makes_a_member_a_dispatcher(world: AidWorld) -> None:
    kind = actions.get("aid.grant_dispatcher")
    params = kind.validate(world.community, {"membership": world.member.pk})
    kind.run(community=world.community, params=params, decision=FakeDecision())
    assert DispatcherRole.objects.filter(membership=world.member).exists()
    assert AuditEntry.objects.get(action="aid.dispatcher.grant", decision_ref="proposal:42")
    assert kind.describe is not None
    assert "Mara" in kind.describe(world.community, params)


def test_a_decision_sets_the_retention_period(world: AidWorld) -> None:
    kind = actions.get("aid.set_retention")
    kind.run(
        community=world.community, params=kind.validate(world.community, {"days": 7}), decision=FakeDecision()
    )
    world.community.aid_settings.refresh_from_db()
    assert world.community.aid_settings.retention_days == 7


@pytest.mark.parametrize(
    ("key", "params"),
    [
        ("aid.grant_dispatcher", {"membership": "x"}),
        ("aid.grant_dispatcher", {"membership": 999_999}),
        ("aid.set_retention", {"days": -1}),
        ("aid.set_retention", {"days": True}),
    ],
)
def test_bad_action_parameters_are_refused(world: AidWorld, key: str, params: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        actions.get(key).validate(world.community, params)
