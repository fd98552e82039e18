"""The directory's map, drawn by the server as inline SVG: no tiles, no scripts, nothing fetched
from anyone (a map service would learn who reads the directory, and when).

An equirectangular projection (longitude → x, latitude → y), framed on the points with a margin
(at least 20° wide, so that three towns in one state are not three dots on a world), with a
latitude/longitude grid instead of coastlines. Each point is a numbered disc linking to the
community's entry in the list below the map (same number), which is the accessible alternative:
the map adds where, the list says everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360  # viewBox units; the height is half (a 2:1 frame, as the whole world is)
HEIGHT = WIDTH // 2
MIN_SPAN = 20.0  # degrees of longitude at least
STEPS = (1, 2, 5, 10, 15, 30, 45, 60)


@dataclass(frozen=True)
class MapPoint:
    label: str
    latitude: float
    longitude: float
    anchor: str  # the list entry's id, for the link
    number: int  # the entry's number in the list, drawn on the point
    ours: bool = False


@dataclass(frozen=True)
class Frame:
    west: float
    north: float
    span: float  # degrees of longitude shown (latitude: half as many)

    @property
    def scale(self) -> float:
        return WIDTH / self.span

    def x(self, longitude: float) -> float:
        return (longitude - self.west) * self.scale

    def y(self, latitude: float) -> float:
        return (self.north - latitude) * self.scale


def frame_for(points: Sequence[MapPoint]) -> Frame:
    """The smallest 2:1 frame holding every point with a margin, kept on the Earth."""
    west, east = min(p.longitude for p in points), max(p.longitude for p in points)
    south, north = min(p.latitude for p in points), max(p.latitude for p in points)
    span = max((east - west) * 1.3, (north - south) * 1.3 * 2, MIN_SPAN)
    span = min(span, 360.0)
    centre_lon, centre_lat = (west + east) / 2, (south + north) / 2
    left = min(max(centre_lon - span / 2, -180.0), 180.0 - span)
    top = max(min(centre_lat + span / 4, 90.0), -90.0 + span / 2)
    return Frame(west=left, north=top, span=span)


def _step(span: float) -> int:
    return next((step for step in STEPS if span / step <= 8), STEPS[-1])


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _grid(frame: Frame) -> list[str]:
    step = _step(frame.span)
    parts = ['<g stroke="currentColor" stroke-opacity="0.18" stroke-width="0.6" fill="none">']
    labels = ['<g fill="currentColor" fill-opacity="0.6" font-size="8">']
    first = int(frame.west // step) * step
    lon = first
    while lon <= frame.west + frame.span:
        if lon >= frame.west:
            x = _num(frame.x(lon))
            parts.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{HEIGHT}"/>')
            name = f"{abs(lon)}°{'E' if lon > 0 else 'W' if lon < 0 else ''}"
            if frame.x(lon) < WIDTH - 24:  # a label at the right edge would be cut off
                labels.append(f'<text x="{x}" y="{HEIGHT - 3}" dx="2">{name}</text>')
        lon += step
    lat = int((frame.north - frame.span / 2) // step) * step
    while lat <= frame.north:
        if lat >= frame.north - frame.span / 2:
            y = _num(frame.y(lat))
            parts.append(f'<line x1="0" y1="{y}" x2="{WIDTH}" y2="{y}"/>')
            name = f"{abs(lat)}°{'N' if lat > 0 else 'S' if lat < 0 else ''}"
            labels.append(f'<text x="2" y="{y}" dy="-2">{name}</text>')
        lat += step
    return [*parts, "</g>", *labels, "</g>"]


def map_svg(points: Sequence[MapPoint], *, title: str, description: str) -> SafeString:
    """The map as an ``<svg>`` element ("" without points)."""
    if not points:
        return mark_safe("")
    frame = frame_for(points)
    # A group, not an image: an image's content is one picture to assistive technology, and the
    # points are links it must reach (axe's nested-interactive).
    out = [
        f'<svg class="directory-map" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" '
        'aria-labelledby="directory-map-title directory-map-desc" '
        'preserveAspectRatio="xMidYMid meet" width="100%">',
        f'<title id="directory-map-title">{escape(title)}</title>',
        f'<desc id="directory-map-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="currentColor" fill-opacity="0.04"/>',
        *_grid(frame),
    ]
    for point in points:
        x, y = _num(frame.x(point.longitude)), _num(frame.y(point.latitude))
        colour = "#b3261e" if point.ours else "#1f5fa8"
        # A numbered disc, not a name: names of nearby communities would run over each other on a
        # phone. The number is the entry's in the list; the name is the link's title.
        out += [
            f'<a href="#{escape(point.anchor)}" aria-label="{escape(point.label)}">',
            f"<title>{escape(point.label)}</title>",
            f'<circle cx="{x}" cy="{y}" r="12" fill="transparent"/>',  # a target a finger can hit
            f'<circle cx="{x}" cy="{y}" r="7" fill="{colour}" stroke="#fff" stroke-width="1.2"/>',
            f'<text x="{x}" y="{y}" dy="3.3" font-size="9" font-weight="bold" fill="#fff" '
            f'text-anchor="middle">{point.number}</text>',
            "</a>",
        ]
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped or a number
