"""Members' audit entries as sentences (``community.hooks.register_audit_sentence``): joining,
roles, profiles, leaving, and the invitation links."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import label_of, say, say_all, with_values
from dualpower.community.models import AuditEntry
from dualpower.members.models import Membership

# How members.services.roles words an appointment by the node's operator in the entry's summary.
_APPOINTED = " appointed coordinator by the node's operator"


def _role(key: str) -> Callable[[AuditEntry], str]:
    def read(entry: AuditEntry) -> str:
        return label_of(Membership.Role.choices, (entry.data or {}).get(key)).lower()

    return read


def _changed_member(entry: AuditEntry) -> str:
    # The summary reads "<name>: <before> → <after>": the name is everything before the last colon.
    return entry.summary.rsplit(": ", 1)[0]


say(
    "application.submit",
    _("%(summary)s applied to join"),
)
say("application.admit", _("%(actor)s admitted %(summary)s"), _("%(summary)s was admitted"))
say("application.decline", _("%(actor)s declined the application of %(summary)s"))
say("application.withdraw", _("%(summary)s withdrew their application"))
say("trust.give", _("%(actor)s vouched for %(summary)s"))
say_all(
    {
        "member.leave": _("A member left the community"),
        "member.profile_update": _("%(actor)s updated their profile"),
        "member.role_change": with_values(
            _("%(actor)s changed the role of %(name)s from %(before)s to %(after)s"),
            name=_changed_member,
            before=_role("role_before"),
            after=_role("role_after"),
        ),
        "member.createadmin": with_values(
            _("The node's operator made %(name)s a coordinator"),
            name=lambda entry: entry.summary.removesuffix(_APPOINTED),
        ),
        "invitation.create": _("%(actor)s made an invitation link"),
        "invitation.revoke": _("%(actor)s revoked an invitation link"),
        "invitation.use": _("%(summary)s applied through an invitation link"),
    }
)
