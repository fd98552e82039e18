"""BLT files: every shared election reads, writes back and reads again to the same election."""

from __future__ import annotations

from pathlib import Path

import pytest
from droop_report import BLT

from dualpower.core.choice.formats.blt import parse_blt, read_blt, write_blt
from dualpower.core.choice.formats.errors import FormatError

BLT_FILES = sorted(BLT.glob("*.blt"))


def test_the_shared_folder_holds_the_twenty_four_elections() -> None:
    assert len(BLT_FILES) == 24


@pytest.mark.parametrize("path", BLT_FILES, ids=lambda p: p.stem)
def test_every_shared_blt_file_survives_a_round_trip(path: Path) -> None:
    election = read_blt(path)
    text = write_blt(election)
    again = parse_blt(text)
    assert again == election
    assert write_blt(again) == text
    assert len(election.candidates) == int(path.read_text(encoding="utf-8").split()[0])


def test_ballot_lines_give_rankings_and_weights() -> None:
    election = read_blt(BLT / "42.blt")
    assert election.candidates == ("Castor", "Pollux", "Helen")
    assert election.seats == 2
    assert election.rankings == ((0, 1), (2,))
    assert election.weights == (4, 2)
    assert election.title == "Pollux and Helen should tie"


def test_a_negative_number_withdraws_a_candidate() -> None:
    election = read_blt(BLT / "SCw.blt")
    assert election.withdrawn == frozenset({3})
    assert election.candidates[3] == "Pat LaMarche"


def test_withdrawn_candidates_may_follow_the_seats_on_the_first_line() -> None:
    election = parse_blt('3 1 -2\n1 1 2 0\n0\n"A"\n"B"\n"C"\n"T"\n')
    assert election.withdrawn == frozenset({1})


def test_a_tie_line_records_the_order_drawn_by_lot() -> None:
    assert read_blt(BLT / "42t.blt").tie_order == (2, 1, 0)


def test_names_are_read_as_utf8() -> None:
    assert read_blt(BLT / "42u.blt").candidates == ("Cåstor", "Pøllüx", "Hélen")


def test_notes_after_the_title_are_not_part_of_the_election() -> None:
    election = read_blt(BLT / "M135.blt")
    assert election.title == "M135: Gen v1.1 1 3 45"
    assert len(election.candidates) == 25


def test_a_ballot_with_no_preferences_is_kept_as_an_empty_ranking() -> None:
    assert read_blt(BLT / "M135.blt").rankings.count(()) == 2


GOOD_TAIL = '0\n"A"\n"B"\n"C"\n"Title"\n'


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", None, "empty"),
        ("3\n", 1, "number of seats"),
        ("three 1\n", 1, "whole number"),
        ("3 0\n", 1, "at least one seat"),
        ("3 1\n-4\n1 1 0\n" + GOOD_TAIL, 2, "withdrawn candidate -4"),
        ("3 1\n2 1 4 0\n" + GOOD_TAIL, 2, "preference 4 is not a candidate"),
        ("3 1\n2 1 0 0\n" + GOOD_TAIL, 2, "preference 0 is not a candidate"),
        ("3 1\n1 2 0\n2 1 3 1 0\n" + GOOD_TAIL, 3, "ranked twice"),
        ("3 1\n2 1 2\n" + GOOD_TAIL, 2, "does not end with 0"),
        ("3 1\n0 1 2 0\n" + GOOD_TAIL, 2, "weight must be at least 1"),
        ("3 1\nx 1 2 0\n" + GOOD_TAIL, 2, "weight must be a whole number"),
        ("3 1\n1 1=2 0\n" + GOOD_TAIL, 2, "equal rankings"),
        ("3 1\n1 1 2 0\n2 3 0\n", 3, "never end"),
        ('3 1\n1 1 2 0\n0\n"A"\n"B"\n', 5, "too few candidate names"),
        ('3 1\n1 1 2 0\n0\n"A"\nB\n"C"\n"T"\n', 5, "expected a quoted candidate name"),
        ('3 1\n1 1 2 0\n0\n"A"\n"B"\n"A"\n"T"\n', 6, "same name"),
        ("3 1\n[tie 1 2]\n1 1 0\n" + GOOD_TAIL, 2, "tie order must list every candidate"),
        ("3 1\n1 1 0\n-2\n1 2 0\n" + GOOD_TAIL, 3, "before the first ballot"),
    ],
)
def test_a_malformed_file_is_refused_with_its_line(text: str, line: int | None, words: str) -> None:
    with pytest.raises(FormatError) as caught:
        parse_blt(text, path="ward.blt")
    assert caught.value.line == line
    assert words in str(caught.value)
    assert str(caught.value).startswith("ward.blt")


def test_read_blt_names_the_file_in_its_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.blt"
    bad.write_text("2 1\n1 1 3 0\n0\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad\.blt, line 2: preference 3"):
        read_blt(bad)


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.blt"
    bad.write_bytes('1 1\n1 1 0\n0\n"Hélène"\n"T"\n'.encode("latin-1"))
    with pytest.raises(FormatError, match="not UTF-8"):
        read_blt(bad)


def test_a_name_with_a_quote_cannot_be_written() -> None:
    election = parse_blt('1 1\n1 1 0\n0\n"A"\n"T"\n')
    from dataclasses import replace

    with pytest.raises(ValueError, match="quote"):
        write_blt(replace(election, candidates=('Say "hi"',), candidate_ids=('Say "hi"',)))
