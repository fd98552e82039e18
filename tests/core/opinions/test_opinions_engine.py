"""The opinion map: Polis' rules for who is mapped, what counts, how groups are found, and what
sets them apart or brings them together; the same votes give the same groups in any order."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from opinion_worlds import planted

from dualpower.core.opinions import (
    KSmoother,
    OpinionsError,
    Votes,
    adjusted_rand_index,
    opinion_map,
    pca,
)
from dualpower.core.opinions.clusters import smooth_k
from dualpower.core.opinions.repness import prop_test, two_prop_test


def _partition(result_groups: tuple[tuple[str, ...], ...]) -> set[frozenset[str]]:
    return {frozenset(g) for g in result_groups}


def test_two_planted_camps_are_found_as_two_groups() -> None:
    votes, camp = planted(people=80, statements=20, camps=2, seed=3)
    result = opinion_map(votes)
    assert len(result.groups) == 2
    ours = [result.group_of[f"p{i}"] for i in range(80)]
    assert adjusted_rand_index(ours, camp.tolist()) == 1.0


def test_three_planted_camps_are_found_as_three_groups() -> None:
    votes, camp = planted(people=150, statements=30, camps=3, seed=5)
    result = opinion_map(votes)
    assert len(result.groups) == 3
    ours = [result.group_of[f"p{i}"] for i in range(150)]
    assert adjusted_rand_index(ours, camp.tolist()) == 1.0


def test_a_participant_with_fewer_than_seven_votes_is_left_off_the_groups() -> None:
    votes, _ = planted(people=40, statements=20, camps=2, seed=1)
    few = [("newcomer", str(s), 1) for s in range(6)]
    triples = [
        (votes.participant_ids[p], votes.statement_ids[s], int(v))
        for p, s, v in zip(votes.participant, votes.statement, votes.vote, strict=True)
    ]
    result = opinion_map(Votes.from_triples(triples + few))
    assert "newcomer" not in result.group_of
    seven = Votes.from_triples(triples + few + [("newcomer", "6", 1)])
    assert "newcomer" in opinion_map(seven).group_of


def test_while_fewer_than_fifteen_are_mapped_the_most_active_are_taken() -> None:
    # 20 people with 1 to 5 votes on 10 statements: nobody reaches 7, so the 15 most active are in.
    triples = [(f"p{i}", str(s), 1 if (i + s) % 2 else -1) for i in range(20) for s in range(1 + i % 5)]
    triples += [("seed", str(s), 1) for s in range(10)]  # one person saw all ten statements
    result = opinion_map(Votes.from_triples(triples))
    assert int(result.in_conversation.sum()) == 15
    count = {pid: sum(1 for t in triples if t[0] == pid) for pid in result.participant_ids}
    inside = [count[p] for p, i in zip(result.participant_ids, result.in_conversation, strict=True) if i]
    outside = [count[p] for p, i in zip(result.participant_ids, result.in_conversation, strict=True) if not i]
    assert min(inside) >= max(outside)


def test_once_mapped_a_participant_stays_mapped() -> None:
    votes, _ = planted(people=40, statements=20, camps=2, seed=1)
    triples = [
        (votes.participant_ids[p], votes.statement_ids[s], int(v))
        for p, s, v in zip(votes.participant, votes.statement, votes.vote, strict=True)
    ]
    few = Votes.from_triples([*triples, ("newcomer", "1", 1)])
    assert "newcomer" in opinion_map(few, already={"newcomer"}).group_of


def test_the_last_vote_on_a_statement_is_the_one_that_counts() -> None:
    votes, _ = planted(people=40, statements=12, camps=2, seed=2)
    triples = [
        (votes.participant_ids[p], votes.statement_ids[s], int(v))
        for p, s, v in zip(votes.participant, votes.statement, votes.vote, strict=True)
    ]
    changed = Votes.from_triples([("p0", "0", -1), ("p0", "0", 1), *triples[1:]])
    once = Votes.from_triples([("p0", "0", 1), *triples[1:]])
    a, b = opinion_map(changed), opinion_map(once)
    np.testing.assert_allclose(a.position[: len(b.position)], b.position, atol=1e-9)


def test_votes_on_a_moderated_out_statement_do_not_move_anyone() -> None:
    votes, _ = planted(people=60, statements=15, camps=2, seed=4)
    out = frozenset({"3"})
    flipped = replace(votes, vote=np.where(votes.statement == 3, -votes.vote, votes.vote), moderated_out=out)
    a = opinion_map(replace(votes, moderated_out=out))
    b = opinion_map(flipped)
    np.testing.assert_allclose(np.abs(a.position), np.abs(b.position), atol=1e-9)
    assert _partition(a.groups) == _partition(b.groups)
    shown = {r.statement_id for group in a.repness for r in group} | {c.statement_id for c in a.consensus}
    assert "3" not in shown


def test_a_statement_one_camp_agrees_with_and_the_other_rejects_represents_both() -> None:
    votes, _ = planted(people=80, statements=20, camps=2, seed=3, loyalty=0.95)
    result = opinion_map(votes)
    for g, reps in enumerate(result.repness):
        assert reps, f"group {g} has no representative statement"
        for r in reps:
            counts = result.group_votes[r.statement_id][g]
            share = (counts.agree if r.repful_for == "agree" else counts.disagree) / counts.seen
            assert share > 0.7


def test_a_statement_every_camp_agrees_with_is_consensus_and_a_divisive_one_is_not() -> None:
    votes, camp = planted(people=80, statements=20, camps=2, seed=3)
    common = [(f"p{i}", "shared", 1 if i % 10 else -1) for i in range(80)]
    split = [(f"p{i}", "divisive", 1 if camp[i] == 0 else -1) for i in range(80)]
    triples = [
        (votes.participant_ids[p], votes.statement_ids[s], int(v))
        for p, s, v in zip(votes.participant, votes.statement, votes.vote, strict=True)
    ]
    result = opinion_map(Votes.from_triples(triples + common + split))
    agreed = {c.statement_id for c in result.consensus if c.direction == "agree"}
    assert "shared" in agreed
    assert "divisive" not in {c.statement_id for c in result.consensus}
    assert result.group_aware_consensus["shared"] > result.group_aware_consensus["divisive"]


def test_polis_proportion_tests() -> None:
    # prop-test: 2·sqrt(n+1)·((s+1)/(n+1) − 1/2); two-prop-test with +1 on all four counts.
    assert prop_test(np.array(9.0), np.array(9.0)) == pytest.approx(2 * np.sqrt(10) * 0.5)
    z = two_prop_test(np.array(8.0), np.array(2.0), np.array(9.0), np.array(9.0))
    p1, p2, hat = 9 / 10, 3 / 10, 12 / 20
    assert z == pytest.approx((p1 - p2) / np.sqrt(hat * (1 - hat) * (2 / 10)))


def test_k_changes_only_after_four_updates_in_a_row_prefer_it() -> None:
    state = KSmoother(last_k=2, last_k_count=7, smoothed_k=2)
    for _ in range(3):
        state = smooth_k(state, 3, 4)
        assert state.smoothed_k == 2
    assert smooth_k(state, 3, 4).smoothed_k == 3
    assert smooth_k(smooth_k(state, 2, 4), 3, 4).smoothed_k == 2


def test_an_update_from_the_last_map_keeps_the_groups() -> None:
    votes, _ = planted(people=100, statements=20, camps=2, seed=8)
    half = len(votes.vote) // 2
    first = opinion_map(
        replace(
            votes,
            participant=votes.participant[:half],
            statement=votes.statement[:half],
            vote=votes.vote[:half],
        )
    )
    updated = opinion_map(votes, previous=first)
    assert _partition(updated.groups) == _partition(opinion_map(votes).groups)
    assert updated.k_smoother.last_k_count == 2


def test_bad_votes_are_refused_with_a_sentence() -> None:
    with pytest.raises(OpinionsError, match="not 1"):
        Votes.from_triples([("a", "1", 2)])
    with pytest.raises(OpinionsError, match="differ in length"):
        Votes(("a",), ("1",), np.array([0]), np.array([0, 0]), np.array([1]))
    with pytest.raises(OpinionsError, match="not in the list"):
        Votes(("a",), ("1",), np.array([1]), np.array([0]), np.array([1]))


def test_no_votes_make_an_empty_map() -> None:
    result = opinion_map(Votes.from_triples([]))
    assert result.groups == () and result.consensus == ()


# --- the same votes give the same groups however they are numbered -------------------------------

worlds = st.builds(
    lambda seed, camps, people, statements: planted(
        people=people, statements=statements, camps=camps, seed=seed, loyalty=0.85
    )[0],
    st.integers(0, 10_000),
    st.sampled_from([2, 3]),
    st.integers(30, 70),
    st.integers(8, 20),
)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(votes=worlds, data=st.data())
def test_numbering_the_participants_differently_changes_no_group(votes: Votes, data: st.DataObject) -> None:
    n = len(votes.participant_ids)
    perm = np.array(data.draw(st.permutations(range(n))))
    renamed = Votes(
        participant_ids=tuple(votes.participant_ids[i] for i in np.argsort(perm)),
        statement_ids=votes.statement_ids,
        participant=perm[votes.participant],
        statement=votes.statement,
        vote=votes.vote,
    )
    shuffle = np.array(data.draw(st.permutations(range(len(votes.vote)))))
    reordered = Votes(
        renamed.participant_ids,
        renamed.statement_ids,
        renamed.participant[shuffle],
        renamed.statement[shuffle],
        renamed.vote[shuffle],
    )
    assert _partition(opinion_map(reordered).groups) == _partition(opinion_map(votes).groups)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(votes=worlds, data=st.data())
def test_numbering_the_statements_differently_changes_no_group(votes: Votes, data: st.DataObject) -> None:
    m = len(votes.statement_ids)
    perm = np.array(data.draw(st.permutations(range(m))))
    renumbered = Votes(
        participant_ids=votes.participant_ids,
        statement_ids=tuple(votes.statement_ids[i] for i in np.argsort(perm)),
        participant=votes.participant,
        statement=perm[votes.statement],
        vote=votes.vote,
    )
    assert _partition(opinion_map(renumbered).groups) == _partition(opinion_map(votes).groups)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(votes=worlds, data=st.data())
def test_a_participants_identical_twin_lands_in_the_same_group(votes: Votes, data: st.DataObject) -> None:
    who = data.draw(st.integers(0, len(votes.participant_ids) - 1))
    mine = votes.participant == who
    twin = len(votes.participant_ids)
    doubled = Votes(
        participant_ids=(*votes.participant_ids, "twin"),
        statement_ids=votes.statement_ids,
        participant=np.concatenate([votes.participant, np.full(int(mine.sum()), twin)]),
        statement=np.concatenate([votes.statement, votes.statement[mine]]),
        vote=np.concatenate([votes.vote, votes.vote[mine]]),
    )
    groups = opinion_map(doubled).group_of
    assert groups["twin"] == groups[votes.participant_ids[who]]


# --- any votes at all make a map: a deliberation's first minutes ------------------------------

tiny = st.lists(
    st.tuples(st.integers(0, 6), st.integers(0, 5), st.sampled_from([-1, 0, 1])), min_size=1, max_size=40
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(triples=tiny, out=st.sets(st.integers(0, 5), max_size=3))
def test_any_handful_of_votes_gives_a_map_of_everyone_mapped(
    triples: list[tuple[int, int, int]], out: set[int]
) -> None:
    votes = Votes.from_triples(
        [(f"p{p}", str(s), v) for p, s, v in triples], moderated_out={str(s) for s in out}
    )
    result = opinion_map(votes)
    assert np.isfinite(result.position).all()
    mapped = {
        pid for pid, inside in zip(result.participant_ids, result.in_conversation, strict=True) if inside
    }
    assert set(result.group_of) == mapped
    assert sorted(p for g in result.groups for p in g) == sorted(mapped)
    listed = {r.statement_id for g in result.repness for r in g} | {c.statement_id for c in result.consensus}
    assert listed <= set(votes.statement_ids) - votes.moderated_out
    again = opinion_map(votes, previous=result)
    assert set(again.group_of) == mapped


def test_a_few_people_on_many_statements_get_the_same_map_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    # Many more statements than participants: the components come from the participants' side,
    # and must be those of the statements' side.
    votes, _ = planted(people=30, statements=600, camps=2, seed=12, density=0.5)
    result = opinion_map(votes)
    monkeypatch.setattr(pca, "DENSE_UP_TO", 10_000)
    dense = opinion_map(votes)
    np.testing.assert_allclose(np.abs(result.components), np.abs(dense.components), atol=1e-8)
    np.testing.assert_allclose(np.abs(result.position), np.abs(dense.position), atol=1e-8)
    assert _partition(result.groups) == _partition(dense.groups)
