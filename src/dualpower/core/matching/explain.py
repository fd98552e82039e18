"""Plain-language reasons for a suggestion, and for a need nobody can meet.

Dispatchers review every suggestion before confirming it (issue 6), so each one says what matched
("same neighbourhood; speaks Spanish; free Tuesday evening; has capacity for 2 more"), and what did
not, in words rather than numbers. Only neighbourhood names appear, never an address.
"""

from __future__ import annotations

from .model import Criteria, Need, Offer, OfferKind, TimeWindow

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _part_of_day(minute: int) -> str:
    hour = minute // 60
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 22:
        return "evening"
    return "night"


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def describe_window(w: TimeWindow) -> str:
    """``Tuesday evening (18:00–21:00)``; a window crossing midnight is named by where it starts."""
    day, start = divmod(w.start, 1440)
    end = w.end - day * 1440
    end_text = _clock(end) if end <= 1440 else f"{DAYS[(day + end // 1440) % 7]} {_clock(end % 1440)}"
    return f"{DAYS[day]} {_part_of_day(start)} ({_clock(start)}–{end_text})"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def overlaps(need: Need, offer: Offer) -> list[TimeWindow]:
    """Where the offer's availability meets the need's windows (both merged, so no double counting)."""
    if not need.windows:
        return list(offer.windows)
    if not offer.windows:
        return list(need.windows)
    out = []
    for a in need.windows:
        for b in offer.windows:
            lo, hi = max(a.start, b.start), min(a.end, b.end)
            if lo < hi:
                out.append(TimeWindow(lo, hi))
    return out


def reasons(need: Need, offer: Offer, criteria: Criteria) -> tuple[str, ...]:
    """What matched and what did not, one short phrase per criterion, in the order dispatchers read."""
    out: list[str] = []
    if offer.neighbourhood == need.neighbourhood:
        out.append("same neighbourhood")
    else:
        out.append(f"{criteria.distance_km:.3g} km away ({offer.neighbourhood})")
    if need.languages:
        shared = sorted(set(need.languages) & set(offer.languages))
        out.append(f"speaks {_join(shared)}" if shared else f"does not speak {_join(list(need.languages))}")
    if need.skills:
        have = sorted(set(need.skills) & set(offer.skills))
        lack = sorted(set(need.skills) - set(offer.skills))
        if not lack:
            out.append(f"has the skills asked for: {_join(have)}")
        elif have:
            out.append(f"has {_join(have)} but not {_join(lack)}")
        else:
            out.append(f"has none of the skills asked for ({_join(lack)})")
    if need.windows and not offer.windows:
        out.append("available any time")
    elif need.windows:
        free = overlaps(need, offer)
        named = [describe_window(w) for w in free[:3]]
        more = f" and {len(free) - 3} more times" if len(free) > 3 else ""
        share = "" if criteria.time >= 1 else f", {criteria.time:.0%} of the time asked"
        out.append(f"free {', '.join(named)}{more}{share}")
    if offer.kind is OfferKind.INEXHAUSTIBLE:
        out.append("never runs out (inexhaustible offer)")
    else:
        out.append(f"has capacity for {offer.capacity} more")
    return tuple(out)


def why_none(need: Need, left_after: tuple[tuple[str, int], ...], total: int) -> str:
    """Why no offer passes the hard constraints: the first constraint that left none."""
    before = total
    for name, left in left_after:
        if left == 0:
            return {
                "category": f"no one offers {need.category}",
                "language": f"none of the {before} offering {need.category} speaks "
                f"{' or '.join(need.languages)}",
                "capacity": f"all {before} who could help have no capacity left",
                "time": f"none of the {before} who could help is free when asked",
                "distance": f"all {before} who could help are too far from {need.neighbourhood}",
            }[name]
        before = left
    return f"all {before} who could help were assigned to other needs"
