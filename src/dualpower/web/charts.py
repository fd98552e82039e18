"""Charts as inline SVG, drawn on the server: no JavaScript, no external library, readable on a
cheap phone, and each with its data as a table for screen readers and for anyone who wants the
numbers.

    from dualpower.web import charts

    context["split_chart"] = charts.bar_chart(
        [("Playground", 40_000), ("Food bank", 25_000)],
        title=_("How the budget is split"),
        value_label=_("Cost"),
        format_value=lambda v: money(v),
    )

and in the template ``{{ split_chart }}``. Every function returns a ``<figure>`` (SafeString)
holding the SVG (``role="img"`` with a text alternative) and a ``<details>`` with the table.
Labels and titles are escaped here; pass plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape
from itertools import pairwise

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dualpower.formatting import format_number, format_percent

Number = int | float
Format = Callable[[Number], str]

_BAR = 22  # height of one bar, px
_GAP = 8
_WIDTH = 480
_BAR_WIDTH = 400  # a bar chart's drawn width, px: its labels sit above the bars
_BAR_LABEL = 20  # height of the line holding a bar's label, px
_PALETTE = ("#8a1c1c", "#1d5e2c", "#0b57d0", "#7a4b00", "#5b2a86", "#00695c", "#ad1457", "#37474f")


def _fmt(value: Number) -> str:
    """A value as the active language writes numbers (dualpower.formatting): "40,000", "2.50"."""
    if isinstance(value, float) and not value.is_integer():
        return format_number(Decimal(f"{value:.2f}"), decimals=2)
    return format_number(int(value))


def _short(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(title: str, alt: str, height: int, body: str, *, width: int = _WIDTH, fixed: bool = False) -> str:
    """``fixed`` draws at ``width`` CSS px, shrinking on a narrower screen (``svg { max-width: 100% }``)
    rather than growing with the page, so its text stays the size it was drawn at."""
    label = f"{escape(title)}: {escape(alt)}"
    size = f"width='{width}'" if fixed else "width='100%'"
    return (
        f"<svg viewBox='0 0 {width} {height}' {size} role='img' aria-label='{label}' "
        f"xmlns='http://www.w3.org/2000/svg'>{body}</svg>"
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 12) -> str:
    return f"<text x='{x:.1f}' y='{y:.1f}' text-anchor='{anchor}' font-size='{size}'>{escape(text)}</text>"


def _table(rows: Sequence[tuple[str, str]], *, title: str, label_header: str, value_header: str) -> str:
    column = escape(value_header)  # on a phone the stacked cell says its column ("People present: 19")
    body = "".join(
        f"<tr><th scope='row'>{escape(label)}</th><td data-label='{column}'>{escape(value)}</td></tr>"
        for label, value in rows
    )
    # Outside the f-string: xgettext does not look inside one, so the catalogue never had it.
    summary = escape(_("The numbers"))
    return (
        f"<details class='chart-data'><summary>{summary}</summary>"
        f"<table><caption class='visually-hidden'>{escape(title)}</caption>"
        f"<thead><tr><th scope='col'>{escape(label_header)}</th>"
        f"<th scope='col'>{escape(value_header)}</th></tr></thead>"
        f"<tbody>{body}</tbody></table></details>"
    )


def _figure(svg: str, table: str, title: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text piece above is escaped
        f"<figure class='chart'><figcaption>{escape(title)}</figcaption>{svg}{table}</figure>"
    )


def bar_chart(
    rows: Sequence[tuple[str, Number]],
    *,
    title: str,
    label_header: str = "",
    value_label: str = "",
    format_value: Format = _fmt,
) -> SafeString:
    """Horizontal bars, one per (label, value), longest = the largest value. Negative values are
    drawn as zero-length bars but shown in the table and the text alternative.

    Each label stands on its own line above its bar, across the whole width, so a long label (a
    meeting's date and assembly) is not clipped; the chart is drawn 400 px wide and shrinks on a
    phone, where its 15 px text stays readable (about 12 px at 360 px)."""
    values = [max(0.0, float(v)) for _label, v in rows]
    top = max(values, default=0.0) or 1.0
    row_h = _BAR_LABEL + _BAR + _GAP
    height = max(1, len(rows)) * row_h + _GAP
    bar_space = _BAR_WIDTH - 80
    parts = []
    for i, ((label, value), drawn) in enumerate(zip(rows, values, strict=True)):
        y = _GAP + i * row_h
        w = round(bar_space * drawn / top, 1)
        bar_y = y + _BAR_LABEL
        parts.append(
            _text(0, y + _BAR_LABEL - 5, _short(label, 44), size=15)
            + f"<rect x='0' y='{bar_y}' width='{w}' height='{_BAR}' fill='{_PALETTE[0]}'></rect>"
            + _text(w + 5, bar_y + _BAR * 0.75, format_value(value), size=15)
        )
    alt = "; ".join(f"{label}: {format_value(value)}" for label, value in rows) or _("No data yet.")
    svg = _svg(title, alt, height, "".join(parts), width=_BAR_WIDTH, fixed=True)
    table = _table(
        [(label, format_value(value)) for label, value in rows],
        title=title,
        label_header=label_header or _("What"),
        value_header=value_label or _("How much"),
    )
    return _figure(svg, table, title)


def share_bar(
    rows: Sequence[tuple[str, Number]], *, title: str, format_value: Format = _fmt, label_header: str = ""
) -> SafeString:
    """One bar split into parts (e.g. the budget by project or category), with a legend."""
    total = sum(max(0.0, float(v)) for _l, v in rows) or 1.0
    x = 0.0
    parts, legend = [], []
    for i, (label, value) in enumerate(rows):
        w = _WIDTH * max(0.0, float(value)) / total
        colour = _PALETTE[i % len(_PALETTE)]
        parts.append(f"<rect x='{x:.1f}' y='0' width='{w:.1f}' height='28' fill='{colour}'></rect>")
        x += w
        swatch = (
            f"<svg width='12' height='12' aria-hidden='true'>"
            f"<rect width='12' height='12' fill='{colour}'></rect></svg>"
        )
        share = format_percent(max(0.0, float(value)) / total)
        legend.append(f"<li>{swatch} {escape(label)}: {escape(format_value(value))} ({share})</li>")
    alt = "; ".join(f"{label}: {format_value(value)}" for label, value in rows) or _("No data yet.")
    svg = _svg(title, alt, 28, "".join(parts)) + f"<ul class='chart-legend'>{''.join(legend)}</ul>"
    table = _table(
        [(label, format_value(value)) for label, value in rows],
        title=title,
        label_header=label_header or _("What"),
        value_header=_("How much"),
    )
    return _figure(svg, table, title)


def line_chart(
    points: Sequence[tuple[str, Number]],
    *,
    title: str,
    label_header: str = "",
    value_label: str = "",
    format_value: Format = _fmt,
) -> SafeString:
    """Values over time (e.g. unmet needs per week): a line with dots and first/last labels."""
    height, pad = 160, 24
    values = [float(v) for _l, v in points]
    top = max(values, default=0.0) or 1.0
    bottom = min(0.0, min(values, default=0.0))
    span = (top - bottom) or 1.0
    step = (_WIDTH - 2 * pad) / max(1, len(points) - 1)
    coords = [
        (pad + i * step, height - pad - (height - 2 * pad) * (v - bottom) / span)
        for i, v in enumerate(values)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(
        f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3' fill='{_PALETTE[0]}'></circle>" for x, y in coords
    )
    labels = ""
    if points:
        labels = (
            _text(pad, height - 4, points[0][0], size=11)
            + _text(_WIDTH - pad, height - 4, points[-1][0], anchor="end", size=11)
            + _text(2, pad - 8, format_value(top), size=11)
        )
    base = height - pad
    axis = f"<line x1='{pad}' y1='{base}' x2='{_WIDTH - pad}' y2='{base}' stroke='#767676'></line>"
    alt = "; ".join(f"{label}: {format_value(value)}" for label, value in points) or _("No data yet.")
    polyline = f"<polyline points='{line}' fill='none' stroke='{_PALETTE[0]}' stroke-width='2'></polyline>"
    svg = _svg(title, alt, height, axis + polyline + dots + labels)
    table = _table(
        [(label, format_value(value)) for label, value in points],
        title=title,
        label_header=label_header or _("When"),
        value_header=value_label or _("How many"),
    )
    return _figure(svg, table, title)


def histogram(
    values: Sequence[Number], *, edges: Sequence[Number], title: str, format_value: Format = _fmt
) -> SafeString:
    """How many values fall in each [edges[i], edges[i+1]) bucket (the last bucket is closed),
    e.g. the distribution of account balances without showing any one balance."""
    if len(edges) < 2 or any(b <= a for a, b in pairwise(edges)):
        raise ValueError("A histogram needs at least two increasing edges.")
    counts = [0] * (len(edges) - 1)
    for v in values:
        for i in range(len(counts)):
            last = i == len(counts) - 1
            if edges[i] <= v < edges[i + 1] or (last and v == edges[-1]):
                counts[i] += 1
                break
    return histogram_of_counts(counts, edges=edges, title=title, format_value=format_value)


def histogram_of_counts(
    counts: Sequence[int], *, edges: Sequence[Number], title: str, format_value: Format = _fmt
) -> SafeString:
    """A histogram already counted (by the database): ``counts[i]`` values in the bucket
    [edges[i], edges[i+1])."""
    if len(edges) != len(counts) + 1 or any(b <= a for a, b in pairwise(edges)):
        raise ValueError("A histogram needs one more increasing edge than it has buckets.")
    rows = [
        (f"{format_value(a)} – {format_value(b)}", c)
        for a, b, c in zip(edges, edges[1:], counts, strict=False)
    ]
    return bar_chart(rows, title=title, label_header=_("Range"), value_label=_("How many"))
