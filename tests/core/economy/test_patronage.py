"""Patronage allocation: the surplus is shared by patronage without losing or inventing a unit."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualpower.core.economy import CashRounding, LossPolicy, allocate_patronage

patronages = st.dictionaries(
    st.text(alphabet="abcdefghij", min_size=1, max_size=4),
    st.integers(min_value=0, max_value=10_000),
    min_size=1,
    max_size=30,
).filter(lambda d: sum(d.values()) > 0)
shares = st.fractions(min_value=0, max_value=1, max_denominator=1000)
roundings = st.sampled_from(list(CashRounding))


@settings(max_examples=300, deadline=None)
@given(surplus=st.integers(min_value=0, max_value=10**12), patronage=patronages, share=shares, r=roundings)
def test_allocations_sum_exactly_to_the_surplus_and_each_split_sums_to_its_allocation(
    surplus: int, patronage: dict[str, int], share: Fraction, r: CashRounding
) -> None:
    result = allocate_patronage(surplus=surplus, patronage=patronage, cash_share=share, rounding=r)
    assert sum(m.allocation for m in result.members) == surplus
    assert result.total_cash + result.total_retained == surplus
    for m in result.members:
        assert m.cash + m.retained == m.allocation
        assert 0 <= m.cash <= m.allocation
        assert abs(m.allocation - m.exact_share) < 1


@settings(max_examples=200, deadline=None)
@given(surplus=st.integers(min_value=0, max_value=10**9), patronage=patronages, share=shares)
def test_no_member_gets_less_cash_than_the_bylaws_share_under_member_minimum(
    surplus: int, patronage: dict[str, int], share: Fraction
) -> None:
    result = allocate_patronage(surplus=surplus, patronage=patronage, cash_share=share)
    for m in result.members:
        assert m.cash >= share * m.allocation
        assert m.cash - share * m.allocation < 1


@settings(max_examples=200, deadline=None)
@given(surplus=st.integers(min_value=1, max_value=10**9), patronage=patronages, share=shares)
def test_total_cash_under_largest_remainder_is_the_share_rounded_up(
    surplus: int, patronage: dict[str, int], share: Fraction
) -> None:
    result = allocate_patronage(
        surplus=surplus, patronage=patronage, cash_share=share, rounding=CashRounding.LARGEST_REMAINDER
    )
    assert result.total_cash >= share * surplus
    assert result.total_cash - share * surplus < 1


@settings(max_examples=200, deadline=None)
@given(surplus=st.integers(min_value=0, max_value=10**9), patronage=patronages)
def test_more_patronage_never_earns_a_smaller_allocation(surplus: int, patronage: dict[str, int]) -> None:
    result = allocate_patronage(surplus=surplus, patronage=patronage, cash_share=Fraction(1, 5))
    for a in result.members:
        for b in result.members:
            if a.patronage > b.patronage:
                assert a.allocation >= b.allocation


@settings(max_examples=200, deadline=None)
@given(loss=st.integers(min_value=1, max_value=10**9), patronage=patronages)
def test_an_allocated_loss_is_charged_in_full_to_capital_accounts(
    loss: int, patronage: dict[str, int]
) -> None:
    result = allocate_patronage(
        surplus=-loss, patronage=patronage, cash_share=Fraction(1, 5), loss_policy=LossPolicy.ALLOCATE
    )
    assert sum(m.allocation for m in result.members) == -loss
    assert all(m.cash == 0 and m.retained == m.allocation <= 0 for m in result.members)
    assert all(abs(m.allocation - m.exact_share) < 1 for m in result.members)


@settings(max_examples=100, deadline=None)
@given(surplus=st.integers(min_value=0, max_value=10**6), patronage=patronages, data=st.data())
def test_the_result_depends_on_the_tie_order_not_on_the_order_of_the_mapping(
    surplus: int, patronage: dict[str, int], data: st.DataObject
) -> None:
    order = sorted(patronage)
    shuffled = dict(data.draw(st.permutations(list(patronage.items()))))
    one = allocate_patronage(surplus=surplus, patronage=patronage, cash_share=Fraction(1, 4), tie_order=order)
    two = allocate_patronage(surplus=surplus, patronage=shuffled, cash_share=Fraction(1, 4), tie_order=order)
    assert one == two


def test_a_tie_in_remainders_goes_to_the_member_first_in_the_recorded_order() -> None:
    patronage = {"ana": 1, "ben": 1, "cy": 1}
    first = allocate_patronage(surplus=100, patronage=patronage, cash_share=Fraction(1, 5))
    assert [m.allocation for m in first.members] == [34, 33, 33]
    assert first.member("ana").allocation == 34
    second = allocate_patronage(
        surplus=100, patronage=patronage, cash_share=Fraction(1, 5), tie_order=["cy", "ana", "ben"]
    )
    assert second.member("cy").allocation == 34
    assert second.member("ana").allocation == 33
    assert second.tie_order == ("cy", "ana", "ben")


def test_worker_coop_hours_example_with_twenty_percent_cash() -> None:
    # A worker co-op closes the year with 10,000.00 of surplus (1,000,000 cents) and three members
    # who worked 1,800, 1,200 and 600 hours: allocations 5,000.00, 3,333.33 and 1,666.67.
    result = allocate_patronage(
        surplus=1_000_000, patronage={"mo": 1800, "lu": 1200, "ki": 600}, cash_share=Fraction(1, 5)
    )
    assert [(m.allocation, m.cash, m.retained) for m in result.members] == [
        (500_000, 100_000, 400_000),
        (333_333, 66_667, 266_666),
        (166_667, 33_334, 133_333),
    ]
    assert result.total_cash == 200_001


def test_largest_remainder_cash_pays_exactly_the_rounded_share_in_total() -> None:
    result = allocate_patronage(
        surplus=1_000_000,
        patronage={"mo": 1800, "lu": 1200, "ki": 600},
        cash_share=Fraction(1, 5),
        rounding=CashRounding.LARGEST_REMAINDER,
    )
    assert result.total_cash == 200_000
    assert [m.cash for m in result.members] == [100_000, 66_667, 33_333]


def test_a_member_with_no_patronage_gets_nothing() -> None:
    result = allocate_patronage(surplus=999, patronage={"a": 0, "b": 3}, cash_share=Fraction(1, 5))
    assert result.member("a").allocation == 0
    assert result.member("b").allocation == 999


def test_a_loss_is_refused_by_default_with_a_sentence() -> None:
    with pytest.raises(ValueError, match="loss of 500"):
        allocate_patronage(surplus=-500, patronage={"a": 1}, cash_share=Fraction(1, 5))


def test_a_surplus_with_no_patronage_at_all_is_refused() -> None:
    with pytest.raises(ValueError, match="no basis"):
        allocate_patronage(surplus=10, patronage={"a": 0, "b": 0}, cash_share=Fraction(1, 5))
    zero = allocate_patronage(surplus=0, patronage={"a": 0}, cash_share=Fraction(1, 5))
    assert zero.member("a").allocation == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"surplus": 10.5}, "whole number"),
        ({"cash_share": 0.2}, "floats are refused"),
        ({"cash_share": Fraction(6, 5)}, "between 0 and 1"),
        ({"patronage": {"a": -1}}, "negative"),
        ({"patronage": {}}, "no members"),
        ({"tie_order": ["a"]}, "exactly the members"),
        ({"tie_order": ["a", "a", "b"]}, "more than once"),
    ],
)
def test_bad_input_is_refused_with_a_sentence(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "surplus": 10,
        "patronage": {"a": 1, "b": 2},
        "cash_share": Fraction(1, 5),
    }
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        allocate_patronage(**arguments)  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(surplus=st.integers(min_value=0, max_value=10**9), patronage=patronages, r=roundings)
def test_members_without_patronage_get_nothing_and_the_settings_are_returned(
    surplus: int, patronage: dict[str, int], r: CashRounding
) -> None:
    result = allocate_patronage(surplus=surplus, patronage=patronage, cash_share=Fraction(1, 3), rounding=r)
    assert all(m.allocation == 0 for m in result.members if m.patronage == 0)
    assert (result.rounding, result.cash_share, result.surplus) == (r, Fraction(1, 3), surplus)
    assert result.total_patronage == sum(patronage.values())
