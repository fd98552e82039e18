"""Charts: the numbers are all there for screen readers, and labels cannot inject markup."""

from __future__ import annotations

import pytest

from dualpower.web import charts


def test_a_bar_chart_carries_every_value_in_its_table_and_text_alternative() -> None:
    html = charts.bar_chart([("Playground", 40_000), ("Food bank", 25_000)], title="Split")
    assert html.count("<tr>") == 3  # header + two rows
    assert "Playground: 40,000; Food bank: 25,000" in html
    assert "role='img'" in html


def test_the_largest_value_gets_the_longest_bar() -> None:
    html = charts.bar_chart([("a", 10), ("b", 5)], title="t")
    import re

    widths = [float(w) for w in re.findall(r"<rect x='\d+' y='\d+' width='([\d.]+)'", html)]
    assert widths[0] == 2 * widths[1] > 0


def test_labels_are_escaped() -> None:
    html = charts.bar_chart([("<script>alert(1)</script>", 1)], title="<b>x</b>")
    assert "<script>" not in html and "<b>x</b>" not in html


def test_a_histogram_counts_each_value_once_and_closes_the_last_bucket() -> None:
    html = charts.histogram([-5, 0, 9, 10, 20], edges=[-10, 0, 10, 20], title="Balances")
    assert "-10 – 0: 1; 0 – 10: 2; 10 – 20: 2" in html


def test_a_histogram_refuses_edges_that_do_not_increase() -> None:
    with pytest.raises(ValueError):
        charts.histogram([1], edges=[5, 5], title="x")


def test_share_bar_and_line_chart_show_their_data() -> None:
    assert "(75%)" in charts.share_bar([("a", 3), ("b", 1)], title="Split")
    line = charts.line_chart([("week 1", 3), ("week 2", 5)], title="Open needs")
    assert "week 1: 3; week 2: 5" in line and "<polyline" in line


def test_bar_labels_stand_above_their_bars_and_are_not_clipped() -> None:
    """The meetings chart's labels ("Sun 29 Nov 2026 · General assembly") were clipped at the left."""
    import re

    label = "Sun 29 Nov 2026 · General assembly"
    html = charts.bar_chart([(label, 21), ("Sat 3 Oct 2026 · Spokescouncil", 19)], title="Attendance")
    assert f">{label}</text>" in html  # whole, not shortened
    xs = [float(x) for x in re.findall(r"<text x='([\d.]+)'[^>]*>[^<]*assembly</text>", html)]
    assert xs == [0.0]  # starts at the left edge: nothing falls outside the drawing
    assert "width='400'" in html  # drawn at its size, shrinking on a phone (svg max-width: 100%)
    assert "data-label=" in html  # the table's cells say their column when stacked on a phone
