"""Properties of the Method of Equal Shares on random small elections (Hypothesis)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mes_pabutools_adapter import pabutools_mes, sat_class_for, to_pabutools
from pabutools.analysis.justifiedrepresentation import is_EJR_one_approval

from dualpower.core.choice.pb.election import Ballots, PBElection, Project
from dualpower.core.choice.pb.mes import equal_shares
from dualpower.core.choice.pb.mes_add1 import add1_jumping, add1_stepping
from dualpower.core.choice.pb.mes_prepare import prepare
from dualpower.core.choice.pb.properties import is_ejr_up_to_one
from dualpower.core.choice.pb.tiebreak import TieBreak

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def elections(
    draw: Any, vote_type: str = "approval", max_projects: int = 6, max_voters: int = 12
) -> PBElection:
    n_projects = draw(st.integers(1, max_projects))
    costs = draw(st.lists(st.integers(1, 30), min_size=n_projects, max_size=n_projects))
    n_voters = draw(st.integers(1, max_voters))
    entries: list[list[tuple[int, int]]] = []
    for _ in range(n_voters):
        chosen = draw(st.lists(st.integers(0, n_projects - 1), unique=True, max_size=n_projects))
        if vote_type == "cumulative":
            entries.append([(p, draw(st.integers(1, 5))) for p in chosen])
        elif vote_type == "ordinal":
            entries.append([(p, k + 1) for k, p in enumerate(chosen)])
        else:
            entries.append([(p, 1) for p in chosen])
    budget = draw(st.integers(1, max(1, sum(costs))))
    ballots = Ballots.from_lists([f"v{i}" for i in range(n_voters)], entries)
    projects = tuple(Project(f"p{i}", c) for i, c in enumerate(costs))
    return PBElection(projects, budget, vote_type, ballots)  # type: ignore[arg-type]


def _order(election: PBElection, tie_break: TieBreak) -> list[str]:
    rank = tie_break.rank(election)
    return [election.projects[i].id for i in np.argsort(rank)]


def _shuffled(election: PBElection, seed: int) -> PBElection:
    ballots = election.ballots
    perm = np.random.default_rng(seed).permutation(ballots.num_voters)
    entries = []
    for v in perm:
        idx, pts = ballots.of(int(v))
        entries.append(list(zip(idx.tolist(), pts.tolist(), strict=True)))
    shuffled = Ballots.from_lists([ballots.voter_ids[int(v)] for v in perm], entries, ballots.weights[perm])
    return PBElection(election.projects, election.budget, election.vote_type, shuffled)


@FAST
@given(st.sampled_from(["approval", "cumulative", "ordinal"]).flatmap(lambda t: elections(vote_type=t)))
def test_mes_equals_pabutools_on_random_elections(election: PBElection) -> None:
    tie_break = TieBreak()
    order = _order(election, tie_break)
    instance, profile = to_pabutools(election)
    expected = pabutools_mes(instance, profile, election.vote_type, order)
    assert list(equal_shares(election, completion="none", tie_break=tie_break).selected) == expected


@FAST
@given(
    st.sampled_from(["approval", "cumulative", "ordinal"]).flatmap(
        lambda t: elections(vote_type=t, max_projects=4, max_voters=6)
    )
)
def test_mes_add1_equals_pabutools_stepping_on_random_elections(election: PBElection) -> None:
    from fractions import Fraction

    order = _order(election, TieBreak())
    instance, profile = to_pabutools(election)
    base = Fraction(election.budget, election.ballots.num_voters)
    prep = prepare(election)
    supported = {election.projects[p].id for p in np.flatnonzero(prep.p_mu > 0)}
    vote_type = election.vote_type
    previous = pabutools_mes(instance, profile, vote_type, order)
    step = 0
    while not set(previous) >= supported:
        current = pabutools_mes(instance, profile, vote_type, order, share=base + step + 1)
        if sum(election.projects[int(p[1:])].cost for p in current) > election.budget:
            break
        previous, step = current, step + 1
    outcome = equal_shares(election, completion="add1", tie_break=TieBreak())
    assert list(outcome.selected) == previous
    assert outcome.settings["add1_steps"] == step


@FAST
@given(st.sampled_from(["approval", "cumulative", "ordinal"]).flatmap(lambda t: elections(vote_type=t)))
def test_every_mes_completion_stays_within_budget(election: PBElection) -> None:
    for completion in ("none", "add1", "add1u", "utilitarian"):
        outcome = equal_shares(election, completion=completion)  # type: ignore[arg-type]
        assert outcome.total_cost <= election.budget
        assert len(set(outcome.selected)) == len(outcome.selected)


@FAST
@given(elections(max_projects=6))
def test_mes_satisfies_ejr_up_to_one_project(election: PBElection) -> None:
    outcome = equal_shares(election, completion="none")
    assert is_ejr_up_to_one(election, outcome.selected)


@FAST
@given(elections(max_projects=4, max_voters=7), st.data())
def test_ejr_checker_agrees_with_pabutools(election: PBElection, data: st.DataObject) -> None:
    chosen = data.draw(st.sets(st.sampled_from([p.id for p in election.projects])))
    instance, profile = to_pabutools(election)
    funded = [p for p in instance if p.name in chosen]
    expected = is_EJR_one_approval(instance, profile, sat_class_for("approval"), funded)
    assert is_ejr_up_to_one(election, chosen, strict=False) == expected


@FAST
@given(
    st.sampled_from(["approval", "cumulative", "ordinal"]).flatmap(lambda t: elections(vote_type=t)),
    st.integers(0, 99),
)
def test_mes_does_not_depend_on_ballot_order(election: PBElection, seed: int) -> None:
    for completion in ("none", "add1"):
        a = equal_shares(election, completion=completion)  # type: ignore[arg-type]
        b = equal_shares(_shuffled(election, seed), completion=completion)  # type: ignore[arg-type]
        assert a.selected == b.selected


@FAST
@given(
    st.sampled_from(["approval", "cumulative", "ordinal"]).flatmap(
        lambda t: elections(vote_type=t, max_voters=30)
    )
)
def test_float_preview_equals_exact_count(election: PBElection) -> None:
    for completion in ("none", "add1"):
        exact = equal_shares(election, completion=completion, exact=True)  # type: ignore[arg-type]
        preview = equal_shares(election, completion=completion, exact=False)  # type: ignore[arg-type]
        assert exact.selected == preview.selected


@FAST
@given(
    st.sampled_from(["approval", "cumulative", "ordinal"]).flatmap(
        lambda t: elections(vote_type=t, max_voters=20)
    )
)
def test_add1_jumping_equals_plain_stepping(election: PBElection) -> None:
    prep = prepare(election)
    rank = TieBreak().rank(election)
    stepped = add1_stepping(prep, election.budget, rank, max_steps=20_000)
    jumped = add1_jumping(prep, election.budget, rank)
    assert jumped.run.selected == stepped.run.selected
    assert jumped.step == stepped.step


def test_float_preview_equals_exact_count_on_ties_by_construction() -> None:
    # Four identical voter blocs and equal costs: every rho ties and the tie-break decides.
    entries = [[(0, 1), (1, 1)], [(2, 1), (3, 1)]] * 3
    election = PBElection(
        tuple(Project(f"p{i}", 10) for i in range(4)),
        20,
        "approval",
        Ballots.from_lists([str(i) for i in range(6)], entries),
    )
    order = TieBreak(kind="order", order=("p3", "p1", "p2", "p0"))
    exact = equal_shares(election, completion="none", tie_break=order)
    preview = equal_shares(election, completion="none", tie_break=order, exact=False)
    assert exact.selected == preview.selected == ("p3", "p1")
