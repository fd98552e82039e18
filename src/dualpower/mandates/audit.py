"""Delegates' and mandates' audit entries as sentences (``community.hooks.register_audit_sentence``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import say, say_all

say("delegate.seat", _("%(actor)s seated a delegate: %(summary)s"), _("A delegate was seated: %(summary)s"))
say(
    "delegate.recalled",
    _("%(actor)s recalled a delegate: %(summary)s"),
    _("A delegate was recalled: %(summary)s"),
)
say(
    "delegate.replaced",
    _("%(actor)s replaced a delegate: %(summary)s"),
    _("A delegate was replaced: %(summary)s"),
)
say("delegate.expired", _("A delegate's term ended: %(summary)s"))
say_all(
    {
        "mandate.draft": _("%(actor)s drafted a mandate: %(summary)s"),
        "mandate.set": _("A mandate was decided: %(summary)s"),
        "mandate.breach": _("A delegate's vote went against their mandate: %(summary)s"),
    }
)
