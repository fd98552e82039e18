"""The supply warning's chart: for one crop, expected supply beside standing need, week by week, as
inline SVG drawn on the server (the conventions of ``web.charts``: a figure, a text alternative,
and the numbers as a table for screen readers and for anyone who wants them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dualpower.core.food.forecast import NeedParts
from dualpower.formatting import format_date, format_decimal

SUPPLY = "#1d5e2c"
NEED = "#8a1c1c"
WIDTH = 400
BAR = 12
ROW = 48


def _q(value: Decimal) -> str:
    return format_decimal(value, decimals=1)


def supply_chart(
    *,
    crop: str,
    unit: str,
    weeks: list[dt.date],
    supply: dict[dt.date, Decimal],
    need: dict[dt.date, Decimal],
    sources: dict[dt.date, NeedParts] | None = None,
) -> SafeString:
    """Two bars a week (expected in green, needed in red); a week short is marked with "!". The
    table of numbers also says where each week's need comes from (``sources``)."""
    sources = sources or {}
    top = max([*supply.values(), *need.values(), Decimal(0)]) or Decimal(1)
    space = WIDTH - 140
    parts, rows, alt = [], [], []
    for i, week in enumerate(weeks):
        y = 6 + i * ROW
        have, want = supply.get(week, Decimal(0)), need.get(week, Decimal(0))
        short = want > have
        label = format_date(week)
        w_have = float(space * have / top)
        w_want = float(space * want / top)
        parts.append(
            f"<text x='0' y='{y + 12}' font-size='13'>{escape(label)}{' !' if short else ''}</text>"
            f"<rect x='0' y='{y + 16}' width='{w_have:.1f}' height='{BAR}' fill='{SUPPLY}'></rect>"
            f"<text x='{w_have + 4:.1f}' y='{y + 26}' font-size='12'>{escape(_q(have))}</text>"
            f"<rect x='0' y='{y + 16 + BAR + 2}' width='{w_want:.1f}' height='{BAR}' fill='{NEED}'></rect>"
            f"<text x='{w_want + 4:.1f}' y='{y + 26 + BAR + 2}' font-size='12'>{escape(_q(want))}</text>"
        )
        cells = "".join(
            f"<td data-label='{escape(head)}'>{escape(_q(value))}</td>"
            for head, value in zip(_part_heads(), _part_values(sources.get(week, NeedParts())), strict=True)
        )
        rows.append(
            f"<tr><th scope='row'>{escape(label)}</th>"
            f"<td data-label='{escape(_('Expected'))}'>{escape(_q(have))}</td>"
            f"<td data-label='{escape(_('Needed'))}'>{escape(_q(want))}</td>{cells}</tr>"
        )
        alt.append(
            _("%(week)s: %(have)s expected, %(want)s needed")
            % {"week": label, "have": _q(have), "want": _q(want)}
        )
    title = _("%(crop)s (%(unit)s): expected and needed by week") % {"crop": crop, "unit": unit}
    height = 6 + len(weeks) * ROW
    svg = (
        f"<svg viewBox='0 0 {WIDTH} {height}' width='{WIDTH}' role='img' "
        f"aria-label='{escape(title)}: {escape('; '.join(alt))}' xmlns='http://www.w3.org/2000/svg'>"
        f"{''.join(parts)}</svg>"
    )
    legend = (
        f"<ul class='chart-legend'><li><svg width='12' height='12' aria-hidden='true'>"
        f"<rect width='12' height='12' fill='{SUPPLY}'></rect></svg> {escape(_('Expected'))}</li>"
        f"<li><svg width='12' height='12' aria-hidden='true'><rect width='12' height='12' fill='{NEED}'>"
        f"</rect></svg> {escape(_('Needed'))}</li></ul>"
    )
    summary = escape(_("The numbers"))
    heads = "".join(f"<th scope='col'>{escape(head)}</th>" for head in _part_heads())
    table = (
        f"<details class='chart-data'><summary>{summary}</summary><table>"
        f"<caption class='visually-hidden'>{escape(title)}</caption><thead><tr>"
        f"<th scope='col'>{escape(_('Week of'))}</th><th scope='col'>{escape(_('Expected'))}</th>"
        f"<th scope='col'>{escape(_('Needed'))}</th>{heads}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></details>"
    )
    return mark_safe(  # noqa: S308 - every text piece above is escaped
        f"<figure class='chart'><figcaption>{escape(title)}</figcaption>{svg}{legend}{table}</figure>"
    )


def _part_heads() -> list[str]:
    """The columns that say where a week's need comes from."""
    return [_("Typed need"), _("Food requests"), _("Shares"), _("Pantry use")]


def _part_values(parts: NeedParts) -> list[Decimal]:
    return [parts.typed, parts.requests, parts.shares, parts.pantry]
