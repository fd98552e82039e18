"""``{{ proposals|proposal_rows }}``: the assembly page's lists of proposals, written in Python.

Each row was ``assemblies/partials/_proposal_row.html`` included once per proposal: the include
itself, a link, a date filter and a ``{% blocktrans %}`` per row came to a sixth of the assembly
page's CPU. Here each row is its values, escaped as ``{{ }}`` escaped them, in the same HTML
(the moment as ``|date:"DATETIME_FORMAT"`` writes it: web/moments.py), with the same words to
translate (the msgids of the partial's ``{% trans %}`` and ``{% blocktrans %}``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dualpower.assemblies.models import Proposal
from dualpower.web.moments import moment_texts

register = template.Library()


def _when(value: dt.datetime | None) -> str:
    return "" if value is None else escape(moment_texts(value)[1])


def _state(p: Proposal) -> str:
    """What the row's ``<small>`` says: when the vote opens or closes, or how it ended."""
    if p.state == Proposal.State.VOTING:
        return _("vote closes %(when)s") % {"when": _when(p.voting_closes_at)}
    if p.state == Proposal.State.DISCUSSION:
        return _("vote opens %(when)s") % {"when": _when(p.voting_opens_at)}
    # A closed proposal without an outcome (none recorded yet) shows its state, as the template did.
    outcome = getattr(p, "outcome", None) if p.state == Proposal.State.CLOSED else None
    if outcome is not None:
        if outcome.passed:
            return _("passed")
        if outcome.passed is None:
            return _("awaiting the author's decision")
        return _("did not pass")
    return escape(p.get_state_display())


@register.filter
def proposal_rows(proposals: Iterable[Proposal]) -> SafeString:
    rows = [
        f'<li><a href="{escape(p.get_absolute_url())}">{escape(p.title_shown)}</a>\n'
        f"  <small>{_state(p)}</small></li>\n"
        for p in proposals
    ]
    return mark_safe("".join(rows))  # noqa: S308  # every value escaped above
