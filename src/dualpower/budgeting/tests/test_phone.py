"""Phone-first and finishable (issue 13): results explained by project name and in sight, every
irreversible step asks first, a refused ballot keeps what was typed, plurals and names in words."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template.loader import render_to_string

from dualpower.budgeting import services
from dualpower.budgeting.explain import explain_steps
from dualpower.budgeting.forms import ProposalForm
from dualpower.budgeting.models import Ballot, BallotType, Cycle, Phase, Rule
from dualpower.budgeting.tests.factories import make_cycle
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db


def url(cycle: Cycle, page: str = "") -> str:
    return f"/c/{cycle.community.slug}/budgets/{cycle.slug}/{page}"


def _counted(community: Any, **kwargs: Any) -> tuple[Cycle, Any]:
    cycle = make_cycle(community, phase=Phase.VOTING, **kwargs)
    voter = None
    for i, codes in enumerate([["1", "4"]] * 6 + [["2", "3"]] * 4):
        voter = make_membership(community, name=f"Voter {i}")
        services.ballot_submit(cycle=cycle, voter=voter, district=None, choices=[(c, 1) for c in codes])
    services.cycle_advance(cycle=cycle, by=None)
    return cycle, voter


@pytest.mark.parametrize("rule", [Rule.MES, Rule.GREEDY, Rule.PHRAGMEN])
def test_the_results_explain_each_project_by_name_in_sight(client: Any, community: Any, rule: str) -> None:
    cycle, voter = _counted(community, rule=rule)
    client.force_login(voter.user)
    body = client.get(url(cycle, "results/")).content.decode()
    steps = re.search(r'<ol class="count-steps">(.*?)</ol>', body, re.S)
    assert steps is not None, "the explanation is a list on the page"
    before = body[: body.index('<ol class="count-steps">')]
    assert before.count("<details") == before.count("</details>"), "not collapsed in a <details>"
    text = steps.group(1)
    for code in cycle.results.get().selected:
        assert cycle.proposals.get(code=code).title in text
    assert not re.search(r"Funded \d+ \(", text), "no project is named by its number"
    # Each cell of the tables says its column on a phone.
    assert 'data-label="Cost"' in body and 'data-label="Votes online"' in body


def test_the_explanation_writes_money_in_cents_and_counts_with_plurals() -> None:
    names = {"1": "Playground", "2": "Food bank"}.__getitem__
    mes = explain_steps(
        steps=[
            {"kind": "share", "share": "50", "base_share": "50", "add1_steps": 0},
            {
                "kind": "funded",
                "round": 1,
                "project": "1",
                "cost": 400,
                "payments": {"full_payers": 1, "full_min": 400.0, "full_max": 400.0, "all_in_payers": 0},
            },
            {"kind": "rejected", "project": "2", "cost": 300, "reason": "no-support"},
        ],
        name=names,
        currency="EUR",
        unit=100,
    )
    assert mes[0].startswith("Every voter started with an equal share of 50 EUR")
    assert mes[1] == "Round 1: Playground (400 EUR) was funded. 1 supporter paid 400 EUR."
    assert mes[2] == "Food bank was not funded: nobody voted for it."
    greedy = explain_steps(
        steps=[
            {"project": "1", "score": 6, "cost": 400, "decision": "selected", "remaining": 600},
            {"project": "2", "score": 1, "cost": 800, "decision": "skipped", "remaining": 600},
        ],
        name=names,
        currency="EUR",
        unit=100,
    )
    assert greedy == [
        "Playground (6 votes) was funded: it costs 400 EUR, 600 EUR left.",
        "Food bank (1 vote) was passed over: it costs 800 EUR and only 600 EUR was left.",
    ]


def test_moving_the_phase_forward_asks_first_and_says_phases_never_go_back(
    client_for: Any, community: Any
) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    body = client_for("coordinator").get(url(cycle)).content.decode()
    confirm = body[body.index('<details class="confirm">') :]
    confirm = confirm[: confirm.index("</details>")]
    assert "Move to the next phase: Results" in confirm
    assert "Phases never go back" in confirm and "the ballots are counted" in confirm
    assert 'class="danger"' in confirm


def test_a_refused_ranked_ballot_keeps_every_rank_typed_with_the_summary_at_the_top(
    client_for: Any, community: Any
) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING, ballot_type=BallotType.RANKED, max_choices=3)
    response = client_for("member").post(
        url(cycle, "vote/"), {"district": "citywide", "rank-1": "1", "rank-2": "two", "rank-3": "3"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count("Write whole numbers only.") == 1  # once, in the summary at the top
    assert body.index('class="error-summary"') < body.index('id="ballot"')
    for code, value in (("1", "1"), ("2", "two"), ("3", "3")):
        assert f'id="rank-{code}" value="{value}"' in body
    assert not Ballot.objects.exists()


def test_each_merged_idea_is_ticked_by_its_own_label() -> None:
    class Idea:
        def __init__(self, pk: int, title: str) -> None:
            self.pk, self.title = pk, title

    html = render_to_string(
        "partials/_form_fields.html", {"form": ProposalForm(ideas=[Idea(1, "Fridge"), Idea(2, "Trees")])}
    )
    labels = re.findall(
        r'<label class="choice" for="(id_ideas_\d)"><input type="checkbox" name="ideas" value="\d"'
        r' id="(\w+)"',
        html,
    )
    assert labels == [("id_ideas_0", "id_ideas_0"), ("id_ideas_1", "id_ideas_1")]
