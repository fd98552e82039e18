"""The matching engine's reasons in the reader's language.

The pure engine (dualpower.core.matching) says why it suggests an offer as codes with parameters;
this module words them with gettext at display time, so a dispatcher reads them in the language of
the page or of the API request (Accept-Language, the language cookie). Matches store the codes
(``AidMatch.reasons``), never sentences, so a match proposed in English reads in Spanish later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.conf.locale import LANG_INFO
from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language, gettext, ngettext, pgettext

from dualpower.core.matching import Reason
from dualpower.core.matching.explain import clock, part_of_day, window_end_day

# Said when the only helper the assignment found is the person who asked (decided here, not in core).
SELF_ONLY = "self_only"

# Language names as members type them ("Spanish") that Django's own catalogue can translate; other
# names (a community's own spelling, a language Django does not list) are shown as typed.
_LANGUAGE_NAMES = frozenset(info["name"] for info in LANG_INFO.values() if "name" in info)
# Languages that write names of languages and weekdays in lower case inside a sentence ("habla
# español", "el martes"), while catalogues give them capitalised, as for a menu or a calendar.
_LOWER_CASE_NAMES = ("es", "fr", "it", "pt", "ca")


def _in_sentence(word: str) -> str:
    return word.lower() if (get_language() or "").split("-")[0] in _LOWER_CASE_NAMES else word


def _language(name: str) -> str:
    if name not in _LANGUAGE_NAMES:
        return name
    translated = gettext(name)
    return _in_sentence(translated) if translated != name else name


def _weekday(day: int) -> str:
    return _in_sentence(str(WEEKDAYS[day]))


def _and(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _or(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return gettext("%(items)s or %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _km(km: float) -> str:
    # Three significant figures, as the engine's English has it, with the locale's decimal mark.
    text = f"{km:.3g}"
    return text if "e" in text or "n" in text else formats.number_format(Decimal(text))


def _part(minute: int) -> str:
    return {
        "morning": pgettext("part of the day, after a weekday", "morning"),
        "afternoon": pgettext("part of the day, after a weekday", "afternoon"),
        "evening": pgettext("part of the day, after a weekday", "evening"),
        "night": pgettext("part of the day, after a weekday", "night"),
    }[part_of_day(minute)]


def window_text(window: Mapping[str, int]) -> str:
    """``martes por la noche (18:00–21:00)``: a window given as day index and minutes."""
    end_day, end = window_end_day(window)
    end_text = clock(end)
    if end_day is not None:
        end_text = gettext("%(day)s %(time)s") % {"day": _weekday(end_day), "time": end_text}
    return gettext("%(day)s %(part)s (%(start)s–%(end)s)") % {
        "day": _weekday(window["day"]),
        "part": _part(window["start"]),
        "start": clock(window["start"]),
        "end": end_text,
    }


def _free(p: Mapping[str, Any]) -> str:
    windows = ", ".join(window_text(w) for w in p["windows"])
    more = int(p.get("more") or 0)
    if more:
        windows = ngettext(
            "%(windows)s and %(count)d more time", "%(windows)s and %(count)d more times", more
        ) % {"windows": windows, "count": more}
    if p.get("share") is None:
        return gettext("free %(windows)s") % {"windows": windows}
    return gettext("free %(windows)s, %(percent)d%% of the time asked") % {
        "windows": windows,
        "percent": round(float(p["share"]) * 100),
    }


def _render(reason: Reason) -> str:
    p = reason.params
    code = reason.code
    count = int(p.get("count") or 0)
    if code == "same_neighbourhood":
        return gettext("same neighbourhood")
    if code == "distance":
        return gettext("%(km)s km away (%(neighbourhood)s)") % {
            "km": _km(float(p["km"])),
            "neighbourhood": p["neighbourhood"],
        }
    if code == "speaks":
        return gettext("speaks %(languages)s") % {"languages": _and([_language(x) for x in p["languages"]])}
    if code == "does_not_speak":
        return gettext("does not speak %(languages)s") % {
            "languages": _and([_language(x) for x in p["languages"]])
        }
    if code == "skills_all":
        return gettext("has the skills asked for: %(skills)s") % {"skills": _and(p["skills"])}
    if code == "skills_some":
        return gettext("has %(have)s but not %(lack)s") % {"have": _and(p["have"]), "lack": _and(p["lack"])}
    if code == "skills_none":
        return gettext("has none of the skills asked for (%(skills)s)") % {"skills": _and(p["skills"])}
    if code == "any_time":
        return gettext("available any time")
    if code == "no_overlap":
        return gettext("not free when asked")
    if code == "free_windows":
        return _free(p)
    if code == "inexhaustible":
        return gettext("never runs out (inexhaustible offer)")
    if code == "capacity":
        return ngettext("has capacity for %(count)d more", "has capacity for %(count)d more", count) % {
            "count": count
        }
    if code == "none_category":
        return gettext("no one offers %(category)s") % {"category": p["category"]}
    if code == "none_language":
        return ngettext(
            "the only one offering %(category)s does not speak %(languages)s",
            "none of the %(count)d offering %(category)s speaks %(languages)s",
            count,
        ) % {
            "count": count,
            "category": p["category"],
            "languages": _or([_language(x) for x in p["languages"]]),
        }
    if code == "none_capacity":
        return ngettext(
            "the only one who could help has no capacity left",
            "all %(count)d who could help have no capacity left",
            count,
        ) % {"count": count}
    if code == "none_time":
        return ngettext(
            "the only one who could help is not free when asked",
            "none of the %(count)d who could help is free when asked",
            count,
        ) % {"count": count}
    if code == "none_distance":
        return ngettext(
            "the only one who could help is too far from %(neighbourhood)s",
            "all %(count)d who could help are too far from %(neighbourhood)s",
            count,
        ) % {"count": count, "neighbourhood": p["neighbourhood"]}
    if code == "none_assigned":
        return ngettext(
            "the only one who could help was assigned to another need",
            "all %(count)d who could help were assigned to other needs",
            count,
        ) % {"count": count}
    if code == SELF_ONLY:
        return gettext("the only helper found is the person who asked")
    raise KeyError(code)


def render(reason: Reason) -> str:
    """One reason in the active language. A stored reason this version cannot word (a code from a
    newer release, damaged parameters) shows its code rather than breaking the page."""
    try:
        return _render(reason)
    except (KeyError, IndexError, TypeError, ValueError):
        return reason.code


def render_all(reasons: Iterable[Reason]) -> list[str]:
    return [render(r) for r in reasons]


def explanation(reasons: Iterable[Reason]) -> str:
    """The reasons as one line, the way dispatchers read them."""
    return "; ".join(render_all(reasons))


def to_json(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    """The codes and parameters, as stored on a match and returned by the API beside the words."""
    return [r.as_dict() for r in reasons]


def from_json(data: Any) -> tuple[Reason, ...]:
    """Reasons stored on a match; anything unreadable is skipped, since they only explain."""
    out = []
    for item in data if isinstance(data, list) else []:
        if isinstance(item, Mapping) and isinstance(item.get("code"), str):
            params = item.get("params")
            out.append(Reason(item["code"], dict(params) if isinstance(params, Mapping) else {}))
    return tuple(out)
