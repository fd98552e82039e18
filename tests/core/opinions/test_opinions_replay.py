"""Polis' update path replayed from the votes' timestamps (core/opinions/replay.py).

Its agreement with Polis' groups on the seven shared conversations is checked in
test_opinions_polis.py (``polis_map``); here, its invariants and the choice of Polis version."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from opinion_worlds import planted

from dualpower.core.opinions import Votes, adjusted_rand_index, opinion_map, polis_map
from dualpower.core.opinions.replay import polis_era, replay


def test_the_polis_version_is_chosen_from_the_dates_of_the_votes() -> None:
    old = polis_era(np.array([1499589329542.0]))  # July 2017
    assert old.zero_fill and old.count_moderated and old.pca_iters == 10 and old.base_iters == 20
    new = polis_era(np.array([1728094172755.0]))  # October 2024
    assert not new.zero_fill and not new.count_moderated and new.pca_iters == 100 and new.base_iters == 100


def _stamped(votes: Votes) -> Votes:
    return Votes(
        votes.participant_ids,
        votes.statement_ids,
        votes.participant,
        votes.statement,
        votes.vote,
        timestamp=np.arange(len(votes.vote), dtype=np.float64) * 1000.0,
    )


@settings(max_examples=10, deadline=None, derandomize=True)
@given(seed=st.integers(0, 50), data=st.data())
def test_numbering_participants_differently_changes_no_replayed_group(seed: int, data: st.DataObject) -> None:
    votes = _stamped(planted(people=40, statements=12, camps=2, seed=seed)[0])
    n = len(votes.participant_ids)
    perm = np.array(data.draw(st.permutations(range(n))))  # new index of each participant
    ids = [""] * n
    for old, new in enumerate(perm):
        ids[new] = votes.participant_ids[old]
    shuffle = np.array(data.draw(st.permutations(range(len(votes.vote)))))
    renumbered = Votes(
        tuple(ids),
        votes.statement_ids,
        perm[votes.participant][shuffle],
        votes.statement[shuffle],
        votes.vote[shuffle],
        timestamp=votes.timestamp[shuffle] if votes.timestamp is not None else None,
    )
    before, mapped, _ = replay(votes)
    after, mapped_after, _ = replay(renumbered)
    assert mapped == mapped_after
    assert adjusted_rand_index([before[p] for p in before], [after[p] for p in before]) == 1.0


def test_the_replayed_map_lists_representative_statements_of_the_replayed_groups() -> None:
    votes = _stamped(planted(people=60, statements=15, camps=2, seed=4)[0])
    result = polis_map(votes)
    replayed, _, _ = replay(votes)
    assert len(result.groups) == len(set(replayed.values())) == len(result.repness)
    assert adjusted_rand_index([replayed[p] for p in replayed], [result.group_of[p] for p in replayed]) == 1.0
    # without timestamps there is no path to replay: the map is opinion_map's
    plain = replace(votes, timestamp=None)
    assert polis_map(plain).group_of == opinion_map(plain).group_of


@settings(max_examples=10, deadline=None, derandomize=True)
@given(seed=st.integers(0, 50), data=st.data())
def test_numbering_statements_differently_changes_no_replayed_group(seed: int, data: st.DataObject) -> None:
    votes = _stamped(planted(people=40, statements=12, camps=2, seed=seed)[0])
    m = len(votes.statement_ids)
    perm = np.array(data.draw(st.permutations(range(m))))  # new index of each statement
    ids = [""] * m
    for old, new in enumerate(perm):
        ids[new] = votes.statement_ids[old]
    renumbered = replace(votes, statement_ids=tuple(ids), statement=perm[votes.statement])
    before, mapped, _ = replay(votes)
    after, mapped_after, _ = replay(renumbered)
    assert mapped == mapped_after
    assert adjusted_rand_index([before[p] for p in before], [after[p] for p in before]) == 1.0
