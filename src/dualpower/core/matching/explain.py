"""Reasons for a suggestion, and for a need nobody can meet, as data a dispatcher's page puts in words.

Dispatchers review every suggestion before confirming it (issue 6), so each one says what matched
("same neighbourhood; speaks Spanish; free Tuesday evening; has capacity for 2 more"), and what did
not. The engine returns ``Reason`` values (a stable code and its parameters, days and times as
numbers) rather than sentences, so the application can word them in each reader's language;
``Reason.english()`` gives the English wording for tests, logs and command-line use. Only
neighbourhood names appear, never an address.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import Criteria, Need, Offer, OfferKind, TimeWindow

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Codes of the reasons for one pair, in the order dispatchers read them.
PAIR_CODES = (
    "same_neighbourhood",
    "distance",
    "speaks",
    "does_not_speak",
    "skills_all",
    "skills_some",
    "skills_none",
    "any_time",
    "free_windows",
    "no_overlap",
    "inexhaustible",
    "capacity",
)
# Codes of why a need stays open: the hard constraint that left no offer, or the assignment itself.
NONE_CODES = (
    "none_category",
    "none_language",
    "none_capacity",
    "none_time",
    "none_distance",
    "none_assigned",
)
# How many free windows are named before "and N more times".
WINDOWS_NAMED = 3


@dataclass(frozen=True)
class Reason:
    """One thing that matched or did not: a stable ``code`` and its ``params`` (plain JSON values:
    strings, numbers, lists, and windows as ``{"day", "start", "end"}`` in minutes)."""

    code: str
    # Excluded from the hash: a mapping has none, and the code already tells reasons apart.
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def english(self) -> str:
        return render_english(self)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reason:
        return cls(str(data["code"]), dict(data.get("params") or {}))


def part_of_day(minute: int) -> str:
    """``morning``, ``afternoon``, ``evening`` or ``night`` for a minute of the day (a code, not text)."""
    hour = minute // 60
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 22:
        return "evening"
    return "night"


def clock(minute: int) -> str:
    """``18:00`` for minute 1080 of a day; written the same in every language the app speaks."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def window_params(w: TimeWindow) -> dict[str, int]:
    """A window as the day it starts on (0 = Monday), its start in minutes of that day, and its end in
    minutes from the start of that day (past 1440 when it crosses midnight)."""
    day, start = divmod(w.start, 1440)
    return {"day": day, "start": start, "end": w.end - day * 1440}


def window_end_day(window: Mapping[str, int]) -> tuple[int | None, int]:
    """The day a window's end falls on (None when it is the day it starts) and the minute of that day."""
    end = window["end"]
    if end <= 1440:
        return None, end
    return (window["day"] + end // 1440) % 7, end % 1440


def _describe(window: Mapping[str, int]) -> str:
    end_day, end = window_end_day(window)
    end_text = clock(end) if end_day is None else f"{DAYS[end_day]} {clock(end)}"
    start = window["start"]
    return f"{DAYS[window['day']]} {part_of_day(start)} ({clock(start)}–{end_text})"


def describe_window(w: TimeWindow) -> str:
    """``Tuesday evening (18:00–21:00)``; a window crossing midnight is named by where it starts."""
    return _describe(window_params(w))


def _join(items: Sequence[str], word: str = "and") -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


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


def reasons(need: Need, offer: Offer, criteria: Criteria) -> tuple[Reason, ...]:
    """What matched and what did not, one reason per criterion, in the order dispatchers read."""
    out: list[Reason] = []
    if offer.neighbourhood == need.neighbourhood:
        out.append(Reason("same_neighbourhood"))
    else:
        out.append(Reason("distance", {"km": criteria.distance_km, "neighbourhood": offer.neighbourhood}))
    if need.languages:
        shared = sorted(set(need.languages) & set(offer.languages))
        if shared:
            out.append(Reason("speaks", {"languages": shared}))
        else:
            out.append(Reason("does_not_speak", {"languages": list(need.languages)}))
    if need.skills:
        have = sorted(set(need.skills) & set(offer.skills))
        lack = sorted(set(need.skills) - set(offer.skills))
        if not lack:
            out.append(Reason("skills_all", {"skills": have}))
        elif have:
            out.append(Reason("skills_some", {"have": have, "lack": lack}))
        else:
            out.append(Reason("skills_none", {"skills": lack}))
    if need.windows and not offer.windows:
        out.append(Reason("any_time"))
    elif need.windows:
        free = overlaps(need, offer)
        # A feasible pair always overlaps; the code keeps a ranking of infeasible pairs honest.
        if not free:
            out.append(Reason("no_overlap"))
        else:
            out.append(
                Reason(
                    "free_windows",
                    {
                        "windows": [window_params(w) for w in free[:WINDOWS_NAMED]],
                        "more": max(len(free) - WINDOWS_NAMED, 0),
                        "share": None if criteria.time >= 1 else criteria.time,
                    },
                )
            )
    if offer.kind is OfferKind.INEXHAUSTIBLE:
        out.append(Reason("inexhaustible"))
    else:
        out.append(Reason("capacity", {"count": offer.capacity}))
    return tuple(out)


def why_none(need: Need, left_after: tuple[tuple[str, int], ...], total: int) -> Reason:
    """Why no offer passes the hard constraints: the first constraint that left none."""
    before = total
    for name, left in left_after:
        if left == 0:
            by_constraint: dict[str, dict[str, Any]] = {
                "category": {"category": need.category},
                "language": {"count": before, "category": need.category, "languages": list(need.languages)},
                "distance": {"count": before, "neighbourhood": need.neighbourhood},
            }
            params = by_constraint.get(name, {"count": before})
            return Reason(f"none_{name}", params)
        before = left
    return Reason("none_assigned", {"count": before})


def render_english(reason: Reason) -> str:
    """The English sentence for a reason, exactly as the engine has always worded it."""
    p = reason.params
    match reason.code:
        case "same_neighbourhood":
            return "same neighbourhood"
        case "distance":
            return f"{p['km']:.3g} km away ({p['neighbourhood']})"
        case "speaks":
            return f"speaks {_join(p['languages'])}"
        case "does_not_speak":
            return f"does not speak {_join(p['languages'])}"
        case "skills_all":
            return f"has the skills asked for: {_join(p['skills'])}"
        case "skills_some":
            return f"has {_join(p['have'])} but not {_join(p['lack'])}"
        case "skills_none":
            return f"has none of the skills asked for ({_join(p['skills'])})"
        case "any_time":
            return "available any time"
        case "no_overlap":
            return "not free when asked"
        case "free_windows":
            named = ", ".join(_describe(w) for w in p["windows"])
            more = f" and {p['more']} more times" if p.get("more") else ""
            share = "" if p.get("share") is None else f", {p['share']:.0%} of the time asked"
            return f"free {named}{more}{share}"
        case "inexhaustible":
            return "never runs out (inexhaustible offer)"
        case "capacity":
            return f"has capacity for {p['count']} more"
        case "none_category":
            return f"no one offers {p['category']}"
        case "none_language":
            return f"none of the {p['count']} offering {p['category']} speaks {' or '.join(p['languages'])}"
        case "none_capacity":
            return f"all {p['count']} who could help have no capacity left"
        case "none_time":
            return f"none of the {p['count']} who could help is free when asked"
        case "none_distance":
            return f"all {p['count']} who could help are too far from {p['neighbourhood']}"
        case "none_assigned":
            return f"all {p['count']} who could help were assigned to other needs"
    raise ValueError(f"Unknown reason code {reason.code!r}.")
