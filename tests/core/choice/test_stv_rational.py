"""Meek STV and WIGM in exact rationals reproduce droop's rational reference counts."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from droop_report import BLT, REFERENCE, parse_report

from dualpower.core.choice.formats.blt import parse_blt, read_blt
from dualpower.core.choice.ranked.outcome import value_text
from dualpower.core.choice.ranked.stv import meek_stv, wigm

MEEK = sorted(REFERENCE.glob("*-meek-o10-rational-d12.txt"))
WIGM = sorted(REFERENCE.glob("*-wigm-rational-d12.txt"))


def _d12(value: object) -> Decimal:
    return Decimal(value_text(value, 12))  # type: ignore[arg-type]


def test_there_are_meek_and_wigm_references() -> None:
    assert len(MEEK) == 5 and len(WIGM) == 5


@pytest.mark.parametrize("reference", WIGM, ids=lambda p: p.name)
def test_wigm_reproduces_droops_rational_count(reference: Path) -> None:
    election = read_blt(BLT / (reference.name.removesuffix("-wigm-rational-d12.txt") + ".blt"))
    outcome = wigm(election)
    report = parse_report(reference, election.candidates)
    assert set(outcome.elected) == report.elected
    expected = report.round_tallies()
    assert len(outcome.rounds) == len(expected)
    for ours, theirs in zip(outcome.rounds, expected, strict=True):
        assert {c: _d12(ours.tallies[c]) for c in theirs.votes} == theirs.votes, f"round {ours.number}"
        assert _d12(ours.non_transferable) == theirs.totals["Nontransferable votes"]
        assert ours.residual == 0


@pytest.mark.parametrize("reference", MEEK, ids=lambda p: p.name)
def test_meek_reproduces_droops_rational_count(reference: Path) -> None:
    election = read_blt(BLT / (reference.name.removesuffix("-meek-o10-rational-d12.txt") + ".blt"))
    outcome = meek_stv(election)
    report = parse_report(reference, election.candidates)
    assert set(outcome.elected) == report.elected
    assert len(outcome.rounds) == len(report.rounds)
    # Rounds that end by electing someone show the converged tallies; check each to 12 places.
    checked = 0
    for ours, snaps in zip(outcome.rounds, report.rounds, strict=True):
        listed = [s for s in snaps if s.votes]
        if listed and listed[-1].action.startswith("Elect:"):
            assert {c: _d12(ours.tallies[c]) for c in listed[-1].votes} == listed[-1].votes
            checked += 1
    assert checked >= 1
    final = outcome.rounds[-1]
    assert {c: _d12(final.tallies[c]) for c in report.final.votes} == report.final.votes
    assert _d12(final.non_transferable) == report.final.totals["Residual"]


def test_meek_tallies_are_exact_fractions() -> None:
    outcome = meek_stv(read_blt(BLT / "SC-Vm-12.blt"))
    assert all(isinstance(v, Fraction) for r in outcome.rounds for v in r.tallies.values())
    assert outcome.settings["omega"] == "1/10^10"


def test_meek_follows_the_recorded_tie_order() -> None:
    # 42t.blt's [tie 3 2 1] line puts Helen first, so Helen loses the Pollux-Helen tie.
    assert meek_stv(read_blt(BLT / "42.blt")).elected == ("Castor", "Helen")
    assert meek_stv(read_blt(BLT / "42t.blt")).elected == ("Castor", "Pollux")


def test_wigm_transfers_surpluses_without_rounding() -> None:
    election = parse_blt('3 2\n7 1 2 0\n2 3 0\n0\n"A"\n"B"\n"C"\n"T"\n')
    outcome = wigm(election)
    # quota 9/3 = 3, A's surplus 4 over 7 papers passes 4/7 each: B gets exactly 4.
    assert outcome.rounds[1].tallies["B"] == Fraction(4)


def test_meek_rejects_a_meaningless_omega() -> None:
    with pytest.raises(ValueError, match="omega_digits"):
        meek_stv(read_blt(BLT / "42.blt"), omega_digits=0)


def test_a_rational_report_rounds_for_reading_but_json_stays_exact() -> None:
    outcome = meek_stv(read_blt(BLT / "SC-Vm-12.blt"))
    text = outcome.report()
    assert "800.642779" in text and "/" not in text.split("Round 1")[1]
    exact = outcome.to_json()["rounds"][-1]["tallies"]["A"]
    assert Fraction(exact) == outcome.rounds[-1].tallies["A"]
    assert "/" in exact
