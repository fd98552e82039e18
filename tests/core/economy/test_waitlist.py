"""Allocating a vacant home: published priority points, then a lottery from an announced seed."""

from __future__ import annotations

import hashlib
import subprocess

import pytest

from dualpower.core.economy import Applicant, Criterion, Requirement, lottery_key, rank_waitlist

CRITERIA = (
    Criterion(
        "years_waiting", "2 points for each full year on the waitlist, at most 5 years", 2, max_units=5
    ),
    Criterion("local", "5 points for living or working in the neighbourhood", 5, max_units=1),
    Criterion("displaced", "10 points for a household displaced by redevelopment", 10, max_units=1),
)
FITS_TWO_BEDROOMS = (Requirement("household_size", "A two-bedroom home houses 2 to 4 people", 2, 4),)
SEED = "Assembly of 3 March 2026: closing numbers of the lottery draw 12 19 27 33 41 48"


def _applicant(applicant_id: str, years: int, local: int, displaced: int, size: int = 3) -> Applicant:
    facts = {"years_waiting": years, "local": local, "displaced": displaced, "household_size": size}
    return Applicant(applicant_id, facts)


def test_priority_points_are_the_published_criteria_with_their_caps() -> None:
    ranking = rank_waitlist(
        applicants=[_applicant("A-1", years=8, local=1, displaced=0), _applicant("A-2", 1, 0, 1)],
        criteria=CRITERIA,
        seed=SEED,
    )
    first, second = ranking.ranking
    assert (first.applicant_id, first.points) == ("A-1", 15)  # 5 capped years × 2 + 5
    assert first.points_by_criterion == (("years_waiting", 10), ("local", 5), ("displaced", 0))
    assert (second.applicant_id, second.points) == ("A-2", 12)
    assert "the only eligible applicant with 15 points" in first.reason


def test_more_points_always_rank_above_fewer_whatever_the_seed() -> None:
    applicants = [_applicant(f"H-{i}", years=i % 4, local=i % 2, displaced=0) for i in range(20)]
    for seed in ("one", "two", "three"):
        points = [
            p.points for p in rank_waitlist(applicants=applicants, criteria=CRITERIA, seed=seed).ranking
        ]
        assert points == sorted(points, reverse=True)


def test_equal_points_are_ordered_by_the_sha256_of_seed_and_id() -> None:
    applicants = [_applicant(f"H-{i:02}", years=2, local=1, displaced=0) for i in range(12)]
    ranking = rank_waitlist(applicants=applicants, criteria=CRITERIA, seed=SEED)
    expected = sorted(
        (a.applicant_id for a in applicants),
        key=lambda i: hashlib.sha256(f"{SEED}\n{i}".encode()).hexdigest(),
    )
    assert [p.applicant_id for p in ranking.ranking] == expected
    assert all(p.tied == 12 for p in ranking.ranking)
    assert "tied with 11 other(s)" in ranking.ranking[0].reason
    assert "1st smallest of the 12 keys" in ranking.ranking[0].reason


def test_anyone_can_check_a_lottery_key_with_sha256sum() -> None:
    printed = subprocess.run(
        ["sh", "-c", 'printf "%s\\n%s" "$SEED" "$ID" | sha256sum'],
        env={"SEED": SEED, "ID": "H-07", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[0]
    assert lottery_key(SEED, "H-07") == printed


def test_the_same_seed_replays_the_same_ranking_and_another_seed_reorders_ties() -> None:
    applicants = [_applicant(f"H-{i:02}", years=1, local=0, displaced=0) for i in range(10)]
    once = rank_waitlist(applicants=applicants, criteria=CRITERIA, seed=SEED)
    again = rank_waitlist(applicants=list(reversed(applicants)), criteria=CRITERIA, seed=SEED)
    other = rank_waitlist(applicants=applicants, criteria=CRITERIA, seed=SEED + ".")
    assert once.ranking == again.ranking
    assert [p.applicant_id for p in once.ranking] != [p.applicant_id for p in other.ranking]


def test_an_applicant_who_misses_a_requirement_is_excluded_with_the_reason() -> None:
    ranking = rank_waitlist(
        applicants=[_applicant("BIG", 5, 1, 1, size=6), _applicant("FITS", 0, 0, 0, size=2)],
        criteria=CRITERIA,
        seed=SEED,
        requirements=FITS_TWO_BEDROOMS,
    )
    assert [p.applicant_id for p in ranking.ranking] == ["FITS"]
    assert ranking.excluded[0].applicant_id == "BIG"
    assert "household_size is 6, above the maximum of 4" in ranking.excluded[0].reason


@pytest.mark.parametrize(
    ("applicants", "seed", "message"),
    [
        ([Applicant("X", {"years_waiting": 1})], SEED, "no value for 'local'"),
        ([_applicant("X", 1, 0, 0), _applicant("X", 2, 0, 0)], SEED, "repeated: X"),
        ([_applicant("X", 1, 0, 0)], "  ", "seed announced before the draw"),
        ([_applicant("X\nY", 1, 0, 0)], SEED, "on one line"),
        ([_applicant("X", -1, 0, 0)], SEED, "negative"),
        ([Applicant("X", {"years_waiting": 1.5, "local": 0, "displaced": 0})], SEED, "whole number"),
    ],
)
def test_bad_input_is_refused_with_a_sentence(applicants: list[Applicant], seed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rank_waitlist(applicants=applicants, criteria=CRITERIA, seed=seed)


def test_a_requirement_whose_bounds_cross_is_refused() -> None:
    with pytest.raises(ValueError, match="minimum \\(5\\) above its maximum \\(4\\)"):
        rank_waitlist(
            applicants=[_applicant("X", 1, 0, 0)],
            criteria=CRITERIA,
            seed=SEED,
            requirements=[Requirement("household_size", "Impossible", 5, 4)],
        )
