"""Co-ops: their audit entries as sentences (``community.hooks.register_audit_sentence``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from dualpower.community.audit import changes, label_of, say_all, with_values
from dualpower.community.models import AuditEntry
from dualpower.coops.models import CapitalOperation


def _kind(entry: AuditEntry) -> str:
    return label_of(CapitalOperation.Kind.choices, (entry.data or {}).get("kind"))


say_all(
    {
        "coop.create": _("%(actor)s founded the co-op “%(summary)s”"),
        "coop.update": changes(_("%(actor)s changed the %(fields)s of the co-op “%(summary)s”")),
        "coop.member_add": _("%(actor)s added %(summary)s as a co-op member"),
        "coop.join_request": _("%(summary)s asked to join a co-op"),
        "coop.request_approve": _("%(actor)s let %(summary)s join a co-op"),
        "coop.request_decline": _("%(actor)s declined the request of %(summary)s to join a co-op"),
        "coop.request_withdraw": _("%(summary)s withdrew their request to join a co-op"),
        "coop.leave": _("%(summary)s left a co-op"),
        "coop.board_set": _("%(actor)s put %(summary)s on a co-op's board"),
        "coop.board_unset": _("%(actor)s took %(summary)s off a co-op's board"),
        "coop.capital_draft": with_values(
            ngettext_lazy(
                "%(actor)s drafted a capital operation (%(kind)s, %(shares)s share)",
                "%(actor)s drafted a capital operation (%(kind)s, %(shares)s shares)",
                "shares",
            ),
            kind=_kind,
        ),
        "coop.capital_approve": with_values(
            ngettext_lazy(
                "%(actor)s approved a capital operation (%(kind)s, %(shares)s share)",
                "%(actor)s approved a capital operation (%(kind)s, %(shares)s shares)",
                "shares",
            ),
            kind=_kind,
        ),
        "coop.capital_done": with_values(
            ngettext_lazy(
                "%(actor)s completed a capital operation (%(kind)s, %(shares)s share)",
                "%(actor)s completed a capital operation (%(kind)s, %(shares)s shares)",
                "shares",
            ),
            kind=_kind,
        ),
        "coop.capital_cancel": with_values(
            ngettext_lazy(
                "%(actor)s cancelled a capital operation (%(kind)s, %(shares)s share)",
                "%(actor)s cancelled a capital operation (%(kind)s, %(shares)s shares)",
                "shares",
            ),
            kind=_kind,
        ),
        "coop.patronage_propose": _("%(actor)s proposed sharing out the %(year)s surplus of a co-op"),
        "coop.patronage_adopt": _("%(actor)s adopted the share-out of the co-op's surplus (%(summary)s)"),
    }
)
