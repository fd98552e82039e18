"""The ledger's dashboard widget: my balances, and payment requests waiting for my answer."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dualpower.community.dashboard import Panel
from dualpower.community.models import Community
from dualpower.ledger import selectors
from dualpower.members.roles import membership_for


def money_panel(request: HttpRequest, community: Community) -> Panel | None:
    me = membership_for(request.user, community)
    if me is None:
        return None
    accounts = list(selectors.accounts_of(community=community, membership=me))
    waiting = list(selectors.invoices_to_answer(membership=me)[:5])
    if not accounts and not waiting:
        return None
    return Panel(
        key="money",
        title=_("My money and time"),
        template="ledger/partials/_panel_money.html",
        context={"accounts": accounts, "waiting": waiting},
        order=40,
    )
