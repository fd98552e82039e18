"""Participatory budgets: their audit entries as sentences (``community.hooks.register_audit_sentence``)."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from dualpower.budgeting.models import Phase, Proposal
from dualpower.community.audit import label_of, say, say_all, with_values
from dualpower.community.models import AuditEntry


def _title(entry: AuditEntry) -> str:
    # Some entries' summaries read "<title>: <status>": the title is what comes before.
    return entry.summary.rsplit(": ", 1)[0]


def _feasibility(entry: AuditEntry, actor: str) -> str:
    values = {"actor": actor, "title": _title(entry)}
    if (entry.data or {}).get("feasible"):
        return gettext("%(actor)s found “%(title)s” feasible") % values
    return gettext("%(actor)s found “%(title)s” not feasible") % values


say(
    "budget.adopt", _("%(actor)s adopted the budget “%(summary)s”"), _("The budget “%(summary)s” was adopted")
)
say(
    "budget.booth_vote",
    _("%(actor)s recorded a vote at a polling booth"),
    _("A vote was cast at a polling booth"),
)
say_all(
    {
        "budget.cycle_create": _("%(actor)s started the budget “%(summary)s”"),
        "budget.district_add": _("%(actor)s added the district “%(summary)s” to a budget"),
        "budget.category_add": _("%(actor)s added the category “%(summary)s” to a budget"),
        "budget.phase": with_values(
            _("%(actor)s moved a budget on from “%(before)s” to “%(after)s”"),
            before=lambda entry: label_of(Phase.choices, (entry.data or {}).get("before")),
            after=lambda entry: label_of(Phase.choices, (entry.data or {}).get("after")),
        ),
        "budget.idea_submit": _("%(actor)s suggested the idea “%(summary)s”"),
        "budget.idea_merge": _("%(actor)s merged the idea “%(summary)s” into a proposal"),
        "budget.proposal_create": _("%(actor)s wrote the project proposal “%(summary)s”"),
        "budget.proposal_update": _("%(actor)s edited the project proposal “%(summary)s”"),
        "budget.feasibility": _feasibility,
        "budget.ballot_cast": _("%(actor)s voted in a budget"),
        "budget.ballot_replace": _("%(actor)s changed their vote in a budget"),
        "budget.ballot_withdraw": _("%(actor)s withdrew their vote in a budget"),
        "budget.codes_issue": ngettext_lazy(
            "%(actor)s issued %(count)s voting code", "%(actor)s issued %(count)s voting codes", "count"
        ),
        "budget.paper_enter": ngettext_lazy(
            "%(actor)s entered %(count)s paper ballot", "%(actor)s entered %(count)s paper ballots", "count"
        ),
        "budget.paper_confirm": ngettext_lazy(
            "%(actor)s confirmed %(count)s paper ballot",
            "%(actor)s confirmed %(count)s paper ballots",
            "count",
        ),
        "budget.paper_discard": ngettext_lazy(
            "%(actor)s discarded %(count)s paper ballot",
            "%(actor)s discarded %(count)s paper ballots",
            "count",
        ),
        "budget.count": _("%(actor)s counted the votes of “%(summary)s”"),
        "budget.project_status": with_values(
            _("%(actor)s marked the project “%(title)s” as %(status)s"),
            title=_title,
            status=lambda entry: label_of(Proposal.Status.choices, (entry.data or {}).get("status")).lower(),
        ),
        "budget.project_spent": _("%(actor)s recorded the spending on “%(summary)s”"),
        "budget.project_group": _("%(actor)s chose the working group that carries out “%(summary)s”"),
        "budget.progress_update": _("%(actor)s reported progress on “%(summary)s”"),
    }
)
