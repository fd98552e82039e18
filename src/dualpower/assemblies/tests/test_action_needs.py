"""Every action an assembly can decide is offered on the proposal form (issue 13: no ids typed).

The form builds its pickers from each action's ``needs``; an action that declares none cannot be
chosen there at all. So every registered action declares what it needs, and each choice list
offers names, never bare numbers.
"""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.assemblies import actions

pytestmark = pytest.mark.django_db


def test_every_registered_action_can_be_chosen_on_the_form() -> None:
    registered = {kind.key for kind in actions.kinds()}
    assert {"aid.grant_dispatcher", "aid.set_retention", "budgeting.adopt_result"} <= registered
    assert {kind.key for kind in actions.pickable()} == registered


def test_choice_lists_offer_names(community: Any, people: dict[str, Any]) -> None:
    for kind in actions.kinds():
        for need in kind.needs:
            if need.kind != "choice" or need.options is None:
                continue
            for value, name in need.options(community):
                assert str(name).strip() and str(name) != str(value), (kind.key, need.name, value, name)
