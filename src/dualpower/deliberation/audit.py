"""The deliberations' audit entries as sentences (``community.hooks.register_audit_sentence``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import say_all

say_all(
    {
        "deliberation.open": _("%(actor)s opened the deliberation “%(summary)s”"),
        "deliberation.statement_add": _("%(actor)s added a statement to the deliberation “%(summary)s”"),
        "deliberation.statement_accept": _("%(actor)s showed the statement “%(summary)s”"),
        "deliberation.statement_reject": _("%(actor)s took out the statement “%(summary)s”"),
        "deliberation.statement_duplicate": _("%(actor)s marked the statement “%(summary)s” as a repeat"),
        "deliberation.close": _("%(actor)s closed the deliberation “%(summary)s”"),
        "deliberation.link_on": _("%(actor)s let anyone with the link take part in “%(summary)s”"),
        "deliberation.link_rotate": _("%(actor)s replaced the link of the deliberation “%(summary)s”"),
        "deliberation.link_off": _("%(actor)s turned off the link of the deliberation “%(summary)s”"),
        "deliberation.peers_open": _("%(actor)s opened the deliberation “%(summary)s” to peer communities"),
        "deliberation.peers_close": _("%(actor)s closed the deliberation “%(summary)s” to peer communities"),
        "deliberation.proposal_start": _("%(actor)s started the proposal “%(summary)s” from a deliberation"),
    }
)
