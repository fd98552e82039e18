"""The commons' audit entries as sentences (``community.hooks.register_audit_sentence``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import say, say_all

say(
    "commons.guide_adopt",
    _("%(actor)s recorded that the assembly adopted the guide “%(summary)s”"),
    _("The assembly adopted the guide “%(summary)s”"),
)
say_all(
    {
        "commons.guide_create": _("%(actor)s wrote the guide “%(summary)s”"),
        "commons.guide_edit": _("%(actor)s edited the guide “%(summary)s”"),
        "commons.guide_copy": _("%(actor)s copied the guide “%(summary)s” into the commons"),
    }
)
