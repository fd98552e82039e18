"""Money and time: the ledger's audit entries as sentences (``community.hooks.register_audit_sentence``)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import changes, say, say_all
from dualpower.community.models import AuditEntry


def _visibility(entry: AuditEntry, actor: str) -> str:
    values = {"actor": actor, "summary": entry.summary}
    if (entry.data or {}).get("balance_public"):
        return gettext("%(actor)s made the balance of “%(summary)s” visible to members") % values
    return gettext("%(actor)s made the balance of “%(summary)s” private") % values


say(
    "ledger.invoice_expire",
    _("%(actor)s let a payment request expire: %(summary)s"),
    _("A payment request expired unpaid: %(summary)s"),
)
say_all(
    {
        "ledger.currency_create": _("%(actor)s created the currency “%(summary)s”"),
        "ledger.currency_update": changes(
            _("%(actor)s changed the %(fields)s of the currency “%(summary)s”")
        ),
        "ledger.account_open": _("%(actor)s opened the account “%(summary)s”"),
        "ledger.account_close": _("%(actor)s closed the account “%(summary)s”"),
        "ledger.balance_visibility": _visibility,
        "ledger.set_credit_limit": _("%(actor)s changed the limits of the account %(summary)s"),
        "ledger.transfer_correct": _("%(actor)s corrected a payment: %(summary)s"),
        "ledger.invoice_reject": _("%(actor)s refused a payment request: %(summary)s"),
        "ledger.invoice_cancel": _("%(actor)s cancelled a payment request: %(summary)s"),
    }
)
