"""The land trust's stored texts and the draw's explanations, in the reader's language.

The trust stores its default criteria in English (the catalogue's msgids) and the draw stores its
ranking as data; both are worded here at display time, so a Spanish reader reads Spanish. A
criterion a coordinator wrote stays as written (it is not in the catalogue).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dualpower.core.economy import Criterion

# Short names of the facts the default criteria read, for the ranking's explanation.
FACT_LABELS = {
    "years_waiting": gettext_lazy("years waiting"),
    "lives_or_works_locally": gettext_lazy("lives or works locally"),
    "displaced": gettext_lazy("displaced"),
    "household_size": gettext_lazy("household size"),
}


# The resale formulas by name, in the reader's language (the lease stores the code).
FORMULA_LABELS = {
    "appraisal_based": gettext_lazy("Appraisal based"),
    "indexed": gettext_lazy("Indexed"),
    "fixed_rate_simple": gettext_lazy("Fixed rate, simple"),
    "fixed_rate_compound": gettext_lazy("Fixed rate, compound"),
    "itemized": gettext_lazy("Itemized improvements"),
}


def formula_label(code: str) -> str:
    return str(FORMULA_LABELS.get(code, code.replace("_", " ")))


def stored_text(text: str) -> str:
    """A text the app stored: translated when it is one of the app's own (a catalogue msgid)."""
    return _(text) if text else text


def criteria_shown(criteria: Sequence[Criterion]) -> list[Criterion]:
    return [replace(c, description=stored_text(c.description)) for c in criteria]


def fact_label(key: str) -> str:
    return str(FACT_LABELS.get(key, key.replace("_", " ")))


def answers(facts: Mapping[str, Any], criteria: Sequence[Criterion]) -> list[tuple[str, str]]:
    """An application's answers as (question, answer) pairs: yes/no for a yes-or-no question."""
    yes_no = {c.key for c in criteria if c.max_units == 1}
    out = []
    for key, value in facts.items():
        shown = (_("yes") if value else _("no")) if key in yes_no else str(value)
        out.append((fact_label(key), shown))
    return out


def placement_reason(placement: Mapping[str, Any], seed: str) -> str:
    """Why a household has its place, from the stored ranking."""
    points = int(placement.get("points", 0))
    parts = "; ".join(
        _("%(fact)s: %(points)s") % {"fact": fact_label(str(key)), "points": value}
        for key, value in placement.get("points_by_criterion", [])
    ) or _("no criteria")
    text = ngettext(
        "Place %(place)s: %(points)s point (%(parts)s)",
        "Place %(place)s: %(points)s points (%(parts)s)",
        points,
    ) % {"place": placement.get("place"), "points": points, "parts": parts}
    tied = int(placement.get("tied", 1))
    if tied <= 1:
        return text + ", " + _("the only eligible household with this many points.")
    others = tied - 1
    return (
        text
        + ", "
        + ngettext(
            "tied with %(n)d other household; the lottery key %(key)s… from the seed decides the order.",
            "tied with %(n)d other households; the lottery keys %(key)s… from the seed decide the order.",
            others,
        )
        % {"n": others, "key": str(placement.get("lottery_key", ""))[:12]}
    )


def exclusion_reason(excluded: Mapping[str, Any], result: Mapping[str, Any]) -> str:
    """Why a household took no part, from the stored requirements and its facts."""
    facts: Mapping[str, Any] = next(
        (
            a.get("facts", {})
            for a in result.get("applicants", [])
            if a.get("applicant_id") == excluded.get("applicant_id")
        ),
        {},
    )
    for req in result.get("requirements", []):
        value = facts.get(req.get("key"))
        low, high = req.get("minimum"), req.get("maximum")
        if value is None or ((low is None or value >= low) and (high is None or value <= high)):
            continue
        if req.get("key") == "household_size":
            return ngettext(
                "A household of %(n)s; this home houses %(low)s to %(high)s person.",
                "A household of %(n)s; this home houses %(low)s to %(high)s people.",
                high if isinstance(high, int) else 2,
            ) % {
                "n": value,
                "low": low if low is not None else 1,
                "high": high if high is not None else "…",
            }
        return _("%(fact)s is %(value)s, outside %(low)s to %(high)s.") % {
            "fact": fact_label(str(req.get("key"))),
            "value": value,
            "low": low if low is not None else "…",
            "high": high if high is not None else "…",
        }
    return str(excluded.get("reason", ""))
