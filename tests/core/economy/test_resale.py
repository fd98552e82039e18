"""Community land trust resale formulas, checked on worked examples of the kind CLT leases use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualpower.core.economy import (
    CapitalImprovement,
    Compounding,
    Formula,
    ResaleBreakdown,
    Rounding,
    appraisal_based,
    fixed_rate,
    indexed,
    itemized,
    resale_price,
)
from dualpower.core.economy.resale import english_label
from dualpower.core.economy.resale_model import LineKind


def _sums(breakdown: ResaleBreakdown) -> bool:
    return sum(line.amount for line in breakdown.lines) == breakdown.price


def test_appraisal_based_gives_the_owner_25_percent_of_the_appreciation() -> None:
    # The classic CLT example: bought at 150,000 when the home appraised at 200,000; it now
    # appraises at 260,000, so the owner may sell for 150,000 + 25% × 60,000.
    result = appraisal_based(
        purchase_price=150_000,
        initial_appraisal=200_000,
        current_appraisal=260_000,
        owner_share=Fraction(1, 4),
    )
    assert result.price == 165_000
    assert result.formula is Formula.APPRAISAL_BASED
    assert [line.amount for line in result.lines] == [150_000, 15_000]
    assert [english_label(line) for line in result.lines] == [
        "Purchase price",
        "25% of the appreciation (2,600.00 − 2,000.00 = 600.00)",
    ]
    assert ("owner_share", "1/4") in result.settings


def test_a_line_keeps_its_numbers_as_data_not_text() -> None:
    result = appraisal_based(
        purchase_price=15_000_000,
        initial_appraisal=20_000_000,
        current_appraisal=26_000_000,
        owner_share=Fraction(1, 4),
    )
    share = result.lines[1]
    assert share.kind is LineKind.APPRECIATION_SHARE
    assert dict(share.params) == {
        "share": Fraction(1, 4),
        "initial_appraisal": 20_000_000,
        "current_appraisal": 26_000_000,
        "change": 6_000_000,
    }
    assert share.amount == 1_500_000
    assert english_label(share) == "25% of the appreciation (260,000.00 − 200,000.00 = 60,000.00)"


def test_appraisal_based_works_in_cents_and_rounds_down_by_default() -> None:
    result = appraisal_based(
        purchase_price=15_000_000,
        initial_appraisal=20_000_000,
        current_appraisal=26_000_001,
        owner_share=Fraction(1, 4),
    )
    assert result.exact_price == Fraction(16_500_000) + Fraction(1, 4)
    assert result.price == 16_500_000
    assert _sums(result)


def test_appraisal_based_shares_a_fall_in_value_unless_the_lease_floors_the_price() -> None:
    kwargs = {
        "purchase_price": 150_000,
        "initial_appraisal": 200_000,
        "current_appraisal": 180_000,
        "owner_share": Fraction(1, 4),
    }
    shared = appraisal_based(**kwargs)  # type: ignore[arg-type]
    assert shared.price == 145_000
    assert english_label(shared.lines[1]) == "25% of the fall in value (1,800.00 − 2,000.00 = -200.00)"
    floored = appraisal_based(**kwargs, floor_at_purchase_price=True)  # type: ignore[arg-type]
    assert floored.price == 150_000
    assert floored.lines[-1].amount == 5_000
    assert floored.lines[-1].kind is LineKind.FLOOR
    assert english_label(floored.lines[-1]) == "Raised to the purchase price (the lease's floor)"
    assert _sums(floored)


def test_indexed_to_area_median_income_grows_with_the_ami() -> None:
    # Bought at 150,000 in 2015 when the AMI was 70,000; the AMI is 84,000 in 2025 (+20%).
    result = indexed(
        purchase_price=150_000,
        index={2015: 70_000, 2020: 77_000, 2025: 84_000},
        purchase_year=2015,
        resale_year=2025,
        index_name="area median income",
    )
    assert result.price == 180_000
    assert [line.amount for line in result.lines] == [150_000, 30_000]
    assert english_label(result.lines[1]) == (
        "Change in the area median income from 2015 (70,000) to 2025 (84,000): × 84,000/70,000"
    )


def test_indexed_to_cpi_uses_the_published_decimals_exactly() -> None:
    # CPI-U annual averages (BLS): 237.017 for 2015, 313.689 for 2024.
    result = indexed(
        purchase_price=150_000,
        index={2015: Decimal("237.017"), 2024: Decimal("313.689")},
        purchase_year=2015,
        resale_year=2024,
        index_name="CPI-U",
    )
    assert result.exact_price == Fraction(150_000 * 313_689, 237_017)
    assert result.price == 198_523
    assert english_label(result.lines[1]) == (
        "Change in the CPI-U from 2015 (237.017) to 2024 (313.689): × 313.689/237.017"
    )
    half_up = indexed(
        purchase_price=150_000,
        index={2015: Decimal("237.017"), 2024: Decimal("313.689")},
        purchase_year=2015,
        resale_year=2024,
        rounding=Rounding.HALF_UP,
    )
    assert half_up.price == 198_523  # .10 rounds down either way


def test_fixed_rate_simple_and_compounded_differ_as_named() -> None:
    common = {"purchase_price": 150_000, "annual_rate": Fraction(2, 100)}
    dates = {"purchase_date": date(2015, 3, 1), "resale_date": date(2025, 3, 1)}
    simple = fixed_rate(**common, **dates, compounding=Compounding.SIMPLE)  # type: ignore[arg-type]
    compound = fixed_rate(**common, **dates, compounding=Compounding.ANNUAL)  # type: ignore[arg-type]
    assert simple.price == 180_000  # 150,000 × (1 + 2% × 10)
    assert simple.formula is Formula.FIXED_RATE_SIMPLE
    assert compound.exact_price == 150_000 * Fraction(102, 100) ** 10
    assert compound.price == 182_849  # 150,000 × 1.02^10 = 182,849.16
    assert compound.formula is Formula.FIXED_RATE_COMPOUND
    assert english_label(simple.lines[1]) == "2% a year, simple, for 10 full years (1,500.00 × 2% × 10)"
    assert english_label(compound.lines[1]) == (
        "2% a year, compounded yearly, for 10 full years (1,500.00 × (1 + 2%)^10 − 1,500.00)"
    )


def test_fixed_rate_counts_only_full_years_of_ownership() -> None:
    result = fixed_rate(
        purchase_price=100_000,
        annual_rate=Fraction(3, 100),
        purchase_date=date(2015, 6, 1),
        resale_date=date(2025, 5, 31),
        compounding=Compounding.SIMPLE,
    )
    assert result.price == 127_000  # nine full years, not ten
    assert "9 full years" in english_label(result.lines[1])
    assert dict(result.lines[1].params) == {
        "rate": Fraction(3, 100),
        "years": 9,
        "compounding": "simple",
        "purchase_price": 100_000,
    }


def test_itemized_adds_depreciated_and_undepreciated_improvements_and_an_adjustment() -> None:
    result = itemized(
        purchase_price=150_000,
        purchase_date=date(2016, 1, 15),
        resale_date=date(2025, 7, 1),
        improvements=[
            # A 12,000 roof depreciated over 20 years, 7 full years old: 13/20 remains = 7,800.
            CapitalImprovement("New roof", 12_000, date(2018, 6, 1), useful_life_years=20),
            CapitalImprovement("Accessible bathroom", 9_000, date(2020, 9, 1)),
            # Fully depreciated: credits nothing.
            CapitalImprovement("Water heater", 1_200, date(2016, 2, 1), useful_life_years=8),
        ],
        adjustment=-1_500,
        adjustment_label="Share of the trust's resale costs",
    )
    assert [line.amount for line in result.lines] == [150_000, 7_800, 9_000, 0, -1_500]
    assert result.price == 165_300
    assert [english_label(line) for line in result.lines] == [
        "Purchase price",
        "New roof (2018-06-01, 120.00, depreciated over 20 years: 13/20 remains)",
        "Accessible bathroom (2020-09-01, 90.00, not depreciated)",
        "Water heater (2016-02-01, 12.00, depreciated over 8 years: 0/8 remains)",
        "Share of the trust's resale costs",
    ]
    assert result.lines[1].params["cost"] == 12_000 and result.lines[1].params["remaining_years"] == 13


def test_an_improvement_shows_its_cost_as_money_not_cents() -> None:
    result = itemized(
        purchase_price=15_000_000,
        purchase_date=date(2018, 1, 1),
        resale_date=date(2025, 1, 1),
        improvements=[CapitalImprovement("Kitchen", 1_200_000, date(2019, 5, 1))],
        adjustment=50_000,
    )
    kitchen, adjustment = result.lines[1], result.lines[2]
    assert english_label(kitchen) == "Kitchen (2019-05-01, 12,000.00, not depreciated)"
    assert kitchen.kind is LineKind.IMPROVEMENT
    assert kitchen.params["description"] == "Kitchen" and kitchen.params["completed"] == date(2019, 5, 1)
    assert adjustment.kind is LineKind.ADJUSTMENT and adjustment.params["description"] is None
    assert english_label(adjustment) == "Fixed adjustment"


def test_a_rounding_line_makes_the_page_add_up() -> None:
    # Two improvements each worth 1.5 after depreciation: each line shows 1, the price is exact + 3.
    half_used = [CapitalImprovement(f"Item {i}", 3, date(2020, 1, 1), useful_life_years=2) for i in (1, 2)]
    result = itemized(
        purchase_price=150_000,
        purchase_date=date(2019, 1, 1),
        resale_date=date(2021, 6, 1),
        improvements=half_used,
    )
    assert result.price == 150_003
    assert result.lines[-1].kind is LineKind.ROUNDING
    assert english_label(result.lines[-1]) == "Rounding"
    assert result.lines[-1].amount == 1
    assert _sums(result)
    assert sum(line.exact for line in result.lines) == result.exact_price


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: appraisal_based(
                purchase_price=-1, initial_appraisal=1, current_appraisal=1, owner_share=Fraction(1, 4)
            ),
            "purchase price must be more than 0",
        ),
        (
            lambda: appraisal_based(
                purchase_price=1, initial_appraisal=1, current_appraisal=1, owner_share=0.25
            ),
            "floats are refused",
        ),
        (
            lambda: indexed(purchase_price=1, index={2015: 100}, purchase_year=2015, resale_year=2020),
            "no value for the resale year 2020",
        ),
        (
            lambda: indexed(
                purchase_price=1, index={2015: 100, 2020: 0}, purchase_year=2015, resale_year=2020
            ),
            "more than 0",
        ),
        (
            lambda: indexed(purchase_price=1, index={2015: 1, 2020: 1}, purchase_year=2020, resale_year=2015),
            "before the purchase year",
        ),
        (
            lambda: fixed_rate(
                purchase_price=1,
                annual_rate=Fraction(1, 50),
                purchase_date=date(2020, 1, 1),
                resale_date=date(2019, 1, 1),
                compounding=Compounding.SIMPLE,
            ),
            "resale date .* is before the purchase date",
        ),
        (
            lambda: itemized(
                purchase_price=1,
                purchase_date=date(2020, 1, 1),
                resale_date=date(2024, 1, 1),
                improvements=[CapitalImprovement("Deck", 10, date(2019, 1, 1))],
            ),
            "completion of 'Deck'",
        ),
        (
            lambda: itemized(
                purchase_price=1,
                purchase_date=date(2020, 1, 1),
                resale_date=date(2024, 1, 1),
                improvements=[CapitalImprovement("Deck", 10, date(2021, 1, 1), useful_life_years=0)],
            ),
            "at least 1 year",
        ),
    ],
)
def test_bad_input_is_refused_with_a_sentence(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_a_lease_can_name_its_formula_and_get_the_same_breakdown() -> None:
    by_name = resale_price(
        "fixed_rate_compound",
        purchase_price=150_000,
        annual_rate=Fraction(2, 100),
        purchase_date=date(2015, 3, 1),
        resale_date=date(2025, 3, 1),
    )
    assert by_name.price == 182_849
    assert by_name.formula is Formula.FIXED_RATE_COMPOUND
    with pytest.raises(ValueError, match="Unknown resale formula 'market'"):
        resale_price("market", purchase_price=1)


amounts = st.integers(min_value=1, max_value=10**9)
roundings = st.sampled_from(list(Rounding))


@settings(max_examples=200, deadline=None)
@given(
    purchase=amounts,
    initial=amounts,
    current=amounts,
    share=st.fractions(min_value=0, max_value=1, max_denominator=100),
    rounding=roundings,
    floor=st.booleans(),
)
def test_appraisal_based_page_adds_up_and_the_price_is_within_a_unit_of_exact(
    purchase: int, initial: int, current: int, share: Fraction, rounding: Rounding, floor: bool
) -> None:
    result = appraisal_based(
        purchase_price=purchase,
        initial_appraisal=initial,
        current_appraisal=current,
        owner_share=share,
        floor_at_purchase_price=floor,
        rounding=rounding,
    )
    assert _sums(result)
    assert sum(line.exact for line in result.lines) == result.exact_price
    assert abs(result.price - result.exact_price) < 1
    if rounding is Rounding.DOWN:
        assert result.price <= result.exact_price
    if floor:
        assert result.price >= purchase


@settings(max_examples=200, deadline=None)
@given(
    purchase=amounts,
    rate=st.fractions(min_value=0, max_value=Fraction(1, 5), max_denominator=1000),
    years=st.integers(min_value=0, max_value=40),
    rounding=roundings,
)
def test_compounding_never_earns_less_than_simple_interest(
    purchase: int, rate: Fraction, years: int, rounding: Rounding
) -> None:
    dates = {"purchase_date": date(1990, 2, 28), "resale_date": date(1990 + years, 3, 1)}
    simple = fixed_rate(
        purchase_price=purchase, annual_rate=rate, compounding=Compounding.SIMPLE, rounding=rounding, **dates
    )
    compound = fixed_rate(
        purchase_price=purchase, annual_rate=rate, compounding=Compounding.ANNUAL, rounding=rounding, **dates
    )
    assert compound.exact_price >= simple.exact_price >= purchase
    assert compound.price >= simple.price
    assert _sums(simple) and _sums(compound)
