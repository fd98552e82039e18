"""The count explained in sentences a voter reads: each project by its name, in the reader's language.

The counting rules store their steps as data (``Result.explanation``: the kind of step, the project's
code, its cost and payments in the election's unit). This module writes each step as a sentence,
naming the project by its title and writing money with ``dualpower.formatting``. A step of a kind it
does not know is left out rather than shown as a code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualpower.formatting import format_money, format_number


def _cents(value: Any, unit: int) -> int:
    """An amount in the election's unit (an int, a float, or an exact fraction "a/b") as cents."""
    if isinstance(value, str):
        return round(Fraction(value) * unit)
    return round(float(value or 0) * unit)


def _score(step: Mapping[str, Any], kind: str) -> str:
    n = int(step.get("score", 0))
    if kind == "votes":
        return ngettext("%(n)s vote", "%(n)s votes", n) % {"n": format_number(n)}
    return ngettext("%(n)s point", "%(n)s points", n) % {"n": format_number(n)}


def explain_steps(
    *,
    steps: list[Mapping[str, Any]],
    name: Callable[[str], str],
    currency: str,
    unit: int = 1,
    score_kind: str = "votes",
) -> list[str]:
    """One sentence per step of the count. ``name(code)`` gives a project's title; ``unit`` is
    the number of cents in one unit of the published election file (``settings["unit_cents"]``)."""

    def as_money(value: Any) -> str:
        return format_money(_cents(value, unit), currency, trim=True, empty="—")

    def amount(low: Any, high: Any) -> str:
        if round(float(low), 2) == round(float(high), 2):
            return as_money(low)
        return _("%(low)s to %(high)s") % {"low": as_money(low), "high": as_money(high)}

    out: list[str] = []
    for step in steps:
        kind = step.get("kind")
        decision = step.get("decision")
        code = str(step.get("project", ""))
        args: dict[str, Any] = {"name": name(code) if code else "", "cost": as_money(step.get("cost", 0))}
        if kind == "share":
            args.update(share=as_money(step["share"]), base=as_money(step["base_share"]))
            if step.get("add1_steps"):
                out.append(
                    _(
                        "Every voter started with an equal share of %(share)s: the budget divided by "
                        "the number of voters is %(base)s, raised step by step so that as much of the "
                        "budget as possible is spent."
                    )
                    % args
                )
            else:
                out.append(
                    _(
                        "Every voter started with an equal share of %(share)s: the budget divided by "
                        "the number of voters."
                    )
                    % args
                )
        elif kind == "funded":
            pay = step.get("payments") or {}
            args["round"] = format_number(int(step.get("round", 0)))
            full, all_in = int(pay.get("full_payers", 0)), int(pay.get("all_in_payers", 0))
            text = _("Round %(round)s: %(name)s (%(cost)s) was funded.") % args
            if full:
                text += " " + ngettext(
                    "%(n)s supporter paid %(each)s.", "%(n)s supporters paid %(each)s each.", full
                ) % {"n": format_number(full), "each": amount(pay["full_min"], pay["full_max"])}
            if all_in:
                text += " " + ngettext(
                    "%(n)s supporter paid all they had left (%(each)s).",
                    "%(n)s supporters paid all they had left (%(each)s each).",
                    all_in,
                ) % {"n": format_number(all_in), "each": amount(pay["all_in_min"], pay["all_in_max"])}
            out.append(text)
        elif kind == "completion":
            out.append(_("%(name)s (%(cost)s) was added with what the equal shares left unspent.") % args)
        elif kind == "rejected" and step.get("reason") == "no-support":
            out.append(_("%(name)s was not funded: nobody voted for it.") % args)
        elif kind == "rejected":
            args.update(
                round=format_number(int(step.get("after_round", 0))),
                left=as_money(step.get("supporters_had", 0)),
            )
            out.append(
                _(
                    "%(name)s was not funded: after round %(round)s its supporters had %(left)s left "
                    "of the %(cost)s it needs."
                )
                % args
            )
        elif decision in ("selected", "skipped", "stop", "below threshold"):
            args["left"] = as_money(step.get("remaining", 0))
            if "score" in step:
                args["score"] = _score(step, score_kind)
            if decision == "selected" and "score" in step:
                out.append(_("%(name)s (%(score)s) was funded: it costs %(cost)s, %(left)s left.") % args)
            elif decision == "selected":
                args["n"] = format_number(int(step.get("supporters", 0)))
                out.append(
                    ngettext(
                        "%(name)s was funded, its cost shared by its %(n)s supporter: "
                        "it costs %(cost)s, %(left)s left.",
                        "%(name)s was funded, its cost shared by its %(n)s supporters: "
                        "it costs %(cost)s, %(left)s left.",
                        int(step.get("supporters", 0)),
                    )
                    % args
                )
            elif decision == "skipped":
                out.append(
                    _("%(name)s (%(score)s) was passed over: it costs %(cost)s and only %(left)s was left.")
                    % args
                )
            elif decision == "stop" and "score" not in step:
                out.append(
                    _("%(name)s came next, but it costs more than was left: the count stops here.") % args
                )
            elif decision == "stop":
                out.append(
                    _("%(name)s (%(score)s) costs %(cost)s but only %(left)s was left: the count stops here.")
                    % args
                )
            else:
                out.append(_("%(name)s (%(score)s) was not funded: below the threshold.") % args)
        elif decision == "excluded" and "budget" in str(step.get("reason", "")):
            out.append(_("%(name)s was left out: it costs more than the whole budget.") % args)
        elif decision == "excluded":
            out.append(_("%(name)s was not funded: nobody voted for it.") % args)
        elif decision == "not reached":
            out.append(_("%(name)s was not reached: the budget ran out first.") % args)
    return out
