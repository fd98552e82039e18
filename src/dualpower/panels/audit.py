"""Panels by lot: their audit entries as sentences (``community.hooks.register_audit_sentence``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import say_all

say_all(
    {
        "panel.create": _("%(actor)s created the panel “%(summary)s”"),
        "panel.update": _("%(actor)s changed the panel “%(summary)s”"),
        "panel.volunteer": _("%(actor)s volunteered for a panel"),
        "panel.withdraw": _("%(actor)s withdrew from a panel"),
        "panel.close": _("%(actor)s closed the call for volunteers of “%(summary)s”"),
        "panel.seed": _("%(actor)s entered the public draw number: %(summary)s"),
        "panel.draw": _("%(actor)s drew the members of “%(summary)s” by lot"),
    }
)
