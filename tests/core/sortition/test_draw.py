"""The lottery and the draw: every possible panel meets the quotas, probabilities are exact, and a
public seed picks one panel that anyone can recompute from the published table."""

from __future__ import annotations

import hashlib
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sortition_pools import make_pool, make_quotas

from dualpower.core.sortition import (
    Composition,
    Distribution,
    Pool,
    Profile,
    Quotas,
    draw,
    lottery_fingerprint,
    lottery_table,
    select_distribution,
)


@pytest.fixture(scope="module")
def pool() -> Pool:
    return make_pool(60, seed=11)


@pytest.fixture(scope="module")
def quotas(pool: Pool) -> Quotas:
    return make_quotas(pool, 10)


@pytest.fixture(scope="module")
def lottery(pool: Pool, quotas: Quotas) -> Distribution:
    return select_distribution(pool, quotas, 10)


def _meets_quotas(members: tuple[str, ...], pool: Pool, quotas: Quotas) -> bool:
    values = {p.id: dict(p.features) for p in pool.people}
    return all(
        q.min <= sum(1 for m in members if values[m][q.feature] == q.value) <= q.max for q in quotas.quotas
    )


def test_every_composition_in_the_lottery_meets_the_quotas_and_size(
    lottery: Distribution, quotas: Quotas
) -> None:
    index = {f: i for i, f in enumerate(lottery.features)}
    for composition in lottery.lottery:
        assert sum(composition.counts) == 10
        for q in quotas.quotas:
            count = sum(
                c for c, prof in zip(composition.counts, lottery.profiles, strict=True)
                if prof.values[index[q.feature]] == q.value
            )  # fmt: skip
            assert q.min <= count <= q.max
        assert all(c <= len(p.members) for c, p in zip(composition.counts, lottery.profiles, strict=True))


@settings(max_examples=50, deadline=None)
@given(seed=st.text(min_size=1, max_size=30).filter(str.strip))
def test_every_drawn_panel_meets_the_quotas_and_size(
    seed: str, pool: Pool, quotas: Quotas, lottery: Distribution
) -> None:
    panel = draw(lottery, seed)
    assert len(panel.members) == len(set(panel.members)) == 10
    assert _meets_quotas(panel.members, pool, quotas)


def test_probabilities_sum_exactly_to_the_panel_size(lottery: Distribution) -> None:
    assert sum(p for _, p in lottery.probabilities) == 10
    assert sum(c.tickets for c in lottery.lottery) == lottery.total_tickets


def test_members_of_a_profile_share_one_probability(lottery: Distribution) -> None:
    for profile in lottery.profiles:
        assert len({lottery.probability(pid) for pid in profile.members}) == 1


def test_draw_is_deterministic_for_a_seed(lottery: Distribution) -> None:
    assert draw(lottery, "2026-11-22 national lottery: 04 17 23 31 42 45") == draw(
        lottery, "2026-11-22 national lottery: 04 17 23 31 42 45"
    )


def test_an_integer_seed_is_drawn_as_its_decimal_text(lottery: Distribution) -> None:
    assert draw(lottery, 41723).members == draw(lottery, "41723").members


def test_draw_differs_across_seeds(lottery: Distribution) -> None:
    """The seed decides the panel: the same seed gives the same panel, and different seeds give
    different tickets. How many *distinct* panels 20 seeds give depends on the lottery the solver
    chose among equally fair ones (and on chance collisions), so no fixed count is asserted; the
    bound below holds by construction: two seeds that land in different compositions take different
    numbers from some profile, hence different panels."""
    seeds = [f"seed {k}" for k in range(20)]
    panels = [draw(lottery, seed) for seed in seeds]
    assert panels == [draw(lottery, seed) for seed in seeds]
    assert len({panel.ticket for panel in panels}) == len(seeds)
    compositions = {panel.composition for panel in panels}
    assert len({panel.members for panel in panels}) >= len(compositions) >= 2


def test_draw_within_a_composition_follows_the_seed() -> None:
    """A fixed lottery (one composition: one person of twenty): only the seed can change who is
    drawn, so a draw that ignored the seed would return the same person every time."""
    members = tuple(f"p{i:02d}" for i in range(20))
    only = Composition(counts=(1,), tickets=10**12)
    fixed = Distribution(
        objective="maximin",
        panel_size=1,
        features=("area",),
        quotas=Quotas(()),
        profiles=(Profile(values=("all",), members=members),),
        lottery=(only,),
        total_tickets=10**12,
        probabilities=tuple((pid, Fraction(1, 20)) for pid in members),
        never_selectable=(),
        columns_generated=1,
    )
    seeds = [f"seed {k}" for k in range(20)]
    expected = [
        min(members, key=lambda pid, s=seed: hashlib.sha256(f"{s}\n{pid}".encode()).hexdigest())
        for seed in seeds
    ]
    drawn = [draw(fixed, seed).members for seed in seeds]
    assert drawn == [(pid,) for pid in expected]
    assert len(set(drawn)) > 1


def test_draw_follows_the_published_recipe(lottery: Distribution) -> None:
    """docs/sortition.md's steps, recomputed here with hashlib only."""
    seed = "Riverside assembly, 1 December: 7 19 22 34 40"
    ticket = int(hashlib.sha256(seed.encode("utf-8")).hexdigest(), 16) % 10**12
    upto, chosen = 0, None
    for composition in lottery.lottery:
        upto += composition.tickets
        if ticket < upto:
            chosen = composition
            break
    assert chosen is not None
    expected = []
    for profile, count in zip(lottery.profiles, chosen.counts, strict=True):
        keys = sorted(profile.members, key=lambda pid: hashlib.sha256(f"{seed}\n{pid}".encode()).hexdigest())
        expected.extend(keys[:count])
    panel = draw(lottery, seed)
    assert panel.ticket == ticket
    assert panel.members == tuple(sorted(expected))


def test_draws_over_many_seeds_follow_the_published_probabilities(lottery: Distribution) -> None:
    runs = 3000
    seen = Counter(pid for k in range(runs) for pid in draw(lottery, k).members)
    for pid, p in lottery.probabilities:
        # 5 standard deviations of a binomial count: a real bias shows, chance does not.
        sd = (runs * float(p) * (1 - float(p))) ** 0.5
        assert abs(seen[pid] - runs * float(p)) <= 5 * sd + 1


def test_the_published_table_names_every_ticket_range(lottery: Distribution) -> None:
    table = lottery_table(lottery)
    assert f"{lottery.total_tickets - 1}:" in table
    assert table.count("\n  P") == len(lottery.profiles)
    assert len(lottery_fingerprint(lottery)) == 64


def test_the_same_pool_gives_the_same_lottery(pool: Pool, quotas: Quotas, lottery: Distribution) -> None:
    shuffled = Pool(tuple(reversed(pool.people)))
    assert select_distribution(shuffled, quotas, 10) == lottery


def test_an_empty_seed_is_refused(lottery: Distribution) -> None:
    with pytest.raises(ValueError, match="seed is empty"):
        draw(lottery, "  ")


@settings(max_examples=15, deadline=None)
@given(
    size=st.integers(20, 60),
    seed=st.integers(0, 10_000),
    share=st.floats(0.1, 0.3),
    objective=st.sampled_from(["maximin", "leximin"]),
)
def test_any_lottery_holds_only_panels_within_quotas(
    size: int, seed: int, share: float, objective: str
) -> None:
    pool = make_pool(size, seed=seed, features=3)
    panel_size = max(3, round(share * size))
    quotas = make_quotas(pool, panel_size, margin=0.3)
    try:
        lottery = select_distribution(pool, quotas, panel_size, objective=objective)  # type: ignore[arg-type]
    except ValueError as error:
        assert any(f in str(error) for f in ("neighbourhood", "gender", "age"))
        return
    assert sum(p for _, p in lottery.probabilities) == panel_size
    for k in range(5):
        panel = draw(lottery, f"{seed}-{k}")
        assert len(panel.members) == panel_size
        assert _meets_quotas(panel.members, pool, quotas)
    index = {f: i for i, f in enumerate(lottery.features)}
    for composition in lottery.lottery:
        for q in quotas.quotas:
            count = sum(
                c for c, prof in zip(composition.counts, lottery.profiles, strict=True)
                if prof.values[index[q.feature]] == q.value
            )  # fmt: skip
            assert q.min <= count <= q.max
