"""The working groups' audit entries as sentences (``community.hooks.register_audit_sentence``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import changes, say, say_all

say(
    "group.create",
    _("%(actor)s started the working group “%(summary)s”"),
    _("The working group “%(summary)s” was started"),
)
say_all(
    {
        "group.update": changes(
            _("%(actor)s changed the %(fields)s of the working group “%(summary)s”"),
            {"name": _("name"), "description": _("description"), "is_open": _("who may join")},
        ),
        "group.delete": _("%(actor)s closed the working group “%(summary)s”"),
        "group.join": _("%(actor)s joined the working group “%(summary)s”"),
        "group.request": _("%(actor)s asked to join the working group “%(summary)s”"),
        "group.leave": _("%(actor)s left the working group “%(summary)s”"),
        "group.request_withdraw": _("%(actor)s withdrew their request to join “%(summary)s”"),
        "group.remove_member": _("%(actor)s took %(summary)s out of a working group"),
        "group.request_approve": _("%(actor)s let %(summary)s join a working group"),
        "group.request_decline": _("%(actor)s declined the request of %(summary)s to join a working group"),
        "group.convener_set": _("%(actor)s made %(summary)s a convener of a working group"),
        "group.convener_unset": _("%(actor)s took the convener's role from %(summary)s"),
    }
)
