"""The outcome of a decision in the reader's language, written when the page is shown.

The outcome row keeps the count as data (the rule, the tally, participation, the winners); the
sentence stored with it (``Outcome.statement``) is in the language of whoever closed the vote, and
the counting engine's own reason is English. So the page builds its sentences here from the data,
with ``gettext``/``ngettext``, and falls back to the stored sentence only for a count it cannot
read (a count that failed).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualpower.formatting import format_percent


@dataclass(frozen=True)
class Verdict:
    headline: str  # shown in bold: what was decided
    detail: str  # why, in one or two sentences


def percent(share: Fraction | str | float | None) -> str:
    """A share as the reader writes a percentage: "1/5" → "20%" ("20 %" in Spanish), "2/3" → "67%"."""
    if share is None or share == "":
        return ""
    value = Fraction(share) if not isinstance(share, float) else Fraction(share).limit_denominator(10000)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    whole = (value * 100).denominator == 1
    return format_percent(exact, decimals=0 if whole or value * 100 > 10 else 1)


def _took_part(participants: int, eligible: int) -> str:
    return ngettext(
        "%(n)d of %(e)d eligible member took part.",
        "%(n)d of %(e)d eligible members took part.",
        eligible,
    ) % {"n": participants, "e": eligible}


def _quorum_detail(participants: int, eligible: int, needed: int | None, share: Any) -> str:
    return (
        _took_part(participants, eligible)
        + " "
        + ngettext(
            "The quorum is %(q)d member (%(pct)s of the members).",
            "The quorum is %(q)d members (%(pct)s of the members).",
            needed or 0,
        )
        % {"q": needed or 0, "pct": percent(share) if share else "?"}
    )


def _vote_detail(tally: dict[str, Any], settings: dict[str, Any]) -> str:
    counts = tally.get("counts") or {}
    yes = int(counts.get("agree", 0))
    no = int(counts.get("disagree", 0)) + int(counts.get("block", 0)) + int(counts.get("object", 0))
    aside = int(counts.get("abstain", 0)) + int(counts.get("stand_aside", 0))
    base, needed = tally.get("base"), tally.get("needed")
    parts = []
    if not base:
        parts.append(_("No votes were cast for or against."))
    else:
        parts.append(_("%(yes)d agreed and %(no)d disagreed.") % {"yes": yes, "no": no})
    if aside:
        parts.append(
            ngettext("%(n)d abstained or stood aside.", "%(n)d abstained or stood aside.", aside)
            % {"n": aside}
        )
    if base:
        of_cast = settings.get("of", "cast") == "cast"
        more_than = settings.get("comparison") == "more_than"
        share = percent(tally.get("threshold") or settings.get("threshold"))
        if of_cast and more_than:
            rule = _("More than %(pct)s of the votes cast had to agree: %(needed)d of %(base)d.")
        elif of_cast:
            rule = _("At least %(pct)s of the votes cast had to agree: %(needed)d of %(base)d.")
        elif more_than:
            rule = _("More than %(pct)s of the eligible members had to agree: %(needed)d of %(base)d.")
        else:
            rule = _("At least %(pct)s of the eligible members had to agree: %(needed)d of %(base)d.")
        parts.append(rule % {"pct": share, "needed": needed or 0, "base": base})
    return " ".join(parts)


def _consensus_detail(tally: dict[str, Any], settings: dict[str, Any], passed: bool) -> str:
    counts = tally.get("counts") or {}
    blocks = int(counts.get("block", 0))
    against = int(counts.get("disagree", 0)) + int(counts.get("object", 0))
    aside = int(counts.get("stand_aside", 0))
    agree = int(counts.get("agree", 0))
    if passed:
        text = ngettext(
            "%(n)d member agreed and nobody blocked.", "%(n)d members agreed and nobody blocked.", agree
        ) % {"n": agree}
        if aside:
            text += " " + ngettext("%(n)d stood aside.", "%(n)d stood aside.", aside) % {"n": aside}
        return text
    if blocks:
        return ngettext(
            "%(n)d member blocked, and any block stops consensus.",
            "%(n)d members blocked, and any block stops consensus.",
            blocks,
        ) % {"n": blocks}
    if against:
        return ngettext(
            "No consensus: %(n)d member disagreed or objected.",
            "No consensus: %(n)d members disagreed or objected.",
            against,
        ) % {"n": against}
    limit = settings.get("stand_aside_limit")
    if limit is not None and aside > int(limit):
        return ngettext(
            "%(n)d member stood aside, more than the %(limit)d the group allows for a consensus.",
            "%(n)d members stood aside, more than the %(limit)d the group allows for a consensus.",
            aside,
        ) % {"n": aside, "limit": int(limit)}
    return _("Nobody agreed, so there is no consensus.")


def _consent_detail(tally: dict[str, Any], passed: bool) -> str:
    counts = tally.get("counts") or {}
    objections = sum(int(counts.get(k, 0)) for k in ("object", "block", "disagree"))
    agree = int(counts.get("agree", 0))
    if passed:
        return ngettext(
            "%(n)d member consented and no objection is left.",
            "%(n)d members consented and no objection is left.",
            agree,
        ) % {"n": agree}
    if objections:
        return ngettext(
            "%(n)d objection is unresolved; consent needs every objection resolved.",
            "%(n)d objections are unresolved; consent needs every objection resolved.",
            objections,
        ) % {"n": objections}
    return _("Nobody consented.")


def _positions(outcome: Any) -> Verdict | None:
    tally: dict[str, Any] = outcome.tally or {}
    stage = tally.get("stage")
    settings: dict[str, Any] = dict(tally.get("settings") or outcome.rule or {})
    passed = bool(outcome.passed)
    if stage == "quorum":
        return Verdict(
            _("Not passed: the quorum was not met."),
            _quorum_detail(
                outcome.participants, outcome.eligible, outcome.quorum_needed, settings.get("quorum")
            ),
        )
    if stage == "vote":
        return Verdict(
            _("Passed by a vote.") if passed else _("Not passed by the vote."), _vote_detail(tally, settings)
        )
    if stage == "consent":
        return Verdict(
            _("Passed by consent.") if passed else _("Not passed."), _consent_detail(tally, passed)
        )
    if stage == "consensus":
        return Verdict(
            _("Passed by consensus.") if passed else _("Not passed."),
            _consensus_detail(tally, settings, passed),
        )
    if stage == "fallback":
        fallback = tally.get("fallback") or {}
        detail = _("Consensus was not reached, so the positions were counted as a vote.")
        return Verdict(
            _("Passed by the fallback vote.") if passed else _("Not passed by the fallback vote."),
            detail + " " + _vote_detail(fallback, dict(fallback.get("settings") or {})),
        )
    return None


def _poll(outcome: Any) -> Verdict | None:
    tally: dict[str, Any] = outcome.tally or {}
    if "error" in tally:
        return None
    if outcome.quorum_met is False:
        return Verdict(
            _("No result: the quorum was not met."),
            _quorum_detail(
                outcome.participants,
                outcome.eligible,
                outcome.quorum_needed,
                (outcome.rule or {}).get("quorum"),
            ),
        )
    if not outcome.participants:
        return Verdict(_("No result."), _("Nobody took part."))
    winners = list(outcome.winners or [])
    headline = (
        ngettext("Chosen: %(w)s.", "Chosen: %(w)s.", len(winners)) % {"w": ", ".join(winners)}
        if winners
        else _("Nothing was chosen.")
    )
    return Verdict(headline, _took_part(outcome.participants, outcome.eligible))


def _advice(outcome: Any) -> Verdict:
    given = ngettext(
        "Advice was given by %(n)d of %(e)d member.",
        "Advice was given by %(n)d of %(e)d members.",
        outcome.eligible,
    ) % {"n": outcome.participants, "e": outcome.eligible}
    if outcome.passed is None:
        return Verdict(_("Advice collected; the author decides."), given)
    headline = (
        _("The author decided to go ahead.") if outcome.passed else _("The author decided not to go ahead.")
    )
    return Verdict(headline, given)


def verdict(outcome: Any, room: str = "") -> Verdict:
    """The outcome's headline and its reasons in the reader's language. ``room``: the meeting's
    description of a show-of-hands count (already in the reader's language), added at the end."""
    if outcome.process == "advice":
        found: Verdict | None = _advice(outcome)
    elif (outcome.tally or {}).get("stage"):
        found = _positions(outcome)
    else:
        found = _poll(outcome)
    if found is None:  # a count the page cannot read: the stored sentence, as it was written
        found = Verdict(_("Passed.") if outcome.passed else _("Not passed."), outcome.statement)
    elif room:
        found = Verdict(found.headline, f"{found.detail} {room}")
    return found
