"""The assemblies' audit entries as sentences (``community.hooks.register_audit_sentence``):
proposals, votes, outcomes, amendments, delegations and policy changes."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dualpower.assemblies.builtin_actions import setting_words
from dualpower.assemblies.models import Policy
from dualpower.community.audit import say, say_all, with_values
from dualpower.community.models import AuditEntry


def _policy_changes(entry: AuditEntry) -> str:
    """ "quorum 20 %; early close yes": each changed setting by its name, with its new value."""
    after = (entry.data or {}).get("after")
    parts = []
    for key, value in after.items() if isinstance(after, dict) else []:
        try:
            label = str(Policy.setting(key).verbose_name)
        except FieldDoesNotExist:
            label = key.replace("_", " ")
        parts.append(
            gettext("%(setting)s %(value)s") % {"setting": label, "value": setting_words(key, value)}
        )
    return "; ".join(parts)


def _closed(entry: AuditEntry, actor: str) -> str:
    if (entry.data or {}).get("passed"):
        return gettext("The vote on “%(summary)s” closed: the proposal passed") % {"summary": entry.summary}
    return gettext("The vote on “%(summary)s” closed: the proposal did not pass") % {"summary": entry.summary}


say(
    "assembly.create",
    _("%(actor)s created the assembly “%(summary)s”"),
    _("The assembly “%(summary)s” was created"),
)
say(
    "proposal.discussion_open",
    _("%(actor)s opened the discussion of “%(summary)s”"),
    _("The discussion of “%(summary)s” opened"),
)
say(
    "proposal.voting_open",
    _("%(actor)s opened the vote on “%(summary)s”"),
    _("The vote on “%(summary)s” opened"),
)
say_all(
    {
        "proposal.close": _closed,
        "policy.change": with_values(
            _("The policy of %(summary)s changed: %(changes)s"), changes=_policy_changes
        ),
        "proposal.create": _("%(actor)s proposed “%(summary)s”"),
        "proposal.update": _("%(actor)s edited the proposal “%(summary)s”"),
        "proposal.withdraw": _("%(actor)s withdrew the proposal “%(summary)s”"),
        "proposal.comment": _("%(actor)s commented on “%(summary)s”"),
        "proposal.close_early": _("%(actor)s closed a vote early: %(summary)s"),
        "proposal.advice_decide": _("%(actor)s decided on “%(summary)s” after taking advice"),
        "proposal.actions_failed": _("A decision could not be carried out: %(summary)s"),
        "outcome.statement": _("%(actor)s wrote the outcome of “%(summary)s”"),
        "outcome.statement_edit": _("%(actor)s edited the outcome of “%(summary)s”"),
        "vote.cast": _("%(actor)s voted on “%(summary)s”"),
        "vote.change": _("%(actor)s changed their vote on “%(summary)s”"),
        "vote.retract": _("%(actor)s took back their vote on “%(summary)s”"),
        "amendment.propose": _("%(actor)s proposed an amendment to “%(summary)s”"),
        "amendment.accept": _("%(actor)s accepted an amendment to “%(summary)s”"),
        "amendment.to_vote": _("%(actor)s put an amendment to “%(summary)s” to the vote"),
        "amendment.decline": _("%(actor)s declined an amendment to “%(summary)s”"),
        "amendment.adopted": _("An amendment to “%(summary)s” was adopted"),
        "delegation.set": _("%(actor)s delegated their vote to %(summary)s"),
        "delegation.remove": _("%(actor)s took back their vote from %(summary)s"),
    }
)
