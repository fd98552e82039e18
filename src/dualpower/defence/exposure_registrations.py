"""What the exposure part of the defence app registers (imported by registrations.py): what it
holds for the page "What a seizure would reveal" (and the audit log's part), the permissions, the
duress sign-in with members, the menu entry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import holdings
from dualpower.defence import rules as _rules  # noqa: F401 - registers the permissions on import
from dualpower.defence.selectors import exposure as selectors
from dualpower.defence.services import exposure as services
from dualpower.members import hooks as members_hooks
from dualpower.web import navigation

holdings.register(
    "defence.duress",
    lambda community: [selectors.duress_holding(community), selectors.duress_alert_holding(community)],
    title=_("Duress passwords"),
    order=80,
)
holdings.register(
    "notifications",
    lambda community: [selectors.notification_holding(community)],
    title=_("Notifications"),
    order=85,
)
holdings.register(
    "audit", lambda community: [selectors.audit_holding(community)], title=_("The audit log"), order=90
)
members_hooks.register_sign_in_alternative(services.duress_sign_in)
# A duress password and its empty account go with the real account when it is deleted.
members_hooks.register_account_deleted(services.duress_forget)
navigation.register(
    "defence.exposure",
    _("What a seizure would reveal"),
    "defence:exposure",
    order=95,
    group="community",
    perm="defence.view_exposure",
)
navigation.register(
    "defence.duress",
    _("Duress password"),
    "defence:duress",
    order=96,
    group="community",
    perm="defence.set_duress",
)
