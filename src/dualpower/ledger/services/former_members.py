"""When a member deletes their account: their accounts stop bearing their name.

Each of the membership's accounts is renamed "Former member #<n>" (``n``: the membership's number,
the same in every currency, so a treasurer can still tell two former members apart). An account
that holds nothing and owes nothing is closed as well; one with a balance or open payment requests
stays open under the neutral name, so the ledger still sums and the community can settle it.
Registered with ``members.hooks.register_member_erased`` in ``ledger/registrations.py``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.community.audit import say
from dualpower.community.services import audit_record
from dualpower.ledger.models import Account
from dualpower.ledger.services.accounts import account_close
from dualpower.ledger.services.posting import lock_accounts
from dualpower.members.models import Membership

say("ledger.account_anonymise", gettext_lazy("An account was renamed “%(summary)s”: its holder left"))


def former_member_name(membership: Membership) -> str:
    return _("Former member #%(number)s") % {"number": membership.pk}


@transaction.atomic
def accounts_of_former_member(*, membership: Membership) -> list[Account]:
    """Rename (and, when empty, close) every account of ``membership``; returns them."""
    ids = list(Account.objects.filter(membership=membership).order_by("pk").values_list("pk", flat=True))
    if not ids:
        return []
    name = former_member_name(membership)
    accounts = lock_accounts(ids)
    done = []
    for pk in ids:
        account = accounts[pk]
        if account.name != name:
            account.name = name
            account.save(update_fields=["name"])
            audit_record(
                community=account.community,
                actor=None,
                action="ledger.account_anonymise",
                target=account,
                summary=name,
            )
        empty = not (account.balance or account.pending_debits or account.pending_credits)
        if account.is_open and empty:
            account = account_close(account=account, by=None)
        done.append(account)
    return done
