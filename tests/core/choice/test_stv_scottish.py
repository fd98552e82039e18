"""Scottish STV reproduces droop's count of every shared election, round by round, to five decimals."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from droop_report import BLT, REFERENCE, parse_report

from dualpower.core.choice.formats.blt import parse_blt, read_blt
from dualpower.core.choice.ranked.stv import scottish_stv


def _references() -> list[tuple[Path, Path]]:
    pairs = []
    for blt in sorted(BLT.glob("*.blt")):
        for name in (f"{blt.stem}.scottish-stv.txt", f"{blt.stem}-scotland-fixed-p5-d5.txt"):
            if (REFERENCE / name).exists():
                pairs.append((blt, REFERENCE / name))
    return pairs


REFERENCES = _references()


def test_every_shared_election_has_a_scottish_reference() -> None:
    assert {blt.stem for blt, _ in REFERENCES} == {p.stem for p in BLT.glob("*.blt")}


@pytest.mark.parametrize(("blt", "reference"), REFERENCES, ids=lambda p: p.name)
def test_scottish_stv_reproduces_droops_reference_count(blt: Path, reference: Path) -> None:
    election = read_blt(blt)
    outcome = scottish_stv(election)
    report = parse_report(reference, election.candidates)
    assert set(outcome.elected) == report.elected
    assert Decimal(outcome.settings["quota"]) == report.quota
    expected = report.round_tallies()
    assert len(outcome.rounds) == len(expected)
    for ours, theirs in zip(outcome.rounds, expected, strict=True):
        assert {c: ours.tallies[c] for c in theirs.votes} == theirs.votes, f"round {ours.number}"
        assert ours.non_transferable == theirs.totals["Nontransferable votes"], f"round {ours.number}"
        assert ours.residual == theirs.totals["Residual"], f"round {ours.number}"


def test_calton_2007_elects_redmond_thewliss_and_simpson_in_that_order() -> None:
    outcome = scottish_stv(read_blt(BLT / "Calton-2007.blt"))
    assert outcome.elected == ("George Redmond", "Alison E Thewliss", "Ruth Simpson")
    assert outcome.rounds[1].tallies["Ruth Simpson"] == Decimal("1035.05847")
    assert outcome.rounds[1].residual == Decimal("0.01362")


def test_surplus_values_are_truncated_not_rounded() -> None:
    # Quota 4 of 9 papers; A's surplus 3 over 7 papers: each paper passes 3/7 = 0.428571... -> 0.42857.
    election = parse_blt('3 2\n7 1 2 0\n2 3 0\n0\n"A"\n"B"\n"C"\n"T"\n')
    outcome = scottish_stv(election)
    after = outcome.rounds[1]
    assert after.tallies["B"] == Decimal("2.99999")  # 7 x 0.42857, not 3
    assert after.residual == Decimal("0.00001")


def test_a_tied_exclusion_looks_back_to_the_last_stage_where_they_differed() -> None:
    outcome = scottish_stv(read_blt(BLT / "weak-defeat.blt"))
    note = " ".join(r.note for r in outcome.rounds)
    assert "tie (exclusion) [B, C] broken by stage" in note
    assert outcome.rounds[2].excluded == ("B",)


def test_a_tied_surplus_goes_first_for_who_led_at_the_last_differing_stage() -> None:
    outcome = scottish_stv(read_blt(BLT / "weak-surplus.blt"))
    notes = " ".join(r.note for r in outcome.rounds)
    assert "tie (largest surplus) [B, C] broken by stage" in notes
    assert "tie (exclusion) [E, F] broken by lot" in notes


def test_a_seeded_lot_is_recorded_and_replays() -> None:
    election = read_blt(BLT / "42.blt")
    tied = replace(election, rankings=((0,), (1,), (2,)), weights=(1, 1, 1), seats=1)
    first = scottish_stv(tied, lot_seed=7)
    assert first.settings["lot_seed"] == 7
    assert first.settings["lot_order"][0] not in first.elected  # the first drawn is excluded first
    assert scottish_stv(tied, lot_seed=7) == first
    orders = {tuple(scottish_stv(tied, lot_seed=s).settings["lot_order"]) for s in range(20)}
    assert len(orders) > 1


def test_seats_can_be_overridden() -> None:
    election = read_blt(BLT / "Calton-2007.blt")
    assert len(scottish_stv(election, seats=1).elected) == 1
    assert len(scottish_stv(election, seats=5).elected) == 5


def test_a_count_without_seats_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one seat"):
        scottish_stv(read_blt(BLT / "42.blt"), seats=0)


def test_a_count_without_valid_ballots_is_refused() -> None:
    election = parse_blt('2 1\n3 0\n0\n"A"\n"B"\n"T"\n')
    with pytest.raises(ValueError, match="no valid ballots"):
        scottish_stv(election)


def test_the_report_shows_each_round_and_the_result() -> None:
    text = scottish_stv(read_blt(BLT / "Calton-2007.blt")).report()
    assert "Round 1: surplus of George Redmond (682.00000) transferred" in text
    assert "Ruth Simpson" in text and "1035.05847  (+407.05847)" in text
    assert "Excluded: Gary Barton" in text
    assert text.rstrip().splitlines()[-2] == "Elected: George Redmond, Alison E Thewliss, Ruth Simpson"


def test_the_json_result_carries_exact_values_and_settings() -> None:
    data = scottish_stv(read_blt(BLT / "Calton-2007.blt")).to_json()
    assert data["rule"] == "scottish-stv"
    assert data["selected"] == ["George Redmond", "Alison E Thewliss", "Ruth Simpson"]
    assert data["rounds"][1]["tallies"]["Ruth Simpson"] == "1035.05847"
    assert data["settings"]["quota"] == "1300.00000"


@pytest.mark.parametrize(
    ("rankings", "weights", "words"),
    [
        (((0, 1, 0),), (1,), "ranks a candidate twice"),
        (((0, 5),), (1,), "does not exist"),
        (((0,),), (-1,), "must not be negative"),
    ],
)
def test_a_malformed_ballot_is_refused_with_a_sentence(
    rankings: tuple[tuple[int, ...]], weights: tuple[int, ...], words: str
) -> None:
    election = replace(read_blt(BLT / "42.blt"), rankings=rankings, weights=weights)
    with pytest.raises(ValueError, match=words):
        scottish_stv(election)
