"""The projects map: a plain SVG scatter of the projects that have coordinates, drawn on the
server. No tile server is contacted (nobody learns who looked at which project); the list of
projects next to it always works and carries the same information."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualpower.budgeting.models import Proposal

WIDTH, HEIGHT, PAD = 480, 320, 24


def project_map(proposals: Sequence[Proposal]) -> SafeString:
    """An SVG with one labelled point per located project, or "" when none has coordinates."""
    located = [p for p in proposals if p.has_location]
    if not located:
        return mark_safe("")
    lats = [int(p.latitude_e6 or 0) for p in located]
    lons = [int(p.longitude_e6 or 0) for p in located]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    span_x, span_y = max(east - west, 1), max(north - south, 1)
    points = []
    for p, lat, lon in zip(located, lats, lons, strict=True):
        x = PAD + (WIDTH - 2 * PAD) * (lon - west) / span_x
        y = PAD + (HEIGHT - 2 * PAD) * (north - lat) / span_y  # north is up
        label = escape(f"{p.code} {p.title}"[:28])
        points.append(
            f"<g><title>{escape(p.title)}</title>"
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='6' fill='#8a1c1c'></circle>"
            f"<text x='{x + 9:.1f}' y='{y + 4:.1f}' font-size='12'>{label}</text></g>"
        )
    title = _("Where the projects are")
    alt = ngettext(
        "%(n)d project with a location; the list below gives every project.",
        "%(n)d projects with a location; the list below gives every project.",
        len(located),
    ) % {"n": len(located)}
    return mark_safe(  # noqa: S308 - every text piece above is escaped
        f"<figure class='chart'><figcaption>{escape(title)}</figcaption>"
        f"<svg viewBox='0 0 {WIDTH} {HEIGHT}' width='100%' role='img' aria-label='{escape(alt)}'>"
        f"<rect width='{WIDTH}' height='{HEIGHT}' fill='#f4f1ea' stroke='#999'></rect>"
        f"{''.join(points)}</svg></figure>"
    )
