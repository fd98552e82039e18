"""The solidarity economy's formulas: patronage allocation, community land trust resale prices,
and allocating a home from a waitlist.

Pure and exact: no Django, no I/O, no floats in money (amounts are integers in the smallest
currency unit; shares and rates are Fractions). docs/economy-formulas.md explains each for members.
"""

from dualpower.core.economy.patronage import (
    CashRounding,
    LossPolicy,
    MemberAllocation,
    PatronageAllocation,
    allocate_patronage,
)
from dualpower.core.economy.resale import (
    appraisal_based,
    fixed_rate,
    full_years,
    improvement_credit,
    indexed,
    itemized,
    resale_price,
)
from dualpower.core.economy.resale_model import (
    CapitalImprovement,
    Compounding,
    Formula,
    ResaleBreakdown,
    ResaleLine,
)
from dualpower.core.economy.rounding import Rounding, largest_remainder, round_amount
from dualpower.core.economy.waitlist import (
    Applicant,
    Criterion,
    Exclusion,
    Placement,
    Requirement,
    WaitlistRanking,
    lottery_key,
    rank_waitlist,
)

__all__ = [
    "Applicant",
    "CapitalImprovement",
    "CashRounding",
    "Compounding",
    "Criterion",
    "Exclusion",
    "Formula",
    "LossPolicy",
    "MemberAllocation",
    "PatronageAllocation",
    "Placement",
    "Requirement",
    "ResaleBreakdown",
    "ResaleLine",
    "Rounding",
    "WaitlistRanking",
    "allocate_patronage",
    "appraisal_based",
    "fixed_rate",
    "full_years",
    "improvement_credit",
    "indexed",
    "itemized",
    "largest_remainder",
    "lottery_key",
    "rank_waitlist",
    "resale_price",
    "round_amount",
]
