"""Speed of the economy formulas: patronage allocation, CLT resale prices, waitlist ranking.

Run from the project's root:  .venv/bin/python bench/bench_economy.py
Figures go to docs/benchmarks/economy.md. Each figure is the best of ``REPEAT`` runs (wall clock).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from typing import Any

from dualpower.core.economy import (
    Applicant,
    CashRounding,
    Compounding,
    Criterion,
    allocate_patronage,
    appraisal_based,
    fixed_rate,
    rank_waitlist,
)

REPEAT = 3


def best(fn: Callable[[], Any], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rnd = random.Random(7)
    rows: list[tuple[str, float]] = []
    for members in (100, 10_000, 100_000):
        patronage = {f"m{i}": rnd.randint(0, 2_000 * 60) for i in range(members)}
        for rounding in CashRounding:
            seconds = best(
                lambda p=patronage, r=rounding: allocate_patronage(
                    surplus=987_654_321, patronage=p, cash_share=Fraction(1, 5), rounding=r
                )
            )
            rows.append((f"allocate_patronage, {members:,} members, cash {rounding.value}", seconds))
    rows.append(
        (
            "appraisal_based, 10,000 calls",
            best(
                lambda: [
                    appraisal_based(
                        purchase_price=15_000_000,
                        initial_appraisal=20_000_000,
                        current_appraisal=26_000_000 + k,
                        owner_share=Fraction(1, 4),
                    )
                    for k in range(10_000)
                ]
            ),
        )
    )
    rows.append(
        (
            "fixed_rate compounded over 30 years, 10,000 calls",
            best(
                lambda: [
                    fixed_rate(
                        purchase_price=15_000_000 + k,
                        annual_rate=Fraction(3, 100),
                        purchase_date=date(1995, 1, 1),
                        resale_date=date(2025, 1, 2),
                        compounding=Compounding.ANNUAL,
                    )
                    for k in range(10_000)
                ]
            ),
        )
    )
    criteria = (Criterion("years", "2 a year", 2, 5), Criterion("local", "5 if local", 5, 1))
    applicants = [
        Applicant(f"A-{i}", {"years": rnd.randint(0, 8), "local": rnd.randint(0, 1)}) for i in range(10_000)
    ]
    rows.append(
        (
            "rank_waitlist, 10,000 applicants, 2 criteria",
            best(lambda: rank_waitlist(applicants=applicants, criteria=criteria, seed="announced seed")),
        )
    )
    print("| Computation | Time |\n|---|---|")
    for label, seconds in rows:
        print(f"| {label} | {seconds * 1000:,.1f} ms |")


if __name__ == "__main__":
    main()
